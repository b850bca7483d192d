import React from 'react';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BackendSrv, TemplateSrv, setBackendSrv, setTemplateSrv } from '@grafana/runtime';

import { MetricPicker, metricOptions } from './MetricPicker';
import { METRICS, fakeBackend, fakeTemplateSrv, makeDataSource } from '../testing/fakes';

beforeEach(() => {
  setBackendSrv({ fetch: fakeBackend().fetch } as unknown as BackendSrv);
  setTemplateSrv(fakeTemplateSrv() as unknown as TemplateSrv);
});

describe('metricOptions', () => {
  it('groups catalog entries by category with unit and description', () => {
    expect(metricOptions(METRICS.stats)).toEqual([
      {
        label: 'Traffic',
        options: [
          { label: 'Requests', value: 'requests', description: 'short · Requests received' },
          { label: 'Bandwidth', value: 'bandwidth', description: 'bytes · Bytes sent to clients' },
        ],
      },
      {
        label: 'Cache',
        options: [
          { label: 'Hit ratio', value: 'hit_ratio', description: 'percentunit · Hits divided by hits and misses' },
        ],
      },
      {
        label: 'Errors',
        options: [{ label: '5xx responses', value: 'status_5xx', description: 'short · Responses with a 5xx status' }],
      },
    ]);
  });
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
    expect(screen.getByText('Miss latency p95')).toBeInTheDocument();
    expect(screen.queryByText('Hit ratio')).toBeNull();
    await user.type(input, '95th');
    await user.keyboard('{Enter}');
    expect(onChange).toHaveBeenCalledWith(['miss_latency_p95']);
  });
});
