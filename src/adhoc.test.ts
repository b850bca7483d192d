import { AdHocVariableFilter, DataQueryRequest, DataQueryResponse } from '@grafana/data';
import { TemplateSrv, setTemplateSrv, BackendSrv, setBackendSrv } from '@grafana/runtime';
import { lastValueFrom, of, toArray } from 'rxjs';

import { applyAdHocFilters } from './adhoc';
import { fakeBackend, fakeTemplateSrv, makeDataSource } from './testing/fakes';
import { DEFAULT_QUERY, FastlyQuery } from './types';

const WWW = 'SU1Z0isxPaozGVKXdv0eY';
const SHOP = '7i6HN3TK9wS159v2gPAZ8A';
const API = '2mMCKxEgkbfmzBNxqXZK';

const q = (over: Partial<FastlyQuery>): FastlyQuery => ({ ...DEFAULT_QUERY, refId: 'A', ...over });
const f = (key: string, operator: string, value: string, values?: string[]): AdHocVariableFilter => ({
  key,
  operator,
  value,
  ...(values ? { values } : {}),
});
const eq = (key: string, value: string) => f(key, '=', value);
const ne = (key: string, value: string) => f(key, '!=', value);
/** The query the filters make, failing the test if they exclude or refuse it. */
const narrowed = (query: FastlyQuery, ...filters: AdHocVariableFilter[]) => {
  const out = applyAdHocFilters(query, filters);
  expect({ excluded: out.excluded, refused: out.refused }).toEqual({ excluded: '', refused: '' });
  return out.query;
};

let backend: ReturnType<typeof fakeBackend>;

beforeEach(() => {
  backend = fakeBackend();
  setBackendSrv({ fetch: backend.fetch } as unknown as BackendSrv);
  setTemplateSrv(fakeTemplateSrv() as unknown as TemplateSrv);
});

describe('applyAdHocFilters: services', () => {
  it('narrows All services, or none (account-wide usage), to the filtered one', () => {
    expect(narrowed(q({ services: ['*'] }), eq('service', WWW)).services).toEqual([WWW]);
    expect(narrowed(q({ queryType: 'usage', services: [] }), eq('service', WWW)).services).toEqual([WWW]);
  });

  it('keeps the filtered services of a list, drops one with != and several with !=|', () => {
    expect(narrowed(q({ services: [WWW, SHOP] }), eq('service', SHOP)).services).toEqual([SHOP]);
    expect(narrowed(q({ services: [WWW, SHOP, API] }), ne('service', WWW)).services).toEqual([SHOP, API]);
    const notTwo = f('service', '!=|', WWW, [WWW, API]);
    expect(narrowed(q({ services: [WWW, SHOP, API] }), notTwo).services).toEqual([SHOP]);
  });

  it('takes several values with =|', () => {
    const many = f('service', '=|', WWW, [WWW, API]);
    expect(narrowed(q({ services: ['*'] }), many).services).toEqual([WWW, API]);
    expect(narrowed(q({ services: [SHOP, API] }), many).services).toEqual([API]);
  });

  it('excludes a query none of whose services the filter keeps, saying which', () => {
    const out = applyAdHocFilters(q({ services: [SHOP, API] }), [eq('service', WWW)]);
    expect(out.excluded).toBe(
      `The dashboard filter service = ${WWW} leaves none of this query's services (${SHOP}, ${API}).`
    );
    expect(applyAdHocFilters(q({ services: [WWW] }), [ne('service', WWW)]).excluded).toContain('leaves none');
  });

  it('refuses != on All services: Fastly reads a list of services, not all but one', () => {
    const out = applyAdHocFilters(q({ services: ['*'] }), [ne('service', WWW)]);
    expect(out.refused).toBe(
      `The dashboard filter service != ${WWW} cannot narrow this query: it reads every service, and Fastly cannot leave one out. List the services it should read, or filter with =.`
    );
    expect(out.query.services).toEqual(['*']);
  });
});

describe('applyAdHocFilters: POPs', () => {
  it('sets the POPs of real-time, inspector, insights and historical POP map queries', () => {
    expect(narrowed(q({ queryType: 'realtime', services: [WWW] }), eq('pop', 'AMS')).pops).toEqual(['AMS']);
    expect(narrowed(q({ queryType: 'origins', services: [WWW], pops: ['FRA', 'AMS'] }), eq('pop', 'AMS')).pops).toEqual(
      ['AMS']
    );
    expect(narrowed(q({ queryType: 'domains', services: [WWW], live: true }), eq('pop', 'IAD')).pops).toEqual(['IAD']);
    expect(narrowed(q({ queryType: 'insights', services: [WWW] }), eq('pop', 'FRA')).pops).toEqual(['FRA']);
    const popmap = q({ services: ['*'], format: 'popmap', groupBy: 'pop' });
    expect(narrowed(popmap, f('pop', '=|', 'AMS', ['AMS', 'FRA'])).pops).toEqual(['AMS', 'FRA']);
  });

  it('leaves historical time series alone: Fastly does not split them by POP', () => {
    const stats = q({ services: ['*'] });
    expect(applyAdHocFilters(stats, [eq('pop', 'AMS'), ne('pop', 'FRA')])).toEqual({
      query: stats,
      excluded: '',
      refused: '',
    });
  });

  it('drops a POP from a list, refuses != on every POP, and excludes when none is left', () => {
    const listed = q({ queryType: 'realtime', services: [WWW], pops: ['AMS', 'FRA'] });
    expect(narrowed(listed, ne('pop', 'AMS')).pops).toEqual(['FRA']);
    expect(applyAdHocFilters(q({ queryType: 'realtime', services: [WWW] }), [ne('pop', 'AMS')]).refused).toContain(
      'it reads every POP'
    );
    expect(applyAdHocFilters(listed, [eq('pop', 'IAD')]).excluded).toBe(
      "The dashboard filter pop = IAD leaves none of this query's POPs (AMS, FRA)."
    );
  });

  it('adds a fastly_pop condition to sampled-log queries, after their own', () => {
    const own = { field: 'response_status', op: 'gte', value: '500' };
    const logs = q({ queryType: 'logs', services: [WWW], filters: [own] });
    expect(narrowed(logs, eq('pop', 'AMS')).filters).toEqual([own, { field: 'fastly_pop', op: 'eq', value: 'AMS' }]);
    const series = q({ queryType: 'logseries', services: [WWW] });
    expect(narrowed(series, f('pop', '=|', 'AMS', ['AMS', 'FRA'])).filters).toEqual([
      { field: 'fastly_pop', op: 'in', value: 'AMS,FRA' },
    ]);
    expect(narrowed(series, ne('pop', 'IAD')).filters).toEqual([{ field: 'fastly_pop', op: 'not_in', value: 'IAD' }]);
    expect(narrowed(series, ne('pop', 'IAD')).pops).toEqual([]); // the backend refuses pops on logs
  });
});

describe('applyAdHocFilters: regions', () => {
  it('sets the region of a query reading all of them, and leaves types without regions alone', () => {
    expect(narrowed(q({ services: ['*'] }), eq('region', 'europe')).region).toBe('europe');
    expect(narrowed(q({ queryType: 'usage' }), eq('region', 'asia')).region).toBe('asia');
    expect(narrowed(q({ queryType: 'realtime', services: [WWW] }), ne('region', 'usa')).region).toBe('');
  });

  it('keeps or excludes a query that reads one region', () => {
    expect(narrowed(q({ services: ['*'], region: 'usa' }), ne('region', 'europe')).region).toBe('usa');
    expect(applyAdHocFilters(q({ services: ['*'], region: 'usa' }), [eq('region', 'europe')]).excluded).toBe(
      "The dashboard filter region = europe leaves out this query's region (usa)."
    );
    expect(applyAdHocFilters(q({ services: ['*'], region: 'usa' }), [ne('region', 'usa')]).excluded).toContain('(usa)');
  });

  it('refuses what one region per query cannot say: several regions, or all but one', () => {
    const all = q({ services: ['*'] });
    expect(applyAdHocFilters(all, [ne('region', 'usa')]).refused).toContain('Fastly reads one region or all of them');
    expect(applyAdHocFilters(all, [f('region', '=|', 'usa', ['usa', 'europe'])]).refused).toContain('one region');
  });
});

describe('applyAdHocFilters: origins and domains', () => {
  it('narrows the origins of historical origins queries', () => {
    const origins = q({ queryType: 'origins', services: [WWW] });
    expect(narrowed(origins, eq('origin', 'origin-a.example.net')).origins).toEqual(['origin-a.example.net']);
    const listed = { ...origins, origins: ['origin-a.example.net', 'origin-b.example.net'] };
    expect(narrowed(listed, ne('origin', 'origin-a.example.net')).origins).toEqual(['origin-b.example.net']);
    expect(applyAdHocFilters(origins, [ne('origin', 'origin-a.example.net')]).refused).toContain(
      'it reads every origin'
    );
  });

  it('leaves live inspector queries and other types alone: they are not split by origin or domain', () => {
    for (const query of [
      q({ queryType: 'origins', services: [WWW], live: true }),
      q({ queryType: 'domains', services: [WWW], live: true }),
      q({ services: ['*'] }),
      q({ queryType: 'realtime', services: [WWW] }),
    ]) {
      expect(applyAdHocFilters(query, [eq('origin', 'origin-a.example.net'), eq('domain', 'www.example.com')])).toEqual(
        { query, excluded: '', refused: '' }
      );
    }
  });

  it('narrows the domains of domains queries and adds a domain condition to sampled logs', () => {
    const domains = q({ queryType: 'domains', services: [WWW], domains: ['www.example.com', 'img.example.com'] });
    expect(narrowed(domains, eq('domain', 'img.example.com')).domains).toEqual(['img.example.com']);
    const logs = q({ queryType: 'logs', services: [WWW] });
    expect(narrowed(logs, ne('domain', 'img.example.com')).filters).toEqual([
      { field: 'domain', op: 'not_in', value: 'img.example.com' },
    ]);
  });

  it('sets an insights query to one exact domain where its own domain allows it', () => {
    const top = q({ queryType: 'insights', services: [WWW] });
    expect(narrowed(top, eq('domain', 'www.example.com'))).toEqual({
      ...top,
      domain: 'www.example.com',
      domainExact: true,
    });
    expect(narrowed({ ...top, domain: 'example' }, eq('domain', 'www.example.com')).domain).toBe('www.example.com');
    expect(applyAdHocFilters({ ...top, domain: 'shop' }, [eq('domain', 'www.example.com')]).excluded).toContain(
      'those with "shop"'
    );
    const exact = { ...top, domain: 'www.example.com', domainExact: true };
    expect(narrowed(exact, ne('domain', 'img.example.com'))).toEqual(exact);
    expect(applyAdHocFilters(exact, [ne('domain', 'www.example.com')]).excluded).toContain('(www.example.com)');
    expect(applyAdHocFilters(top, [ne('domain', 'www.example.com')]).refused).toContain('one domain or all of them');
  });
});

describe('applyAdHocFilters: operators and keys', () => {
  it('refuses regular expressions and comparisons where the key applies, names the filter', () => {
    const out = applyAdHocFilters(q({ services: ['*'] }), [f('service', '=~', 'www.*')]);
    expect(out.refused).toBe(
      'The dashboard filter service =~ www.* cannot narrow this query: Fastly compares ids, codes and hosts exactly, so use = or != (one value or several).'
    );
  });

  it('ignores keys it does not know, and operators on keys that do not apply', () => {
    const query = q({ services: ['*'] });
    expect(applyAdHocFilters(query, [eq('country', 'NL'), f('pop', '=~', 'A.*')])).toEqual({
      query,
      excluded: '',
      refused: '',
    });
  });
});

describe('DataSource ad-hoc filters', () => {
  it('offers the five keys, services and POPs with their names', async () => {
    const ds = makeDataSource();
    expect((await ds.getTagKeys()).map((k) => k.text)).toEqual(['service', 'pop', 'region', 'origin', 'domain']);
    const pops = await ds.getTagValues({ key: 'pop', filters: [] });
    expect(pops[0]).toEqual({ text: 'Amsterdam (AMS)', value: 'AMS' });
    const services = await ds.getTagValues({ key: 'service', filters: [] });
    expect(services[0]).toEqual({ text: 'www.example.com', value: WWW });
    expect(await ds.getTagValues({ key: 'country', filters: [] })).toEqual([]);
  });

  it("offers the origins of the filter set's services, else of the dashboard's queries", async () => {
    const ds = makeDataSource();
    const byFilter = await ds.getTagValues({ key: 'origin', filters: [eq('service', SHOP)] });
    expect(byFilter).toEqual([{ text: `origin-${SHOP}.example.net`, value: `origin-${SHOP}.example.net` }]);
    const queries = [q({ services: ['$service'] }), q({ services: ['*'] }), q({ services: [SHOP] })];
    const byQueries = await ds.getTagValues({ key: 'domain', filters: [], queries });
    expect(byQueries.map((v) => v.value)).toEqual([`${WWW}.example.org`, `${SHOP}.example.org`].sort());
    expect(backend.calls.filter((c) => c.path === 'domains').map((c) => c.params?.service)).toEqual([WWW, SHOP]);
  });

  it('skips services whose hosts cannot be listed, and offers none without a named service', async () => {
    const ds = makeDataSource();
    const answer = backend.answer.getMockImplementation()!;
    backend.answer.mockImplementation(async (path, params) => {
      if (path === 'origins' && params?.service === WWW) {
        throw { status: 400, data: { message: 'Origin Inspector is not enabled' } };
      }
      return answer(path, params);
    });
    const values = await ds.getTagValues({ key: 'origin', filters: [f('service', '=|', WWW, [WWW, API])] });
    expect(values.map((v) => v.value)).toEqual([`origin-${API}.example.net`]);
    expect(await ds.getTagValues({ key: 'origin', filters: [], queries: [q({ services: ['*'] })] })).toEqual([]);
  });

  it('applies the filters after expanding variables', () => {
    const ds = makeDataSource();
    const out = ds.applyTemplateVariables(q({ services: ['$service'], queryType: 'realtime' }), {}, [
      eq('service', SHOP),
      eq('pop', 'AMS'),
    ]);
    expect(out).toEqual(expect.objectContaining({ services: [SHOP], pops: ['AMS'] }));
  });
});

describe('DataSource.query with ad-hoc filters', () => {
  /** Runs the targets; /api/ds/query answers each refId it gets with an empty frame. */
  async function run(targets: FastlyQuery[], filters: AdHocVariableFilter[]) {
    const sent: FastlyQuery[] = [];
    const fetch = jest.fn((req: { url: string; data?: { queries: FastlyQuery[] } }) => {
      if (!req.url.startsWith('/api/ds/query')) {
        return backend.fetch(req);
      }
      sent.push(...req.data!.queries);
      const results = Object.fromEntries(req.data!.queries.map((t) => [t.refId, { status: 200, frames: [] }]));
      return of({ data: { results }, status: 200, ok: true });
    });
    setBackendSrv({ fetch } as unknown as BackendSrv);
    const request = { requestId: 'q1', targets, filters, scopedVars: {} } as unknown as DataQueryRequest<FastlyQuery>;
    const seen: DataQueryResponse[] = await lastValueFrom(makeDataSource().query(request).pipe(toArray()));
    return { sent, seen };
  }

  it('runs the queries the filters narrow, and answers the others with why', async () => {
    const { sent, seen } = await run(
      [
        q({ refId: 'A', services: ['*'] }),
        q({ refId: 'B', queryType: 'realtime', services: [WWW], pops: ['FRA'] }),
        q({ refId: 'C', queryType: 'origins', services: [SHOP], origins: ['origin-a.example.net'] }),
      ],
      [eq('service', SHOP), eq('pop', 'AMS'), ne('origin', 'origin-a.example.net')]
    );
    expect(sent.map((t) => [t.refId, t.services])).toEqual([['A', [SHOP]]]);
    const screened = seen.find((r) => r.key === 'adhoc-filters')!;
    expect(screened.data.map((d) => [d.refId, d.meta.notices[0].text])).toEqual([
      ['B', `The dashboard filter service = ${SHOP} leaves none of this query's services (${WWW}).`],
      [
        'C',
        "The dashboard filter origin != origin-a.example.net leaves none of this query's origins (origin-a.example.net).",
      ],
    ]);
    expect(screened.errors).toEqual([]);
  });

  it('fails the queries a filter cannot be expressed for, with the reason, and runs the rest', async () => {
    const { sent, seen } = await run(
      [q({ refId: 'A', services: ['*'] }), q({ refId: 'B', queryType: 'realtime', services: [WWW] })],
      [ne('pop', 'AMS')]
    );
    expect(sent.map((t) => t.refId)).toEqual(['A']);
    const screened = seen.find((r) => r.key === 'adhoc-filters')!;
    expect(screened.state).toBe('Error');
    expect(screened.errors).toEqual([{ refId: 'B', message: expect.stringContaining('pop != AMS cannot narrow') }]);
  });

  it('sends every query as it is when no filter leaves one out', async () => {
    const { sent, seen } = await run([q({ refId: 'A', services: ['*'] })], [eq('pop', 'AMS')]);
    expect(sent.map((t) => [t.refId, t.pops])).toEqual([['A', []]]);
    expect(seen.some((r) => r.key === 'adhoc-filters')).toBe(false);
  });
});
