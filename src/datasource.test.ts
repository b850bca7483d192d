import { CoreApp, DataQueryRequest, DataQueryResponse } from '@grafana/data';
import { BackendSrv, TemplateSrv, setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { firstValueFrom } from 'rxjs';

import { fakeBackend, fakeTemplateSrv, makeDataSource } from './testing/fakes';
import { REGIONS, SERVICES } from './testing/fixtures';
import { DEFAULT_QUERY, FastlyQuery, FastlyVariableQuery } from './types';

const query = (over: Partial<FastlyQuery>): FastlyQuery => ({ ...DEFAULT_QUERY, refId: 'A', ...over });

let backend: ReturnType<typeof fakeBackend>;

beforeEach(() => {
  backend = fakeBackend();
  setBackendSrv({ fetch: backend.fetch } as unknown as BackendSrv);
  setTemplateSrv(fakeTemplateSrv() as unknown as TemplateSrv);
});

describe('applyTemplateVariables', () => {
  it('expands a multi-value service variable into several services', () => {
    const ds = makeDataSource();
    const out = ds.applyTemplateVariables(query({ services: ['$service', '2mMCKxEgkbfmzBNxqXZK'] }), {});
    expect(out.services).toEqual(['SU1Z0isxPaozGVKXdv0eY', '7i6HN3TK9wS159v2gPAZ8A', '2mMCKxEgkbfmzBNxqXZK']);
  });

  it('expands lists and text fields, removing duplicates', () => {
    setTemplateSrv(
      fakeTemplateSrv({
        metric: ['requests', 'hit_ratio'],
        pop: ['AMS', 'FRA'],
        host: 'a.example.net',
      }) as unknown as TemplateSrv
    );
    const ds = makeDataSource();
    const out = ds.applyTemplateVariables(
      query({
        queryType: 'origins',
        services: ['${service}', 'SU1Z0isxPaozGVKXdv0eY'],
        metrics: ['$metric', 'requests'],
        pops: ['$pop'],
        origins: ['$host'],
        region: '$region',
        legendFormat: '$region {{pop}}',
        groupBy: 'pop',
      }),
      {}
    );
    expect(out).toEqual(
      expect.objectContaining({
        services: ['SU1Z0isxPaozGVKXdv0eY', '7i6HN3TK9wS159v2gPAZ8A'],
        metrics: ['requests', 'hit_ratio'],
        pops: ['AMS', 'FRA'],
        origins: ['a.example.net'],
        region: 'europe',
        legendFormat: 'europe {{pop}}',
        groupBy: 'pop',
      })
    );
  });

  it('expands event-type variables in both the added and the excluded lists', () => {
    setTemplateSrv(
      fakeTemplateSrv({ extra: ['version.create', 'acl.update'], off: 'purge' }) as unknown as TemplateSrv
    );
    const ds = makeDataSource();
    const out = ds.applyTemplateVariables(
      query({ queryType: 'events', eventTypes: ['$extra'], excludeEventTypes: ['$off', 'purge'] }),
      {}
    );
    expect(out.eventTypes).toEqual(['version.create', 'acl.update']);
    expect(out.excludeEventTypes).toEqual(['purge']);
  });

  it('prefers scoped variables (repeated panels) and migrates old queries on the way', () => {
    const ds = makeDataSource();
    const old = { refId: 'A', service: '$service', metric: 'bandwidth' } as unknown as FastlyQuery;
    const out = ds.applyTemplateVariables(old, { service: { text: 'shop', value: '7i6HN3TK9wS159v2gPAZ8A' } });
    expect(out.services).toEqual(['7i6HN3TK9wS159v2gPAZ8A']);
    expect(out.metrics).toEqual(['bandwidth']);
    expect(out.resolution).toBe('auto');
  });
});

describe('filterQuery', () => {
  const ds = () => makeDataSource();
  it('runs a complete query', () => {
    expect(ds().filterQuery(query({ services: ['*'], metrics: ['requests'] }))).toBe(true);
  });
  it('skips a query with no services', () => {
    expect(ds().filterQuery(query({ services: [], metrics: ['requests'] }))).toBe(false);
  });
  it('skips a query with no metrics', () => {
    expect(ds().filterQuery(query({ services: ['abc'], metrics: [] }))).toBe(false);
  });
  it('runs an events query without metrics', () => {
    expect(ds().filterQuery(query({ queryType: 'events', services: ['*'], metrics: [] }))).toBe(true);
  });
  it('runs account-wide usage and events queries without services', () => {
    expect(ds().filterQuery(query({ queryType: 'usage', services: [], metrics: ['bandwidth'] }))).toBe(true);
    expect(ds().filterQuery(query({ queryType: 'events', services: [], metrics: [] }))).toBe(true);
    // usage without metrics asks for every usage total
    expect(ds().filterQuery(query({ queryType: 'usage', services: [], metrics: [] }))).toBe(true);
    expect(ds().filterQuery(query({ queryType: 'origins', services: ['abc'], metrics: [] }))).toBe(false);
  });
  it('skips a hidden query', () => {
    expect(ds().filterQuery(query({ services: ['abc'], hide: true }))).toBe(false);
  });
});

describe('defaults', () => {
  it('starts new queries as historical requests of every source (VCL and Compute) with auto resolution', () => {
    expect(makeDataSource().getDefaultQuery(CoreApp.Dashboard)).toEqual(
      expect.objectContaining({ queryType: 'stats', metrics: ['all_requests'], resolution: 'auto' })
    );
  });
  it('starts annotations as the default events of every service', () => {
    const anno = makeDataSource().annotations!.getDefaultQuery!();
    expect(anno).toEqual(expect.objectContaining({ queryType: 'events', eventTypes: [], services: ['*'] }));
    expect(makeDataSource().annotations!.QueryEditor).toBeDefined();
  });

  it('maps the events frame fields time, title, text and tags onto annotations', () => {
    const prepared = makeDataSource().annotations!.prepareAnnotation!({
      name: 'Fastly',
      enable: true,
      iconColor: 'red',
    });
    expect(prepared.target).toEqual(expect.objectContaining({ refId: 'Anno', queryType: 'events', services: ['*'] }));
    expect(prepared.mappings).toEqual({
      time: { source: 'field', value: 'time' },
      title: { source: 'field', value: 'title' },
      text: { source: 'field', value: 'text' },
      tags: { source: 'field', value: 'tags' },
    });
  });

  it('keeps a saved annotation target and a mapping the user changed', () => {
    const saved = {
      name: 'Purges',
      enable: true,
      iconColor: 'red',
      target: { refId: 'X', queryType: 'events', services: ['abc'], eventTypes: ['version.create'] },
      mappings: { text: { source: 'field', value: 'event_type' } },
    };
    const prepared = makeDataSource().annotations!.prepareAnnotation!(saved);
    expect(prepared.target).toEqual(
      expect.objectContaining({ refId: 'X', services: ['abc'], eventTypes: ['version.create'] })
    );
    expect(prepared.mappings?.text).toEqual({ source: 'field', value: 'event_type' });
    expect(prepared.mappings?.title).toEqual({ source: 'field', value: 'title' });
  });
});

describe('resource lookups', () => {
  it('loads services once per instance and reads the right routes', async () => {
    const ds = makeDataSource();
    expect(await ds.getServices()).toEqual(SERVICES);
    await ds.getServices();
    await ds.getMetrics('realtime');
    await ds.getOrigins('SU1Z0isxPaozGVKXdv0eY');
    expect(backend.calls).toEqual([
      { path: 'services', params: undefined },
      { path: 'metrics', params: { queryType: 'realtime' } },
      { path: 'origins', params: { service: 'SU1Z0isxPaozGVKXdv0eY' } },
    ]);
    expect(backend.fetch.mock.calls[0][0].url).toBe('/api/datasources/uid/fastly-uid/resources/services');
  });

  it('forgets a failed lookup so the next one retries', async () => {
    const ds = makeDataSource();
    backend.answer.mockRejectedValueOnce({ status: 502, data: { message: 'bad gateway' } });
    await expect(ds.getRegions()).rejects.toEqual({ status: 502, data: { message: 'bad gateway' } });
    expect(await ds.getRegions()).toEqual(REGIONS);
  });

  it('resolves variables in service ids and drops the all-services marker', () => {
    expect(makeDataSource().resolveServiceIds(['$service', '*', 'x'])).toEqual([
      'SU1Z0isxPaozGVKXdv0eY',
      '7i6HN3TK9wS159v2gPAZ8A',
      'x',
    ]);
  });
});

describe('variables', () => {
  const run = async (q: FastlyVariableQuery) => {
    const ds = makeDataSource();
    const request = { targets: [q] } as unknown as DataQueryRequest<FastlyVariableQuery>;
    const variables = ds.variables as unknown as {
      query: (r: DataQueryRequest<FastlyVariableQuery>) => import('rxjs').Observable<DataQueryResponse>;
    };
    return (await firstValueFrom(variables.query(request))).data;
  };

  it('lists services with the id as value and the name as text', async () => {
    expect(await run({ refId: 'v', kind: 'services' })).toEqual(SERVICES.map((s) => ({ text: s.name, value: s.id })));
  });
  it('lists POPs by city with the code as value, and regions', async () => {
    expect(await run({ refId: 'v', kind: 'pops' })).toEqual([
      { text: 'Amsterdam (AMS)', value: 'AMS' },
      { text: 'Frankfurt (FRA)', value: 'FRA' },
      { text: 'Ashburn (IAD)', value: 'IAD' },
    ]);
    expect(await run({ refId: 'v', kind: 'regions' })).toEqual(REGIONS.map((r) => ({ text: r, value: r })));
  });
  it('lists the metrics of the chosen query type by label, with the name as value', async () => {
    expect(await run({ refId: 'v', kind: 'metrics', queryType: 'realtime' })).toEqual([
      { text: 'Requests', value: 'requests' },
      { text: 'Miss latency p95', value: 'miss_latency_p95' },
    ]);
  });
});

describe('metricFindQuery', () => {
  it('accepts a bare kind string', async () => {
    expect(await makeDataSource().metricFindQuery('regions')).toEqual(REGIONS.map((r) => ({ text: r, value: r })));
  });
});
