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
});
