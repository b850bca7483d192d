import { DataQueryRequest, DataQueryResponse, FieldType, toDataFrame } from '@grafana/data';
import { BackendSrv, DataSourceWithBackend, TemplateSrv, setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { firstValueFrom, of } from 'rxjs';

import { fakeBackend, fakeTemplateSrv, makeDataSource } from './testing/fakes';
import { FastlyQuery, FastlyVariableQuery } from './types';

beforeEach(() => {
  setBackendSrv({ fetch: fakeBackend().fetch } as unknown as BackendSrv);
  setTemplateSrv(fakeTemplateSrv() as unknown as TemplateSrv);
});

afterEach(() => jest.restoreAllMocks());

describe('a top-list variable', () => {
  it('runs the backend insights query of its service and ranking over the dashboard range', async () => {
    const urls = toDataFrame({
      fields: [
        { name: 'url', type: FieldType.string, values: ['/', '/products'] },
        { name: 'request_percentage', type: FieldType.number, values: [40, 20] },
      ],
    });
    const query = jest
      .spyOn(DataSourceWithBackend.prototype, 'query')
      .mockReturnValue(of({ data: [urls] } as DataQueryResponse));
    const ds = makeDataSource();
    const variable: FastlyVariableQuery = {
      refId: 'v',
      kind: 'insights',
      service: '$service',
      insight: 'top-url-by-requests',
      limit: 20,
    };
    const request = {
      targets: [variable],
      range: { from: 1, to: 2 },
    } as unknown as DataQueryRequest<FastlyVariableQuery>;
    const variables = ds.variables as unknown as {
      query: (r: DataQueryRequest<FastlyVariableQuery>) => import('rxjs').Observable<DataQueryResponse>;
    };
    const answer = await firstValueFrom(variables.query(request));
    expect(answer.data).toEqual([urls]);
    const sent = query.mock.calls[0][0] as DataQueryRequest<FastlyQuery>;
    expect(sent.range).toEqual({ from: 1, to: 2 });
    expect(sent.targets).toEqual([
      expect.objectContaining({
        refId: 'v',
        queryType: 'insights',
        services: ['$service'],
        insight: 'top-url-by-requests',
        limit: 20,
      }),
    ]);
  });
});
