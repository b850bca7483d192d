import { DataFrame, DataFrameJSON, DataFrameType, DataQueryRequest, DataQueryResponse, FieldType } from '@grafana/data';
import { BackendSrv, TemplateSrv, setBackendSrv, setGrafanaLiveSrv, setTemplateSrv } from '@grafana/runtime';
import { Subscription, of } from 'rxjs';

import { fakeBackend, fakeTemplateSrv, makeDataSource } from './testing/fakes';
import { fakeLive } from './testing/live';
import { DEFAULT_QUERY, FastlyQuery } from './types';

const SVC = 'SU1Z0isxPaozGVKXdv0eY';
const T0 = Date.UTC(2026, 10, 27, 14, 0, 0);

/** A real-time series field as the backend frames it (pkg/frames/realtime.go). */
const series = (pop: string, displayNameFromDS: string) => ({
  name: `requests ${pop}`,
  type: FieldType.number,
  labels: { metric: 'requests', service: SVC, service_name: 'www.example.com', pop },
  config: { unit: 'reqps', displayNameFromDS },
});
const TIME = { name: 'time', type: FieldType.time };

/** A query's answer with its live channel: what QueryData sends, named by the query's legend. */
const answer = (refId: string, path: string, names: Record<string, string>): DataFrameJSON => ({
  schema: {
    refId,
    meta: { channel: `ds/fastly-uid/${path}`, type: DataFrameType.TimeSeriesWide },
    fields: [TIME, ...Object.entries(names).map(([pop, name]) => series(pop, name))],
  },
  data: { values: [[T0, T0 + 1000], ...Object.keys(names).map(() => [5, 6])] },
});

/** RunStream's first packet: the schema (no refId, default names, a POP that just appeared) and a row. */
const newSchema = (pops: string[], second: number): DataFrameJSON => ({
  schema: {
    meta: {},
    fields: [TIME, ...pops.map((pop) => series(pop, `www.example.com Requests ${pop}`))],
  },
  data: { values: [[T0 + second * 1000], ...pops.map(() => [second])] },
});

/** RunStream's later packets: rows only. */
const rows = (n: number, second: number): DataFrameJSON => ({
  data: { values: [[T0 + second * 1000], ...Array.from({ length: n }, () => [second])] },
});

const realtime = (over: Partial<FastlyQuery>): FastlyQuery => ({
  ...DEFAULT_QUERY,
  refId: 'A',
  queryType: 'realtime',
  services: [SVC],
  groupBy: 'pop',
  ...over,
});

let live: ReturnType<typeof fakeLive>;
let backend: ReturnType<typeof fakeBackend>;
/** What /api/ds/query answers per refId, and the requests it got. */
let answers: Record<string, DataFrameJSON>;
let requests: Array<{ requestId?: string; refIds: string[] }>;
let subs: Subscription[];

beforeEach(() => {
  backend = fakeBackend();
  live = fakeLive();
  answers = {};
  requests = [];
  subs = [];
  setGrafanaLiveSrv(live.srv);
  setTemplateSrv(fakeTemplateSrv() as unknown as TemplateSrv);
  const fetch = jest.fn((req: { url: string; requestId?: string; data?: { queries: FastlyQuery[] } }) => {
    if (!req.url.startsWith('/api/ds/query')) {
      return backend.fetch(req);
    }
    const refIds = req.data!.queries.map((q) => q.refId);
    requests.push({ requestId: req.requestId, refIds });
    const results = Object.fromEntries(refIds.map((r) => [r, { status: 200, frames: [answers[r]] }]));
    return of({ data: { results }, status: 200, ok: true });
  });
  setBackendSrv({ fetch } as unknown as BackendSrv);
});

afterEach(() => subs.forEach((s) => s.unsubscribe()));

/** Runs a panel's queries; the returned list fills with what the panel receives. */
async function run(...targets: FastlyQuery[]): Promise<DataQueryResponse[]> {
  const seen: DataQueryResponse[] = [];
  const request = {
    requestId: 'q1',
    targets,
    scopedVars: {},
    maxDataPoints: 500,
  } as unknown as DataQueryRequest<FastlyQuery>;
  subs.push(
    makeDataSource()
      .query(request)
      .subscribe((r) => seen.push(r))
  );
  await new Promise((resolve) => setTimeout(resolve, 0)); // the catalog and the query answer
  return seen;
}

const frameOf = (r: DataQueryResponse): DataFrame => r.data[0];
const names = (r: DataQueryResponse) =>
  frameOf(r)
    .fields.filter((f) => f.labels?.metric)
    .map((f) => f.config.displayNameFromDS);

describe('query: legends of live queries', () => {
  const PATH = `rt/${SVC}/m=requests/g=pop`;

  it('names every streamed frame by the legend, through a new schema and new rows', async () => {
    answers.A = answer('A', PATH, { LHR: 'LHR · Requests' });
    const seen = await run(realtime({ legendFormat: '{{pop}} · {{label}}' }));
    expect(seen).toHaveLength(1);
    expect(names(seen[0])).toEqual(['LHR · Requests']);

    live.send(PATH, newSchema(['LHR', 'SYD'], 2));
    expect(seen).toHaveLength(2);
    expect(frameOf(seen[1]).refId).toBeUndefined(); // why the query runs on its own: refIds do not survive
    expect(names(seen[1])).toEqual(['LHR · Requests', 'SYD · Requests']);

    live.send(PATH, rows(2, 3));
    expect(seen).toHaveLength(3);
    expect(frameOf(seen[2])).toBe(frameOf(seen[1])); // rows extend the same frame in place
    expect(frameOf(seen[2]).length).toBe(4);
    expect(frameOf(seen[2]).fields[2].values).toEqual([undefined, undefined, 2, 3]);
    expect(names(seen[2])).toEqual(['LHR · Requests', 'SYD · Requests']);
    expect(new Set(seen.map((r) => r.key)).size).toBe(1);
  });

  it('keeps each panel on one channel to its own legend', async () => {
    answers.A = answer('A', PATH, { LHR: 'LHR' });
    const first = await run(realtime({ legendFormat: '{{pop}}' }));
    answers.A = answer('A', PATH, { LHR: 'Requests at LHR' });
    const second = await run(realtime({ legendFormat: '{{ label }} at {{ pop }}' }));

    live.send(PATH, newSchema(['LHR', 'SYD'], 2));
    live.send(PATH, rows(2, 3));
    expect(names(first[first.length - 1])).toEqual(['LHR', 'SYD']);
    expect(names(second[second.length - 1])).toEqual(['Requests at LHR', 'Requests at SYD']);
  });

  it('runs a live query with a legend alone, and leaves the other queries as the backend names them', async () => {
    const plainPath = `rt/${SVC}/m=requests`;
    answers.A = answer('A', PATH, { LHR: 'LHR' });
    answers.B = answer('B', plainPath, { LHR: 'www.example.com Requests LHR' });
    answers.C = {
      schema: { refId: 'C', fields: [TIME, { ...series('', 'as the backend named it'), name: 'requests' }] },
      data: { values: [[T0], [9]] },
    };
    const seen = await run(realtime({ legendFormat: '{{pop}}' }), realtime({ refId: 'B', groupBy: '' }), {
      ...DEFAULT_QUERY,
      refId: 'C',
      services: [SVC],
      legendFormat: '{{pop}}',
    });
    expect(requests).toHaveLength(2);
    expect(requests).toEqual(
      expect.arrayContaining([
        { requestId: 'q1-legend-A', refIds: ['A'] },
        { requestId: 'q1', refIds: ['B', 'C'] },
      ])
    );
    const c = seen.find((r) => frameOf(r).refId === 'C')!;
    expect(names(c)).toEqual(['as the backend named it']);

    live.send(plainPath, newSchema(['LHR'], 2));
    expect(names(seen[seen.length - 1])).toEqual(['www.example.com Requests LHR']);
  });

  it('takes the metric label from the query type catalog and expands variables in the legend', async () => {
    const path = `oi/${SVC}/m=responses/g=pop`;
    answers.A = answer('A', path, {});
    const seen = await run(
      realtime({ queryType: 'origins', live: true, metrics: ['responses'], legendFormat: '$region {{label}} {{pop}}' })
    );
    live.send(path, {
      schema: {
        fields: [TIME, { ...series('CDG', ''), name: 'responses CDG', labels: { metric: 'responses', pop: 'CDG' } }],
      },
      data: { values: [[T0], [1]] },
    });
    expect(names(seen[seen.length - 1])).toEqual(['europe Origin responses CDG']);
    expect(backend.calls).toContainEqual({ path: 'metrics', params: { queryType: 'origins' } });
  });

  it('shows the metric name for {{label}} when the catalog cannot be read', async () => {
    backend.answer.mockRejectedValueOnce({ status: 502, data: { message: 'bad gateway' } });
    answers.A = answer('A', PATH, { LHR: 'Requests LHR' });
    const seen = await run(realtime({ legendFormat: '{{label}} {{pop}}' }));
    live.send(PATH, newSchema(['LHR'], 2));
    expect(names(seen[seen.length - 1])).toEqual(['requests LHR']);
  });
});
