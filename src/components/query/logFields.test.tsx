import React from 'react';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BackendSrv, TemplateSrv, setBackendSrv, setTemplateSrv } from '@grafana/runtime';

import { QueryEditor } from '../QueryEditor';
import { selectors } from '../selectors';
import { fakeBackend, fakeTemplateSrv, makeDataSource } from '../../testing/fakes';
import { DEFAULT_QUERY, FastlyQuery } from '../../types';

let backend: ReturnType<typeof fakeBackend>;

beforeEach(() => {
  backend = fakeBackend();
  setBackendSrv({ fetch: backend.fetch } as unknown as BackendSrv);
  setTemplateSrv(fakeTemplateSrv() as unknown as TemplateSrv);
});

function setup(over: Partial<FastlyQuery>) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const datasource = makeDataSource();
  const query: FastlyQuery = { ...DEFAULT_QUERY, refId: 'A', services: ['SU1Z0isxPaozGVKXdv0eY'], ...over };
  const utils = render(
    <QueryEditor query={query} onChange={onChange} onRunQuery={onRunQuery} datasource={datasource} />
  );
  onChange.mockImplementation((q: FastlyQuery) =>
    utils.rerender(<QueryEditor query={q} onChange={onChange} onRunQuery={onRunQuery} datasource={datasource} />)
  );
  return { onChange, onRunQuery, datasource };
}

async function settle() {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
}

const q = selectors.query;
const shown = (id: string) => screen.queryByTestId(id) !== null;
const last = (fn: jest.Mock) => fn.mock.calls[fn.mock.calls.length - 1][0] as FastlyQuery;

describe('insights queries', () => {
  it('show a ranking picker with descriptions, a limit and a domain, and no metrics or legend', async () => {
    const user = userEvent.setup();
    const { onChange, onRunQuery } = setup({ queryType: 'insights', metrics: [] });
    await settle();
    for (const id of [q.insight, q.limit, q.domain, q.pops]) {
      expect({ id, shown: shown(id) }).toEqual({ id, shown: true });
    }
    for (const id of [q.metrics, q.legendFormat, q.filters, q.resolution]) {
      expect({ id, shown: shown(id) }).toEqual({ id, shown: false });
    }
    expect(screen.getByTestId(q.insight)).toHaveTextContent('Top URLs by requests');
    await user.click(document.getElementById('fastly-query-insight')!);
    expect(await screen.findByText(/^Requests by HTTP status code/)).toBeInTheDocument();
    await user.click(screen.getByText('Status codes'));
    expect(last(onChange).insight).toBe('response-status-codes');
    expect(onRunQuery).toHaveBeenCalled();
    expect(backend.calls.map((c) => c.path)).toContain('logs-catalog');
  });

  it('commit the limit when the box loses focus', async () => {
    const { onChange } = setup({ queryType: 'insights', metrics: [] });
    await settle();
    const box = screen.getByTestId(q.limit);
    fireEvent.change(box, { target: { value: '25' } });
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.blur(box);
    expect(last(onChange).limit).toBe(25);
  });
});

describe('logs queries', () => {
  it('build filters row by row', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({ queryType: 'logs', metrics: [] });
    await settle();
    expect(shown(q.insight)).toBe(false);
    await user.click(screen.getByTestId(q.addFilter));
    expect(last(onChange).filters).toEqual([{ field: '', op: 'eq', value: '' }]);

    const row = within(screen.getByTestId(q.filterRow(0)));
    await user.click(row.getByLabelText('Filter 1 field'));
    await user.click(await screen.findByText('response_status'));
    await user.click(row.getByLabelText('Filter 1 operator'));
    await user.click(await screen.findByText('at least'));
    const value = row.getByLabelText('Filter 1 value');
    expect(value).toHaveAttribute('placeholder', '503');
    await user.type(value, '500');
    fireEvent.blur(value);
    expect(last(onChange).filters).toEqual([{ field: 'response_status', op: 'gte', value: '500' }]);

    await user.click(row.getByLabelText('Remove filter 1'));
    expect(last(onChange).filters).toEqual([]);
  });

  it('keep their filters when becoming a log series, and drop them when becoming stats', async () => {
    const user = userEvent.setup();
    const filters = [{ field: 'fastly_pop', op: 'eq', value: 'LHR' }];
    const { onChange } = setup({ queryType: 'logs', metrics: [], filters, limit: 500 });
    await settle();
    await user.click(document.getElementById('fastly-query-type')!);
    await user.click(await screen.findByText('Logs over time'));
    await settle();
    const series = last(onChange);
    expect(series.queryType).toBe('logseries');
    expect(series.filters).toEqual(filters);
    expect(series.limit).toBeUndefined();
    expect(shown(q.series) && shown(q.dimension)).toBe(true);

    await user.click(document.getElementById('fastly-query-type')!);
    await user.click(await screen.findByText('Historical'));
    await settle();
    const stats = last(onChange);
    expect(stats.queryType).toBe('stats');
    expect(stats.filters).toBeUndefined();
    expect(stats.metrics).toEqual(['all_requests']);
  });
});

describe('applyTemplateVariables for sampled-log queries', () => {
  it('expands variables in filter values and leaves out rows still being written', () => {
    const ds = makeDataSource();
    setTemplateSrv(fakeTemplateSrv({ pop: 'FRA' }) as unknown as TemplateSrv);
    const out = ds.applyTemplateVariables(
      {
        ...DEFAULT_QUERY,
        refId: 'A',
        queryType: 'logs',
        services: ['SU1Z0isxPaozGVKXdv0eY'],
        filters: [
          { field: 'fastly_pop', op: 'eq', value: '$pop' },
          { field: '', op: 'eq', value: '' },
          { field: 'response_status', op: 'gte', value: '' },
        ],
      },
      {}
    );
    expect(out.filters).toEqual([{ field: 'fastly_pop', op: 'eq', value: 'FRA' }]);
  });
});
