import { DataQueryResponse, FieldType, toDataFrame } from '@grafana/data';

import table from '../pkg/frames/testdata/legend_cases.json';
import { nameSeries, renderLegend } from './legend';

describe('renderLegend', () => {
  // the table pkg/frames/legend_test.go holds the Go renderer to
  it.each(table.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(renderLegend(c.format, c.labels as Record<string, string>, c.label)).toBe(c.want);
  });
});

describe('nameSeries', () => {
  const frame = () =>
    toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1000] },
        {
          name: 'requests LHR',
          type: FieldType.number,
          values: [7],
          labels: { metric: 'requests', service_name: 'shop', pop: 'LHR' },
          config: { unit: 'reqps', displayNameFromDS: 'shop Requests LHR' },
        },
        { name: 'pop_name', type: FieldType.string, values: ['London'] },
      ],
    });

  it('names the series fields only, keeping the rest of their config', () => {
    const f = frame();
    const rsp: DataQueryResponse = { data: [f] };
    expect(nameSeries(rsp, '{{pop}}: {{label}}', new Map([['requests', 'Requests']]))).toBe(rsp);
    expect(f.fields[1].config).toEqual({ unit: 'reqps', displayNameFromDS: 'LHR: Requests' });
    expect(f.fields[0].config).toEqual({});
    expect(f.fields[2].config).toEqual({});
  });

  it('gives a field a config of its own, leaving the one it shared untouched', () => {
    const f = frame();
    const shared = f.fields[1].config;
    nameSeries({ data: [f] }, '{{pop}}', new Map());
    expect(f.fields[1].config.displayNameFromDS).toBe('LHR');
    expect(shared.displayNameFromDS).toBe('shop Requests LHR');
  });

  it('shows the metric name when the catalog has no label for it', () => {
    const f = frame();
    nameSeries({ data: [f] }, '{{label}} {{pop}}', new Map());
    expect(f.fields[1].config.displayNameFromDS).toBe('requests LHR');
  });
});
