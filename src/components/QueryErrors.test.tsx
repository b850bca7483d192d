import React from 'react';
import { act, render, screen, within } from '@testing-library/react';
import { BackendSrv, TemplateSrv, setBackendSrv, setTemplateSrv } from '@grafana/runtime';

import { QueryEditor } from './QueryEditor';
import { selectors } from './selectors';
import { fakeBackend, fakeTemplateSrv, makeDataSource } from '../testing/fakes';
import { FIELD_ERROR_CASES, FieldErrorCase, panelDataOf } from '../testing/fieldErrors';
import { DEFAULT_QUERY, FastlyQuery } from '../types';

beforeEach(() => {
  setBackendSrv({ fetch: fakeBackend().fetch } as unknown as BackendSrv);
  setTemplateSrv(fakeTemplateSrv() as unknown as TemplateSrv);
});

/**
 * Cases whose field the view of that query does not show (a live inspector shows no region,
 * origin or domain filter; insights show no filter builder; real-time has no top list). Their
 * messages stay general.
 */
const NO_PLACE = new Set([
  'region live',
  'origin filter live',
  'domain filter live',
  'filter on a ranking',
  'top of realtime',
]);

/** The editor fields the cases must reach: every one with an error slot but the insights domain, which no query can get wrong. */
const REACHED = [
  'queryType',
  'services',
  'metrics',
  'format',
  'resolution',
  'region',
  'pops',
  'groupBy',
  'origins',
  'domains',
  'insight',
  'limit',
  'filters',
  'series',
  'dimension',
];

async function renderCase(c: FieldErrorCase) {
  const query: FastlyQuery = { ...DEFAULT_QUERY, refId: 'A', ...c.query };
  render(
    <QueryEditor
      query={query}
      onChange={jest.fn()}
      onRunQuery={jest.fn()}
      datasource={makeDataSource()}
      data={panelDataOf(c)}
    />
  );
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
}

/** The messages shown beside editor fields, as "field: message". */
const fieldMessages = () =>
  Array.from(document.querySelectorAll('[data-testid^="fastly-query-field-"]')).flatMap((field) =>
    within(field as HTMLElement)
      .queryAllByRole('alert')
      .map((alert) => `${field.getAttribute('data-testid')!.replace('fastly-query-field-', '')}: ${alert.textContent}`)
  );

describe('backend errors land where the backend says', () => {
  it('covers every editor field with an error slot', () => {
    const placed = new Set(
      FIELD_ERROR_CASES.filter((c) => !NO_PLACE.has(c.name) && c.field !== '').map((c) => c.field)
    );
    expect([...placed].sort()).toEqual([...REACHED].sort());
    expect(FIELD_ERROR_CASES.some((c) => c.field === '')).toBe(true);
  });

  it.each(FIELD_ERROR_CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    await renderCase(c);
    const message = c.response.results.A.error;
    if (c.field !== '' && !NO_PLACE.has(c.name)) {
      expect(fieldMessages()).toEqual([`${c.field}: ${message}`]);
      expect(screen.queryByTestId(selectors.query.errors)).toBeNull();
    } else {
      expect(fieldMessages()).toEqual([]);
      expect(screen.getByTestId(selectors.query.errors)).toHaveTextContent(message);
    }
  });
});
