import React from 'react';
import { SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, InlineSwitch, Select } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { QueryTypeSpec } from '../queryTypes';
import { FastlyQuery, LogsCatalog } from '../types';
import { BlurInput, parseLimit } from './BlurInput';
import { LogFilters } from './LogFilters';
import { LABEL_WIDTH } from './layout';
import { selectors } from './selectors';
import { useLoader } from './useLoader';

/** Defaults and bounds of `limit` per type (pkg/models/observability.go). */
export const LIMITS: Record<Exclude<QueryTypeSpec['logFields'], ''>, { def: number; max: number; what: string }> = {
  insights: { def: 10, max: 100, what: 'rows' },
  logs: { def: 100, max: 5000, what: 'lines' },
  logseries: { def: 10, max: 100, what: 'series' },
};

const EMPTY_CATALOG: LogsCatalog = { rankings: [], filterFields: [], filterOps: [], dimensions: [], series: [] };

interface Props {
  datasource: DataSource;
  kind: Exclude<QueryTypeSpec['logFields'], ''>;
  query: FastlyQuery;
  apply: (patch: Partial<FastlyQuery>) => void;
  /** Props for an InlineField of an editor field: test id and, after a failed run, its errors. */
  fieldProps: (field: 'insight' | 'limit' | 'filters' | 'series' | 'dimension' | 'domain') => object;
}

/** The sampled-log fields chosen from a list. */
type PickedField = 'insight' | 'series' | 'dimension';

/**
 * What each picker says and starts with. An empty choice is applied only where it is the
 * default (no split); elsewhere clearing a picker keeps the query's value.
 */
const PICKERS: Record<
  PickedField,
  { label: string; tooltip: string; fallback: string; width: number; allowCustomValue?: boolean }
> = {
  insight: {
    label: 'Ranking',
    tooltip: "Which top list Fastly's Log Insights computes from the sampled logs",
    fallback: 'top-url-by-requests',
    width: 40,
  },
  series: {
    label: 'Series',
    tooltip:
      "What each series shows, as Fastly's reference documents it: the average (avg) or 99th percentile (p99) of a log field per bucket, such as avg[response_time] (seconds)",
    fallback: 'avg[response_time]',
    width: 28,
    allowCustomValue: true,
  },
  dimension: {
    label: 'Split by',
    tooltip: 'One series per value of this log field, the largest first',
    fallback: '',
    width: 26,
  },
};

/** A labelled picker of one sampled-log field: its ids, error and value follow from its name. */
function SelectField({
  field,
  options,
  loading,
  query,
  apply,
  fieldProps,
}: Pick<Props, 'query' | 'apply' | 'fieldProps'> & {
  field: PickedField;
  options: Array<SelectableValue<string>>;
  loading: boolean;
}) {
  const p = PICKERS[field];
  const choose = (value: string) => (value !== '' || p.fallback === '') && apply({ [field]: value });
  return (
    <InlineField label={p.label} labelWidth={LABEL_WIDTH} tooltip={p.tooltip} {...fieldProps(field)}>
      <div data-testid={selectors.query[field]}>
        <Select<string>
          inputId={`fastly-query-${field}`}
          aria-label={p.label}
          options={options}
          value={query[field] ?? p.fallback}
          onChange={(v) => choose(v.value ?? '')}
          isLoading={loading}
          allowCustomValue={p.allowCustomValue}
          width={p.width}
        />
      </div>
    </InlineField>
  );
}

/**
 * The fields of the sampled-log query types (Log Explorer & Insights): the ranking for
 * insights, filters for logs and logseries, what a log series counts and splits by, and the
 * limit. The lists come from the backend (`GET /logs-catalog`).
 */
export function LogsQueryFields({ datasource, kind, query, apply, fieldProps }: Props) {
  const catalog = useLoader<LogsCatalog>(() => datasource.getLogsCatalog(), EMPTY_CATALOG, [datasource]);
  const limits = LIMITS[kind];
  const rankingOptions: Array<SelectableValue<string>> = catalog.value.rankings.map((r) => ({
    value: r.name,
    label: r.label,
    description: r.description,
  }));
  const seriesOptions: Array<SelectableValue<string>> = catalog.value.series.map((s) => ({ value: s, label: s }));
  const dimensionOptions: Array<SelectableValue<string>> = [
    { value: '', label: 'None', description: 'One series for all sampled requests' },
    ...catalog.value.dimensions.map((d) => ({ value: d, label: d })),
  ];

  const picker = (field: PickedField, options: Array<SelectableValue<string>>) => (
    <SelectField {...{ field, options, query, apply, fieldProps }} loading={catalog.loading} />
  );

  const limitField = (
    <InlineField
      label="Limit"
      labelWidth={LABEL_WIDTH}
      tooltip={`How many ${limits.what}: at most ${limits.max}`}
      {...fieldProps('limit')}
    >
      <BlurInput
        data-testid={selectors.query.limit}
        type="number"
        min={1}
        max={limits.max}
        placeholder={String(limits.def)}
        value={query.limit === undefined ? '' : String(query.limit)}
        onCommit={(limit) => apply({ limit: parseLimit(limit) })}
        width={12}
      />
    </InlineField>
  );

  return (
    <>
      {kind === 'insights' && (
        <InlineFieldRow>
          {picker('insight', rankingOptions)}
          {limitField}
          <InlineField
            label="Domain"
            labelWidth={LABEL_WIDTH}
            tooltip="Only requests to this domain (a part of the name, or the whole name with Exact)"
            {...fieldProps('domain')}
          >
            <BlurInput
              data-testid={selectors.query.domain}
              placeholder="All domains"
              value={query.domain ?? ''}
              onCommit={(domain) => apply({ domain })}
              width={28}
            />
          </InlineField>
          <InlineField label="Exact" labelWidth={LABEL_WIDTH} tooltip="The domain must match the whole name">
            <InlineSwitch
              value={query.domainExact ?? false}
              onChange={(e) => apply({ domainExact: e.currentTarget.checked })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {kind === 'logseries' && (
        <InlineFieldRow>
          {picker('series', seriesOptions)}
          {picker('dimension', dimensionOptions)}
          {limitField}
        </InlineFieldRow>
      )}
      {kind !== 'insights' && (
        <InlineFieldRow>
          <InlineField
            label="Filters"
            labelWidth={LABEL_WIDTH}
            tooltip="Only sampled requests that match every filter (Fastly's fields and operators)"
            {...fieldProps('filters')}
          >
            <div data-testid={selectors.query.filters}>
              <LogFilters
                value={query.filters ?? []}
                onChange={(filters) => apply({ filters })}
                fields={catalog.value.filterFields}
                ops={catalog.value.filterOps}
                loading={catalog.loading}
              />
            </div>
          </InlineField>
          {kind === 'logs' && limitField}
        </InlineFieldRow>
      )}
    </>
  );
}
