import { migrateQuery } from './migrations';
import { DEFAULT_QUERY, FastlyQuery } from './types';

describe('migrateQuery', () => {
  it('turns the old single service and metric into lists', () => {
    const old = { refId: 'A', queryType: 'stats', service: 'SU1Z0isxPaozGVKXdv0eY', metric: 'hit_ratio' };
    expect(migrateQuery(old)).toEqual({
      ...DEFAULT_QUERY,
      refId: 'A',
      services: ['SU1Z0isxPaozGVKXdv0eY'],
      metrics: ['hit_ratio'],
    });
  });

  it('fills every missing field with its default', () => {
    expect(migrateQuery({ refId: 'B' })).toEqual({ ...DEFAULT_QUERY, refId: 'B' });
  });

  it('keeps a current query as it is, and running it twice changes nothing', () => {
    const q: FastlyQuery = {
      refId: 'C',
      queryType: 'origins',
      services: ['$service'],
      metrics: ['responses', 'origin_latency_p95'],
      resolution: 'minute',
      region: 'europe',
      pops: ['AMS', 'FRA'],
      groupBy: 'pop',
      perSecond: true,
      legendFormat: '{{origin}} {{pop}}',
      origins: ['origin-1.example.net'],
      hide: true,
    };
    expect(migrateQuery(q)).toEqual(q);
    expect(migrateQuery(migrateQuery(q))).toEqual(q);
  });

  it('replaces an unknown query type, resolution and group-by with valid ones', () => {
    const q = migrateQuery({
      refId: 'D',
      queryType: 'nonsense',
      resolution: 'week' as FastlyQuery['resolution'],
      groupBy: 'origin',
    });
    expect(q.queryType).toBe('stats');
    expect(q.resolution).toBe('auto');
    expect(q.groupBy).toBe('');
  });

  it('gives origins and usage queries a group-by they support', () => {
    expect(migrateQuery({ refId: 'E', queryType: 'origins' }).groupBy).toBe('origin');
    expect(migrateQuery({ refId: 'F', queryType: 'usage', groupBy: 'service' }).groupBy).toBe('service');
  });

  it('leaves events queries without metrics and keeps their event types', () => {
    const q = migrateQuery({
      refId: 'G',
      queryType: 'events',
      services: ['*'],
      eventTypes: ['service.purge_all'],
      excludeEventTypes: ['version.deactivate', ''],
    });
    expect(q.metrics).toEqual([]);
    expect(q.eventTypes).toEqual(['service.purge_all']);
    expect(q.excludeEventTypes).toEqual(['version.deactivate']);
    expect(migrateQuery({ refId: 'G', queryType: 'events' }).excludeEventTypes).toBeUndefined();
  });

  it('drops blanks and non-strings from lists and accepts a bare string', () => {
    const q = migrateQuery({
      refId: 'H',
      services: ['a', '', 7 as unknown as string],
      pops: 'AMS' as unknown as string[],
    });
    expect(q.services).toEqual(['a']);
    expect(q.pops).toEqual(['AMS']);
  });

  it('keeps a template variable as resolution', () => {
    expect(migrateQuery({ refId: 'I', resolution: '$res' as FastlyQuery['resolution'] }).resolution).toBe('$res');
  });

  it('leaves saved origins and domains queries from before live without it, reading history', () => {
    const saved = {
      refId: 'J',
      queryType: 'origins' as const,
      services: ['*'],
      metrics: ['responses'],
      groupBy: 'origin' as const,
    };
    const q = migrateQuery(saved);
    expect(q).not.toHaveProperty('live');
    expect(q).toEqual({ ...DEFAULT_QUERY, ...saved });
    expect(migrateQuery(q)).toEqual(q);
  });

  it('gives queries saved without metrics the default metrics of their type', () => {
    const metrics = (queryType: string) => migrateQuery({ refId: 'K', queryType }).metrics;
    expect(metrics('stats')).toEqual(['all_requests']);
    expect(metrics('realtime')).toEqual(['all_requests']);
    expect(metrics('origins')).toEqual(['all_responses']);
    expect(metrics('domains')).toEqual(['edge_requests']);
    expect(metrics('usage')).toEqual([]);
    expect(metrics('events')).toEqual([]);
  });

  it('keeps live on origins and domains, with a group-by live allows', () => {
    const origins = migrateQuery({ refId: 'L', queryType: 'origins', live: true, groupBy: 'origin' });
    expect(origins.live).toBe(true);
    expect(origins.groupBy).toBe('');
    const domains = migrateQuery({ refId: 'M', queryType: 'domains', live: true, groupBy: 'pop' });
    expect(domains).toEqual(expect.objectContaining({ live: true, groupBy: 'pop' }));
    expect(migrateQuery(domains)).toEqual(domains);
    // a missing group-by of a live query is the total, of a historical one the origin
    expect(migrateQuery({ refId: 'N', queryType: 'origins', live: true }).groupBy).toBe('');
    expect(migrateQuery({ refId: 'N', queryType: 'origins', live: false })).toEqual(
      expect.objectContaining({ live: false, groupBy: 'origin' })
    );
  });

  it('drops live from query types that have no live view, and a live that is not a boolean', () => {
    expect(migrateQuery({ refId: 'O', queryType: 'stats', live: true })).not.toHaveProperty('live');
    expect(migrateQuery({ refId: 'P', queryType: 'usage', live: true })).not.toHaveProperty('live');
    expect(migrateQuery({ refId: 'Q', queryType: 'origins', live: 'yes' as unknown as boolean })).not.toHaveProperty(
      'live'
    );
  });

  it('accepts the total and per-service groupings of origins, domains and usage', () => {
    expect(migrateQuery({ refId: 'R', queryType: 'origins', groupBy: '' }).groupBy).toBe('');
    expect(migrateQuery({ refId: 'S', queryType: 'domains', groupBy: 'service' }).groupBy).toBe('service');
    expect(migrateQuery({ refId: 'T', queryType: 'usage', groupBy: '' }).groupBy).toBe('');
    expect(migrateQuery({ refId: 'U', queryType: 'usage', groupBy: 'pop' }).groupBy).toBe('region');
  });
});
