import { SelectableValue } from '@grafana/data';

import { MetricInfo } from '../types';

/**
 * The metrics most dashboards start from, in the order the picker lists them first (those the
 * query type has): traffic, cache, errors, bandwidth, latency. Requests and status classes are
 * every source's (VCL and Compute); Fastly's VCL-only fields stay in their categories.
 */
export const COMMON_METRICS = [
  'all_requests',
  'hit_ratio',
  'error_ratio',
  'error_ratio_4xx_5xx',
  'all_status_5xx',
  'all_status_4xx',
  'bandwidth',
  'bandwidth_bps',
  'miss_latency_p95',
  'all_responses',
  'origin_latency_p95',
  'origin_status_5xx',
  'edge_requests',
  'edge_hit_ratio',
  'compute_requests',
];

/** Categories in the order a dashboard author looks for them; the rest follow alphabetically. */
const CATEGORY_ORDER = [
  'Requests',
  'Status codes',
  'Bandwidth',
  'Edge cache',
  'Origin responses',
  'Origin latency',
  'Origin',
  'Origin shield',
];

/** Grafana unit ids as the words a reader knows. */
const UNIT_NAMES: Record<string, string> = {
  short: 'count',
  none: 'number',
  decbytes: 'bytes',
  bytes: 'bytes',
  bps: 'bits/s',
  Bps: 'bytes/s',
  percentunit: 'percent',
  percent: 'percent',
  s: 'seconds',
  ms: 'milliseconds',
  reqps: 'requests/s',
};

/** A metric's unit as a word ("bytes", "percent"), or the id when it has no common name. */
export function unitName(unit: string): string {
  return UNIT_NAMES[unit] ?? unit;
}

/** Words a searcher types for what the catalog calls otherwise. */
const SYNONYMS: Record<string, string[]> = {
  error: ['5xx', '4xx', 'errors'],
  errors: ['5xx', '4xx', 'error'],
  failure: ['5xx', 'error'],
  failures: ['5xx', 'error'],
  cache: ['hit', 'miss'],
  traffic: ['requests', 'bandwidth'],
  throughput: ['bandwidth', 'bps'],
  bytes: ['bandwidth'],
  rate: ['ratio'],
  percent: ['ratio'],
  latency: ['time'],
  slow: ['latency'],
  hits: ['hit'],
  misses: ['miss'],
};

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether some word of `text` starts with `word` or one of its synonyms. */
function hasWord(text: string[], word: string, synonyms: boolean): boolean {
  const wanted = synonyms ? [word, ...(SYNONYMS[word] ?? [])] : [word];
  return text.some((t) => wanted.some((w) => t.startsWith(w)));
}

/**
 * How well a metric matches a search, lower is better; undefined when it does not. The label
 * starting with the search comes first, then every word found in the label, then with synonyms
 * in label or name ("error ratio" finds "5xx ratio"), then in the description, then any
 * substring of label or name.
 */
export function matchRank(m: MetricInfo, search: string): number | undefined {
  const needle = search.trim().toLowerCase();
  if (needle === '') {
    return 0;
  }
  const label = (m.label || m.name).toLowerCase();
  if (label.startsWith(needle)) {
    return 0;
  }
  const asked = words(needle);
  const labelWords = words(label);
  const nameWords = [...labelWords, ...words(m.name)];
  const all = [...nameWords, ...words(m.description)];
  const ranks: Array<[number, string[], boolean]> = [
    [1, labelWords, false],
    [2, nameWords, true],
    [3, all, true],
  ];
  for (const [rank, text, synonyms] of ranks) {
    if (asked.every((w) => hasWord(text, w, synonyms))) {
      return rank;
    }
  }
  return label.includes(needle) || m.name.includes(needle) ? 4 : undefined;
}

function option(m: MetricInfo): SelectableValue<string> {
  return {
    label: m.label || m.name,
    value: m.name,
    description: [unitName(m.unit), m.description].filter(Boolean).join(' · '),
  };
}

const commonRank = (m: MetricInfo) => {
  const i = COMMON_METRICS.indexOf(m.name);
  return i < 0 ? COMMON_METRICS.length : i;
};

/**
 * The picker's options without a search: "Common" first, then each category, the categories a
 * dashboard author looks for first.
 */
export function metricOptions(metrics: MetricInfo[]): Array<SelectableValue<string>> {
  const common = metrics.filter((m) => COMMON_METRICS.includes(m.name)).sort((a, b) => commonRank(a) - commonRank(b));
  const groups = new Map<string, Array<SelectableValue<string>>>();
  for (const m of metrics) {
    const category = m.category || 'Other';
    groups.set(category, [...(groups.get(category) ?? []), option(m)]);
  }
  const place = (c: string) => {
    const i = CATEGORY_ORDER.indexOf(c);
    return i < 0 ? CATEGORY_ORDER.length : i;
  };
  const categories = Array.from(groups.keys()).sort((a, b) => place(a) - place(b) || a.localeCompare(b));
  return [
    ...(common.length > 0 ? [{ label: 'Common', options: common.map(option) }] : []),
    ...categories.map((c) => ({ label: c, options: groups.get(c) ?? [] })),
  ];
}

/** The metrics matching a search, best first (matchRank, then the common ones, then by label). */
export function searchMetrics(metrics: MetricInfo[], search: string): Array<SelectableValue<string>> {
  return metrics
    .map((m) => ({ m, rank: matchRank(m, search) }))
    .filter((r): r is { m: MetricInfo; rank: number } => r.rank !== undefined)
    .sort((a, b) => a.rank - b.rank || commonRank(a.m) - commonRank(b.m) || a.m.label.localeCompare(b.m.label))
    .map((r) => option(r.m));
}

/** The categories of a catalog, for the picker's category filter. */
export function metricCategories(metrics: MetricInfo[]): string[] {
  return metricOptions(metrics)
    .map((g) => g.label ?? '')
    .filter((c) => c !== 'Common');
}
