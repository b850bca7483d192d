import { TemplateSrv, setTemplateSrv, BackendSrv, setBackendSrv } from '@grafana/runtime';

import { applyAdHocFilters } from './adhoc';
import { fakeBackend, fakeTemplateSrv, makeDataSource } from './testing/fakes';
import { DEFAULT_QUERY, FastlyQuery } from './types';

const q = (over: Partial<FastlyQuery>): FastlyQuery => ({ ...DEFAULT_QUERY, refId: 'A', ...over });
const eq = (key: string, value: string) => ({ key, operator: '=', value });

beforeEach(() => {
  setBackendSrv({ fetch: fakeBackend().fetch } as unknown as BackendSrv);
  setTemplateSrv(fakeTemplateSrv() as unknown as TemplateSrv);
});

describe('applyAdHocFilters', () => {
  it('narrows All services, or no services, to the filtered one', () => {
    expect(applyAdHocFilters(q({ services: ['*'] }), [eq('service', 'svcA')]).services).toEqual(['svcA']);
    expect(applyAdHocFilters(q({ queryType: 'usage', services: [] }), [eq('service', 'svcA')]).services).toEqual([
      'svcA',
    ]);
  });

  it('keeps only the filtered services of a list, and drops one with !=', () => {
    expect(applyAdHocFilters(q({ services: ['svcA', 'svcB'] }), [eq('service', 'svcB')]).services).toEqual(['svcB']);
    expect(applyAdHocFilters(q({ services: ['svcA'] }), [eq('service', 'svcB')]).services).toEqual([]);
    const not = { key: 'service', operator: '!=', value: 'svcA' };
    expect(applyAdHocFilters(q({ services: ['svcA', 'svcB'] }), [not]).services).toEqual(['svcB']);
  });

  it('takes several values with =|', () => {
    const many = { key: 'service', operator: '=|', value: 'svcA', values: ['svcA', 'svcC'] };
    expect(applyAdHocFilters(q({ services: ['*'] }), [many]).services).toEqual(['svcA', 'svcC']);
  });

  it('filters POPs only where the type takes POPs, and the region where it takes a region', () => {
    const filters = [eq('pop', 'AMS'), eq('region', 'europe')];
    expect(applyAdHocFilters(q({ queryType: 'realtime', services: ['*'] }), filters)).toEqual(
      q({ queryType: 'realtime', services: ['*'], pops: ['AMS'] })
    );
    expect(applyAdHocFilters(q({ services: ['*'] }), filters)).toEqual(q({ services: ['*'], region: 'europe' }));
    expect(applyAdHocFilters(q({ queryType: 'origins', services: ['*'], pops: ['FRA', 'AMS'] }), filters).pops).toEqual(
      ['AMS']
    );
  });

  it('ignores keys and operators it cannot apply', () => {
    const query = q({ services: ['*'] });
    expect(applyAdHocFilters(query, [eq('country', 'NL'), { key: 'service', operator: '=~', value: 'x.*' }])).toBe(
      query
    );
  });
});

describe('DataSource ad-hoc filters', () => {
  it('offers service, POP and region keys with named values', async () => {
    const ds = makeDataSource();
    expect(await ds.getTagKeys()).toEqual([{ text: 'service' }, { text: 'pop' }, { text: 'region' }]);
    const pops = await ds.getTagValues({ key: 'pop', filters: [] });
    expect(pops[0]).toEqual({ text: 'Amsterdam (AMS)', value: 'AMS' });
    const services = await ds.getTagValues({ key: 'service', filters: [] });
    expect(services[0]).toEqual({ text: 'www.example.com', value: 'SU1Z0isxPaozGVKXdv0eY' });
    expect(await ds.getTagValues({ key: 'country', filters: [] })).toEqual([]);
  });

  it('applies the filters after expanding variables', () => {
    const ds = makeDataSource();
    const out = ds.applyTemplateVariables(q({ services: ['$service'], queryType: 'realtime' }), {}, [
      eq('service', '7i6HN3TK9wS159v2gPAZ8A'),
      eq('pop', 'AMS'),
    ]);
    expect(out).toEqual(expect.objectContaining({ services: ['7i6HN3TK9wS159v2gPAZ8A'], pops: ['AMS'] }));
  });
});
