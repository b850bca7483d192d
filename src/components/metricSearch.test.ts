import { MetricInfo } from '../types';
import catalog from '../testing/catalog.json';
import { matchRank, metricOptions, searchMetrics, unitName } from './metricSearch';

/** The backend's real lists (GET /metrics), kept in step by a Go test. */
const real = catalog as Record<string, MetricInfo[]>;

const labels = (options: Array<{ label?: string }>) => options.map((o) => o.label);

describe('metricOptions with the real catalog', () => {
  it('has the 371 historical metrics', () => {
    expect(real.stats).toHaveLength(371);
  });

  it('opens on the common metrics, then Requests and Status codes, not on AI Accelerator', () => {
    const groups = metricOptions(real.stats);
    expect(labels(groups).slice(0, 4)).toEqual(['Common', 'Requests', 'Status codes', 'Bandwidth']);
    expect(labels(groups[0].options!)).toEqual([
      'Requests',
      'Hit ratio',
      '5xx ratio',
      '4xx+5xx ratio',
      'Status 5xx',
      'Status 4xx',
      'Bandwidth',
      'Bandwidth (bits/s)',
      'Edge requests',
      'Compute requests',
    ]);
    expect(groups[0].options![6].description).toMatch(/^bytes · All bytes Fastly moved/);
  });

  it('opens origins on responses, latency and origin errors', () => {
    expect(labels(metricOptions(real.origins)[0].options!)).toEqual([
      '5xx ratio',
      '4xx+5xx ratio',
      'Status 5xx',
      'Status 4xx',
      'Responses',
      'Origin latency p95',
    ]);
  });

  it('lists every metric once outside Common', () => {
    const all = metricOptions(real.realtime)
      .slice(1)
      .flatMap((g) => (g.options as Array<{ value?: string }>).map((o) => o.value));
    expect(all).toHaveLength(real.realtime.length);
  });
});

describe('searchMetrics with the real catalog', () => {
  it.each<[string, string[]]>([
    // a label prefix first, whole words before parts of words ("operations")
    ['ratio', ['Hit ratio', '5xx ratio', '4xx+5xx ratio']],
    // synonyms: the label says 5xx
    ['error ratio', ['5xx ratio', '4xx+5xx ratio']],
    ['hit', ['Hit ratio', 'Hit response body bytes', 'Hits']],
    ['bandwidth', ['Bandwidth', 'Bandwidth (bits/s)']],
  ])('%s finds %j first', (search, first) => {
    expect(labels(searchMetrics(real.stats, search)).slice(0, first.length)).toEqual(first);
  });

  it('ranks substrings of words last', () => {
    const found = labels(searchMetrics(real.stats, 'ratio'));
    const operations = found.findIndex((l) => /operations/i.test(l ?? ''));
    expect(operations).toBeGreaterThan(found.indexOf('Miss ratio'));
  });

  it('finds nothing for nonsense', () => {
    expect(searchMetrics(real.stats, 'zzqx')).toEqual([]);
  });

  it('does not match a metric on words it lacks', () => {
    const requests = real.stats.find((m) => m.name === 'requests')!;
    expect(matchRank(requests, 'error ratio')).toBeUndefined();
  });
});

describe('unitName', () => {
  it.each([
    ['decbytes', 'bytes'],
    ['percentunit', 'percent'],
    ['short', 'count'],
    ['ms', 'milliseconds'],
    ['bps', 'bits/s'],
    ['furlongs', 'furlongs'],
  ])('%s reads %s', (unit, name) => {
    expect(unitName(unit)).toBe(name);
  });
});
