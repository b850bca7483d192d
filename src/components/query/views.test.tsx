import React from 'react';
import { act, render, screen } from '@testing-library/react';
import { BackendSrv, TemplateSrv, setBackendSrv, setTemplateSrv } from '@grafana/runtime';

import { EDITOR_FIELDS, QUERY_TYPE_NAMES } from '../../queryModel.generated';
import { QUERY_TYPES, viewSpec } from '../../queryTypes';
import { fakeBackend, fakeTemplateSrv, makeDataSource } from '../../testing/fakes';
import { DEFAULT_QUERY, FastlyQuery, QueryType } from '../../types';
import { QueryEditor } from '../QueryEditor';
import { selectors } from '../selectors';

beforeEach(() => {
  setBackendSrv({ fetch: fakeBackend().fetch } as unknown as BackendSrv);
  setTemplateSrv(fakeTemplateSrv() as unknown as TemplateSrv);
});

/** The editor fields the page shows, by their test ids. */
const shownFields = () => EDITOR_FIELDS.filter((f) => screen.queryByTestId(selectors.query.field(f)) !== null);

/** Every view of every type: Live off and on, time series and POP map, where the type has them. */
const VIEWS = QUERY_TYPE_NAMES.flatMap((type) =>
  [false, true].flatMap((live) =>
    [false, true]
      .filter((popMap) => (QUERY_TYPES[type].live || !live) && (QUERY_TYPES[type].popMap || !popMap))
      .map((popMap) => [type, live, popMap] as const)
  )
);

describe('every query type is drawn from its spec', () => {
  it.each(VIEWS)('%s (live %s, POP map %s) shows the fields its spec states', async (type, live, popMap) => {
    const query: FastlyQuery = {
      ...DEFAULT_QUERY,
      refId: 'A',
      queryType: type as QueryType,
      services: ['*'], // a top list shows only where several services may be read
      metrics: [...QUERY_TYPES[type].defaultMetrics],
      groupBy: popMap ? 'pop' : QUERY_TYPES[type].startGroupBy,
      ...(live ? { live } : {}),
      ...(popMap ? { format: 'popmap' as const } : {}),
    };
    render(<QueryEditor query={query} onChange={jest.fn()} onRunQuery={jest.fn()} datasource={makeDataSource()} />);
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(shownFields().sort()).toEqual([...viewSpec(type, live, popMap).fields].sort());
  });

  it('covers the views that differ', () => {
    expect(VIEWS.length).toBeGreaterThan(QUERY_TYPE_NAMES.length);
    expect(VIEWS.some(([, live]) => live)).toBe(true);
    expect(VIEWS.some(([, , popMap]) => popMap)).toBe(true);
  });
});
