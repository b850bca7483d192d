import React from 'react';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BackendSrv, TemplateSrv, setBackendSrv, setTemplateSrv } from '@grafana/runtime';

import { QueryEditor } from '../QueryEditor';
import { selectors } from '../selectors';
import { fakeBackend, fakeTemplateSrv, makeDataSource } from '../../testing/fakes';
import { METRICS } from '../../testing/fixtures';
import { DEFAULT_QUERY, FastlyQuery, MetricInfo } from '../../types';
import { perSecondMeaningless } from './perSecond';

/** Entries as the backend's /metrics lists them (pkg/catalog). */
const entry = (name: string, unit: string): MetricInfo => ({
  name,
  unit,
  label: name,
  category: '',
  description: '',
  kinds: ['historical'],
});
const CATALOG = [
  entry('requests', 'short'),
  entry('bandwidth', 'decbytes'),
  entry('hit_ratio', 'percentunit'),
  entry('error_ratio', 'percentunit'),
  entry('bandwidth_bps', 'bps'),
  entry('origin_latency_p95', 'ms'),
  entry('compute_execution_time_ms', 'ms'),
];

describe('perSecondMeaningless', () => {
  it('says why when every metric is a ratio, a rate or a latency percentile', () => {
    expect(perSecondMeaningless(['hit_ratio', 'error_ratio'], CATALOG)).toBe(
      'Per second divides counts by the bucket length; ratios are not counts, so it would change nothing.'
    );
    expect(perSecondMeaningless(['hit_ratio', 'bandwidth_bps', 'origin_latency_p95'], CATALOG)).toBe(
      'Per second divides counts by the bucket length; ratios and rates and latency percentiles are not counts, so it would change nothing.'
    );
  });

  it('keeps the switch when one metric is a count, summed times in ms included', () => {
    expect(perSecondMeaningless(['hit_ratio', 'requests'], CATALOG)).toBe('');
    expect(perSecondMeaningless(['compute_execution_time_ms'], CATALOG)).toBe('');
    expect(perSecondMeaningless(['bandwidth'], CATALOG)).toBe('');
  });

  it('keeps the switch for what it cannot know: no metric, or one the catalog does not list', () => {
    expect(perSecondMeaningless([], CATALOG)).toBe('');
    expect(perSecondMeaningless(['hit_ratio', '$metric'], CATALOG)).toBe('');
    expect(perSecondMeaningless(['hit_ratio'], [])).toBe('');
  });
});

describe('Per second in the query editor', () => {
  beforeEach(() => {
    setBackendSrv({ fetch: fakeBackend().fetch } as unknown as BackendSrv);
    setTemplateSrv(fakeTemplateSrv() as unknown as TemplateSrv);
  });

  async function editor(over: Partial<FastlyQuery>) {
    const onChange = jest.fn();
    const query: FastlyQuery = { ...DEFAULT_QUERY, refId: 'A', services: ['*'], ...over };
    render(<QueryEditor query={query} onChange={onChange} onRunQuery={jest.fn()} datasource={makeDataSource()} />);
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0)); // the catalog
    });
    return { onChange, toggle: screen.getByTestId(selectors.query.perSecond) as HTMLInputElement };
  }

  it('is disabled when only ratios are chosen (the browser check reads its tooltip)', async () => {
    expect(METRICS.stats.find((m) => m.name === 'hit_ratio')?.unit).toBe('percentunit');
    const { toggle, onChange } = await editor({ metrics: ['hit_ratio'] });
    expect(toggle).toBeDisabled();
    await userEvent.click(toggle);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('is disabled for the latency percentiles of an origins query', async () => {
    const { toggle } = await editor({ queryType: 'origins', metrics: ['origin_latency_p95'], groupBy: 'origin' });
    expect(toggle).toBeDisabled();
  });

  it('works when a count is among the metrics', async () => {
    const { toggle, onChange } = await editor({ metrics: ['hit_ratio', 'requests'] });
    expect(toggle).toBeEnabled();
    await userEvent.click(toggle);
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ perSecond: true }));
  });
});
