import { DEFAULT_QUERY, FastlyQuery, MetricInfo } from '../../types';
import { ViewMemory, droppedNotice, switchView } from './switchView';

const metric = (name: string, label: string, kinds: string[]): MetricInfo => ({
  name,
  label,
  unit: 'short',
  category: 'Traffic',
  description: '',
  kinds,
});

/** Entries as the backend's catalog lists them: where each name exists. */
const CATALOG: MetricInfo[] = [
  metric('requests', 'Requests', ['historical', 'realtime']),
  metric('hit_ratio', 'Hit ratio', ['historical']),
  metric('status_5xx', 'Status 5xx', ['historical', 'realtime', 'origins', 'domains']),
  metric('bandwidth', 'Bandwidth', ['historical', 'realtime', 'domains']),
  { ...metric('origin_latency_heatmap', 'Origin latency heatmap', ['origins']), histogram: true },
];

const stats = (over: Partial<FastlyQuery> = {}): FastlyQuery => ({
  ...DEFAULT_QUERY,
  refId: 'A',
  services: ['*'],
  ...over,
});

describe('switchView', () => {
  it('keeps the edge metrics real-time has and says which it dropped', () => {
    const { query, dropped } = switchView(
      stats({ metrics: ['requests', 'hit_ratio', '$metric'] }),
      { type: 'realtime', live: false },
      new Map(),
      CATALOG
    );
    expect(query.metrics).toEqual(['requests', '$metric']);
    expect(dropped).toEqual(['Metrics Hit ratio (not offered here)']);
  });

  it('never keeps a metric whose meaning changes (an edge 5xx is not an origin 5xx)', () => {
    const { query, dropped } = switchView(
      stats({ metrics: ['status_5xx'] }),
      { type: 'origins', live: false },
      new Map(),
      CATALOG
    );
    expect(query.metrics).toEqual(['all_responses']);
    expect(dropped).toEqual(['Metrics Status 5xx (they mean something else here)']);
  });

  it('drops the event types of an events query, says so, and restores them on the way back', () => {
    const memory: ViewMemory = new Map();
    const events = stats({
      queryType: 'events',
      metrics: [],
      eventTypes: ['version.create'],
      excludeEventTypes: ['service.purge_all'],
    });
    const there = switchView(events, { type: 'stats', live: false }, memory, CATALOG);
    expect(there.query.eventTypes).toBeUndefined();
    expect(there.query.excludeEventTypes).toBeUndefined();
    expect(there.dropped).toEqual(['Event types']);
    const back = switchView(there.query, { type: 'events', live: false }, memory, CATALOG);
    expect(back.query).toEqual(
      expect.objectContaining({ eventTypes: ['version.create'], excludeEventTypes: ['service.purge_all'] })
    );
  });

  it('drops a region origins do not show, says so, and restores it all on the way back', () => {
    const memory: ViewMemory = new Map();
    const before = stats({ metrics: ['hit_ratio'], region: 'europe', groupBy: 'service', legendFormat: '{{label}}' });
    const there = switchView(before, { type: 'origins', live: false }, memory, CATALOG);
    expect(there.query).toEqual({
      ...DEFAULT_QUERY,
      refId: 'A',
      queryType: 'origins',
      services: ['*'],
      metrics: ['all_responses'],
      groupBy: 'service',
      legendFormat: '{{label}}',
    });
    expect(droppedNotice(there.dropped, { type: 'stats', live: false })).toBe(
      'Not kept: Metrics Hit ratio (they mean something else here); Region. Switch back to Historical to restore them.'
    );
    // edits made in origins that both show carry back; the rest comes back from memory
    const edited = { ...there.query, services: ['SU1Z0isxPaozGVKXdv0eY'], pops: ['AMS'], origins: ['a.example'] };
    const back = switchView(edited, { type: 'stats', live: false }, memory, []);
    expect(back.query).toEqual({ ...before, services: ['SU1Z0isxPaozGVKXdv0eY'] });
    // the origins default metric was never chosen: nothing to report
    expect(back.dropped).toEqual(['POPs', 'Origins']);
  });

  it('Live on drops the heatmap, origin filter and origin grouping, and Live off restores them', () => {
    const memory: ViewMemory = new Map();
    const history: FastlyQuery = stats({
      queryType: 'origins',
      metrics: ['responses', 'origin_latency_heatmap'],
      groupBy: 'origin',
      origins: ['a.example'],
      resolution: 'minute',
      live: false,
    });
    const on = switchView(history, { type: 'origins', live: true }, memory, CATALOG);
    expect(on.query).toEqual({
      ...DEFAULT_QUERY,
      refId: 'A',
      queryType: 'origins',
      services: ['*'],
      metrics: ['responses'],
      groupBy: '',
      live: true,
    });
    expect(on.dropped).toEqual([
      'Metrics Origin latency heatmap (not offered here)',
      'Resolution',
      'Origins',
      'Group by Origin',
    ]);
    const off = switchView({ ...on.query, pops: ['AMS'] }, { type: 'origins', live: false }, memory, []);
    expect(off.query).toEqual({ ...history, pops: ['AMS'] });
    expect(off.dropped).toEqual([]);
  });

  it('keeps filters between the two log types, but not a limit that counts something else', () => {
    const logs = stats({
      queryType: 'logs',
      metrics: [],
      filters: [{ field: 'response_status', op: 'eq', value: '503' }],
      limit: 500,
    });
    const { query, dropped } = switchView(logs, { type: 'logseries', live: false }, new Map(), []);
    expect(query.filters).toEqual(logs.filters);
    expect(query).not.toHaveProperty('limit');
    expect(dropped).toEqual(['Limit']);
  });

  it('keeps the Grafana fields of the query (hide, datasource)', () => {
    const ds = { type: 'opsdeck-fastly-datasource', uid: 'x' };
    const { query } = switchView(stats({ hide: true, datasource: ds }), { type: 'usage', live: false }, new Map(), []);
    expect(query).toEqual(expect.objectContaining({ hide: true, datasource: ds, queryType: 'usage', metrics: [] }));
  });
});
