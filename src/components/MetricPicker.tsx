import React, { useMemo, useState } from 'react';
import { SelectableValue } from '@grafana/data';
import { MultiSelect, Select, Stack } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { offeredMetrics } from '../queryTypes';
import { MetricInfo, QueryType } from '../types';
import { metricCategories, metricOptions, searchMetrics } from './metricSearch';
import { selected, values, variableOptions } from './options';
import { useLoader } from './useLoader';

interface Props {
  datasource: DataSource;
  queryType: QueryType;
  /** Live queries and POP maps: histograms (the latency heatmap) are not offered. */
  live?: boolean;
  popMap?: boolean;
  value: string[];
  onChange: (metrics: string[]) => void;
  inputId?: string;
  testId?: string;
  width?: number;
  /** Set by the surrounding InlineField when the last run reported an error about this field. */
  invalid?: boolean;
  /** Shown when nothing is chosen; for usage, nothing means all of its metrics. */
  placeholder?: string;
}

const ALL = '';

/**
 * Multi-select of the metrics the backend's catalog offers for the query type (see
 * offeredMetrics): common metrics first, a ranked search over
 * label, name and description (metricSearch.ts), and a category filter beside it.
 */
export function MetricPicker({
  datasource,
  queryType,
  live = false,
  popMap = false,
  value,
  onChange,
  inputId,
  testId,
  width = 50,
  invalid,
  placeholder = 'Choose metrics',
}: Props) {
  const metrics = useLoader<MetricInfo[]>(
    async () => offeredMetrics(await datasource.getMetrics(queryType), live, popMap),
    [],
    [datasource, queryType, live, popMap]
  );
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState(ALL);
  const categories = useMemo(() => metricCategories(metrics.value), [metrics.value]);
  const shown = useMemo(
    () => (category === ALL ? metrics.value : metrics.value.filter((m) => (m.category || 'Other') === category)),
    [metrics.value, category]
  );
  const options = useMemo(
    () => [
      ...(search.trim() === '' ? metricOptions(shown) : searchMetrics(shown, search)),
      ...variableOptions('metrics'),
    ],
    [shown, search]
  );
  // the chosen values are looked up in the whole catalog, whatever the filter
  const known = useMemo(() => metricOptions(metrics.value), [metrics.value]);

  return (
    <Stack gap={0.5}>
      <Select<string>
        // its own id: from Grafana 13 a Select without one takes the surrounding field's, which
        // belongs to the metrics below (the field's label points there)
        inputId={`${inputId ?? 'fastly-metrics'}-category`}
        aria-label="Metric category"
        options={[{ label: 'All categories', value: ALL }, ...categories.map((c) => ({ label: c, value: c }))]}
        value={category}
        onChange={(item: SelectableValue<string>) => setCategory(item?.value ?? ALL)}
        width={22}
      />
      <div data-testid={testId}>
        <MultiSelect<string>
          inputId={inputId}
          aria-label="Metrics"
          options={options}
          value={selected(value, [...known, ...options])}
          onChange={(items) => onChange(values(items))}
          onInputChange={(text, meta) => {
            if (meta.action === 'input-change' || text === '') {
              setSearch(text);
            }
          }}
          // the options are already the ranked matches of the search
          filterOption={() => true}
          isLoading={metrics.loading}
          allowCustomValue
          closeMenuOnSelect={false}
          placeholder={metrics.error ? `Could not load metrics: ${metrics.error}` : placeholder}
          width={width}
          invalid={invalid}
        />
      </div>
    </Stack>
  );
}
