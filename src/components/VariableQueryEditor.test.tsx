import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BackendSrv, TemplateSrv, setBackendSrv, setTemplateSrv } from '@grafana/runtime';

import { VariableQueryEditor } from './VariableQueryEditor';
import { selectors } from './selectors';
import { fakeBackend, fakeTemplateSrv, makeDataSource } from '../testing/fakes';
import { FastlyVariableQuery } from '../types';

beforeEach(() => {
  setBackendSrv({ fetch: fakeBackend().fetch } as unknown as BackendSrv);
  setTemplateSrv(fakeTemplateSrv() as unknown as TemplateSrv);
});

function setup(query: FastlyVariableQuery) {
  const onChange = jest.fn();
  render(
    <VariableQueryEditor query={query} onChange={onChange} onRunQuery={jest.fn()} datasource={makeDataSource()} />
  );
  return { onChange };
}

describe('VariableQueryEditor', () => {
  it('lists services by default and hides the query type', () => {
    setup({ refId: 'v', kind: 'services' });
    expect(screen.getByTestId(selectors.variable.kind)).toHaveTextContent('Services');
    expect(screen.queryByTestId(selectors.variable.queryType)).toBeNull();
  });

  it('switching to metrics asks for a query type, defaulting to historical', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({ refId: 'v', kind: 'services' });
    await user.click(document.getElementById('fastly-variable-kind')!);
    await user.click(await screen.findByText('Metrics'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'v', kind: 'metrics', queryType: 'stats' });
  });

  it('changes the query type of a metrics variable', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({ refId: 'v', kind: 'metrics', queryType: 'stats' });
    expect(screen.getByTestId(selectors.variable.queryType)).toHaveTextContent('Historical');
    await user.click(document.getElementById('fastly-variable-query-type')!);
    await user.click(await screen.findByText('Real-time'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'v', kind: 'metrics', queryType: 'realtime' });
  });

  it('drops the query type when leaving metrics', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({ refId: 'v', kind: 'metrics', queryType: 'origins' });
    await user.click(document.getElementById('fastly-variable-kind')!);
    await user.click(await screen.findByText('POPs'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'v', kind: 'pops' });
  });
});

describe('VariableQueryEditor top lists', () => {
  it('switching to a top list starts from the top URLs and asks for a service and a limit', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({ refId: 'v', kind: 'metrics', queryType: 'stats' });
    await user.click(document.getElementById('fastly-variable-kind')!);
    await user.click(await screen.findByText('Top list'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'v', kind: 'insights', insight: 'top-url-by-requests' });
  });

  it('edits the service, ranking and limit, and drops them when leaving', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({ refId: 'v', kind: 'insights', insight: 'top-url-by-requests' });
    const service = screen.getByTestId(selectors.variable.service);
    await user.type(service, '$service');
    fireEvent.blur(service);
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'v',
      kind: 'insights',
      insight: 'top-url-by-requests',
      service: '$service',
    });
    await user.click(document.getElementById('fastly-variable-insight')!);
    await user.click(await screen.findByText('Status codes'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'v', kind: 'insights', insight: 'response-status-codes' });
    const limit = screen.getByTestId(selectors.variable.limit);
    await user.type(limit, '20');
    fireEvent.blur(limit);
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'v',
      kind: 'insights',
      insight: 'top-url-by-requests',
      limit: 20,
    });
    await user.click(document.getElementById('fastly-variable-kind')!);
    await user.click(await screen.findByText('POPs'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'v', kind: 'pops' });
  });
});

describe('VariableQueryEditor with a stored string query', () => {
  it('shows the kind the string names and saves the object form', async () => {
    const user = userEvent.setup();
    const { onChange } = setup('regions' as unknown as FastlyVariableQuery);
    expect(screen.getByTestId(selectors.variable.kind)).toHaveTextContent('Regions');
    await user.click(document.getElementById('fastly-variable-kind')!);
    await user.click(await screen.findByText('Services'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'variable', kind: 'services' });
  });
});
