import { MetricInfo } from '../../types';

/**
 * Why "Per second" means nothing for every chosen metric, or '' when it means something for one
 * of them. The backend divides only counts by the bucket length (catalog.Metric.IsCount) and
 * leaves the others as they are; the catalog tells them apart by unit: ratios are
 * `percentunit`, computed rates are `bps`, and latency percentiles (`_p50`, `_p95`, `_p99`) are
 * `ms`, whereas summed times in ms (compute_execution_time_ms) are counts. A metric the catalog
 * does not list (a $variable) may be a count, so it keeps the switch.
 */
export function perSecondMeaningless(metrics: string[], catalog: MetricInfo[]): string {
  const chosen = metrics.map((name) => catalog.find((m) => m.name === name));
  if (chosen.length === 0 || chosen.some((m) => m === undefined || notRate(m) === '')) {
    return '';
  }
  const kinds = Array.from(new Set(chosen.map((m) => notRate(m!))));
  return `Per second divides counts by the bucket length; ${kinds.join(' and ')} are not counts, so it would change nothing.`;
}

/** What kind of non-count a metric is ('ratios', 'rates', 'latency percentiles'), or '' for a count. */
function notRate(m: MetricInfo): string {
  if (m.unit === 'percentunit') {
    return 'ratios';
  }
  if (m.unit === 'bps') {
    return 'rates';
  }
  if (m.unit === 'ms' && /_p\d+$/.test(m.name)) {
    return 'latency percentiles';
  }
  return '';
}
