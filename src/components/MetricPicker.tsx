import React, { useMemo } from 'react';
import { SelectableValue } from '@grafana/data';
import { MultiSelect } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { offeredMetrics } from '../queryTypes';
import { MetricInfo, QueryType } from '../types';
import { matchOption, selected, values, variableOptions } from './options';
import { useLoader } from './useLoader';

interface Props {
  datasource: DataSource;
  queryType: QueryType;
  /** Live origins/domains queries: the historical-only heatmap is not offered. */
  live?: boolean;
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

/** Catalog entries grouped by category, each with its unit and one-line description. */
export function metricOptions(metrics: MetricInfo[]): Array<SelectableValue<string>> {
  const groups = new Map<string, Array<SelectableValue<string>>>();
  for (const m of metrics) {
    const category = m.category || 'Other';
    const list = groups.get(category) ?? [];
    list.push({
      label: m.label || m.name,
      value: m.name,
      description: [m.unit, m.description].filter(Boolean).join(' · '),
    });
    groups.set(category, list);
  }
  return Array.from(groups, ([label, options]) => ({ label, options }));
}

/**
 * Multi-select of the metrics the backend's catalog offers for the query type (with the origins
 * heatmap the editor adds, see offeredMetrics).
 */
export function MetricPicker({
  datasource,
  queryType,
  live = false,
  value,
  onChange,
  inputId,
  testId,
  width = 50,
  invalid,
  placeholder = 'Choose metrics',
}: Props) {
  const metrics = useLoader<MetricInfo[]>(
    async () => offeredMetrics(queryType, live, await datasource.getMetrics(queryType)),
    [],
    [datasource, queryType, live]
  );
  const options = useMemo(() => [...metricOptions(metrics.value), ...variableOptions()], [metrics.value]);

  return (
    <div data-testid={testId}>
      <MultiSelect<string>
        inputId={inputId}
        aria-label="Metrics"
        options={options}
        value={selected(value, options)}
        onChange={(items) => onChange(values(items))}
        filterOption={matchOption}
        isLoading={metrics.loading}
        allowCustomValue
        closeMenuOnSelect={false}
        placeholder={metrics.error ? `Could not load metrics: ${metrics.error}` : placeholder}
        width={width}
        invalid={invalid}
      />
    </div>
  );
}
