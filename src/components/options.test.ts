import { TemplateSrv, setTemplateSrv } from '@grafana/runtime';

import { variableOptions } from './options';

const fastly = { type: 'opsdeck-fastly-datasource', uid: 'f' };

/** A dashboard's variables as Grafana lists them. */
const VARIABLES = [
  { name: 'service', type: 'query', datasource: fastly, query: { refId: 'v', kind: 'services' } },
  { name: 'pop', type: 'query', datasource: fastly, query: { refId: 'v', kind: 'pops' } },
  { name: 'metric', type: 'query', datasource: fastly, query: { refId: 'v', kind: 'metrics', queryType: 'stats' } },
  // a hand-written dashboard's bare kind string
  { name: 'region', type: 'query', datasource: fastly, query: 'regions' },
  { name: 'url', type: 'query', datasource: fastly, query: { refId: 'v', kind: 'insights' } },
  { name: 'env', type: 'custom', query: 'a,b' },
  { name: 'host', type: 'query', datasource: { type: 'prometheus', uid: 'p' }, query: 'label_values(host)' },
  { name: 'interval', type: 'interval', query: '1m,5m' },
  { name: 'Filters', type: 'adhoc', datasource: fastly },
];

beforeEach(() => {
  setTemplateSrv({ getVariables: () => VARIABLES } as unknown as TemplateSrv);
});

describe('variableOptions', () => {
  it.each([
    ['services', ['$service', '$env', '$host']],
    ['pops', ['$pop', '$env', '$host']],
    ['regions', ['$region', '$env', '$host']],
    ['metrics', ['$metric', '$env', '$host']],
    ['origins', ['$env', '$host']],
  ] as const)('offers the %s picker only its own Fastly variables and other value variables', (kind, names) => {
    expect(variableOptions(kind).map((o) => o.value)).toEqual(names);
  });
});
