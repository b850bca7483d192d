// The editor's half of the Go test TestAThrowawayTypeNeedsOnlyItsRegistration: the registry
// entry it writes for a throwaway type (src/testing/throwawayType.generated.json) is added to
// the registry the editor builds on, as `go test ./pkg/plugin -run QueryTypesFile -update` would
// add a new type, and the editor offers the type and draws it with no code of its own.
import React from 'react';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BackendSrv, TemplateSrv, setBackendSrv, setTemplateSrv } from '@grafana/runtime';

import throwaway from '../../testing/throwawayType.generated.json';
import { fakeBackend, fakeTemplateSrv, makeDataSource } from '../../testing/fakes';
import { DEFAULT_QUERY, FastlyQuery, QueryType } from '../../types';
import { QueryEditor } from '../QueryEditor';
import { selectors } from '../selectors';

jest.mock('../../queryTypes.generated.json', () => {
  const actual = jest.requireActual('../../queryTypes.generated.json');
  return { ...actual, types: [...actual.types, jest.requireActual('../../testing/throwawayType.generated.json')] };
});
jest.mock('../../queryModel.generated', () => {
  const actual = jest.requireActual('../../queryModel.generated');
  return { ...actual, QUERY_TYPE_NAMES: [...actual.QUERY_TYPE_NAMES, 'bots'] };
});

let backend: ReturnType<typeof fakeBackend>;

beforeEach(() => {
  backend = fakeBackend();
  setBackendSrv({ fetch: backend.fetch } as unknown as BackendSrv);
  setTemplateSrv(fakeTemplateSrv() as unknown as TemplateSrv);
});

it('offers a type the registry adds and draws the fields it states', async () => {
  const user = userEvent.setup();
  const onChange = jest.fn();
  const datasource = makeDataSource();
  const query: FastlyQuery = { ...DEFAULT_QUERY, refId: 'A', services: ['*'] };
  const utils = render(<QueryEditor query={query} onChange={onChange} onRunQuery={jest.fn()} datasource={datasource} />);
  onChange.mockImplementation((q: FastlyQuery) =>
    utils.rerender(<QueryEditor query={q} onChange={onChange} onRunQuery={jest.fn()} datasource={datasource} />)
  );

  await user.click(document.getElementById('fastly-query-type')!);
  await user.click(await screen.findByText(throwaway.label));
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });

  const last: FastlyQuery = onChange.mock.calls[onChange.mock.calls.length - 1][0];
  expect(last.queryType).toBe('bots' as QueryType);
  expect(last.metrics).toEqual(['requests']); // its defaults: Historical's are of another family
  expect(backend.calls).toContainEqual({ path: 'metrics', params: { queryType: 'bots' } });
  const shown = [...throwaway.fields, 'queryType', 'services'].filter(
    (f) => screen.queryByTestId(selectors.query.field(f)) !== null
  );
  expect(shown.sort()).toEqual([...throwaway.fields, 'queryType', 'services'].sort());
  expect(screen.queryByTestId(selectors.query.field('region'))).toBeNull();
  const groupings = within(screen.getByTestId(selectors.query.groupBy)).getAllByRole('radio');
  expect(groupings).toHaveLength(throwaway.groupBy.length);
});
