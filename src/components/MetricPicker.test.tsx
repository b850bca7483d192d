import React from 'react';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BackendSrv, TemplateSrv, setBackendSrv, setTemplateSrv } from '@grafana/runtime';

import { MetricPicker } from './MetricPicker';
import { fakeBackend, fakeTemplateSrv, makeDataSource } from '../testing/fakes';

beforeEach(() => {
  setBackendSrv({ fetch: fakeBackend().fetch } as unknown as BackendSrv);
  setTemplateSrv(fakeTemplateSrv() as unknown as TemplateSrv);
});

describe('MetricPicker', () => {
  it('lists only the metrics of its query type, and finds them by description', async () => {
    const user = userEvent.setup();
    const onChange = jest.fn();
    render(
      <MetricPicker datasource={makeDataSource()} queryType="realtime" value={[]} onChange={onChange} inputId="m" />
    );
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
    const input = document.getElementById('m')!;
    await user.click(input);
    // in Common and in its category
    expect(screen.getAllByText('Miss latency p95')).toHaveLength(2);
    expect(screen.queryByText('Hit ratio')).toBeNull();
    await user.type(input, '95th');
    await user.keyboard('{Enter}');
    expect(onChange).toHaveBeenCalledWith(['miss_latency_p95']);
  });

  /** The metric options of the open menu, without group headings. */
  const offered = () => screen.getAllByRole('option').map((o) => o.textContent ?? '');

  it('narrows the menu and the search to the chosen category, keeping chips of other categories', async () => {
    const user = userEvent.setup();
    const onChange = jest.fn();
    render(
      <MetricPicker
        datasource={makeDataSource()}
        queryType="stats"
        value={['requests']}
        onChange={onChange}
        inputId="m"
      />
    );
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
    const category = screen.getByLabelText('Metric category');
    await user.click(category);
    // the categories authors look for first lead (metricOptions)
    expect(offered()).toEqual(['All categories', 'Cache', 'Errors', 'Traffic']);
    await user.click(screen.getByRole('option', { name: 'Cache' }));

    const input = document.getElementById('m')!;
    await user.click(input);
    // hit ratio in Common and in Cache, then the dashboard's variables, which any filter keeps
    const hit = 'Hit ratiopercent · Hits divided by hits and misses';
    expect(offered()).toEqual([hit, hit, '$serviceDashboard variable', '$regionDashboard variable']);
    // the chosen Requests (Traffic) still shows as a chip under the Cache filter
    expect(screen.getByText('Requests')).toBeInTheDocument();

    await user.type(input, '5xx');
    expect(screen.queryByRole('option', { name: /^5xx responses/ })).toBeNull();
    await user.clear(input);
    await user.keyboard('{Escape}');

    await user.click(category);
    await user.click(screen.getByRole('option', { name: 'Errors' }));
    await user.click(input);
    await user.type(input, '5xx');
    await user.keyboard('{Enter}');
    expect(onChange).toHaveBeenLastCalledWith(['requests', 'status_5xx']);
  });
});
