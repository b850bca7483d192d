import React, { useState } from 'react';
import { SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, InlineSwitch, Input, Select } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { QueryTypeSpec } from '../queryTypes';
import { FastlyQuery, LogsCatalog } from '../types';
import { LogFilters } from './LogFilters';
import { selectors } from './selectors';
import { useLoader } from './useLoader';

const LABEL = 14;

/** Defaults and bounds of `limit` per type (pkg/models/observability.go). */
export const LIMITS: Record<Exclude<QueryTypeSpec['logFields'], ''>, { def: number; max: number; what: string }> = {
  insights: { def: 10, max: 100, what: 'rows' },
  logs: { def: 100, max: 5000, what: 'lines' },
  logseries: { def: 10, max: 100, what: 'series' },
};

/** The query without the sampled-log fields, which mean something else (or nothing) elsewhere. */
export function withoutLogFields(query: FastlyQuery): FastlyQuery {
  const { insight, limit, filters, domain, domainExact, series, dimension, ...rest } = query;
  return rest;
}

/**
 * The sampled-log fields a query keeps when its type becomes `kind`: filters between logs and
 * logseries, nothing else (a limit counts rows, lines or series depending on the type).
 */
export function keptLogFields(kind: QueryTypeSpec['logFields'], query: FastlyQuery): Partial<FastlyQuery> {
  if ((kind === 'logs' || kind === 'logseries') && query.filters && query.filters.length > 0) {
    return { filters: query.filters };
  }
  return {};
}

const EMPTY_CATALOG: LogsCatalog = { rankings: [], filterFields: [], filterOps: [], dimensions: [], series: [] };

interface Props {
  datasource: DataSource;
  kind: Exclude<QueryTypeSpec['logFields'], ''>;
  query: FastlyQuery;
  apply: (patch: Partial<FastlyQuery>) => void;
  /** Props for an InlineField of an editor field: test id and, after a failed run, its errors. */
  fieldProps: (field: 'insight' | 'limit' | 'filters' | 'series' | 'dimension' | 'domain') => object;
}

/**
 * The fields of the sampled-log query types (Log Explorer & Insights): the ranking for
 * insights, filters for logs and logseries, what a log series counts and splits by, and the
 * limit. The lists come from the backend (`GET /logs-catalog`).
 */
export function LogsQueryFields({ datasource, kind, query, apply, fieldProps }: Props) {
  const catalog = useLoader<LogsCatalog>(() => datasource.getLogsCatalog(), EMPTY_CATALOG, [datasource]);
  const limits = LIMITS[kind];
  const [limitDraft, setLimitDraft] = useState<string | undefined>(undefined);
  const [domainDraft, setDomainDraft] = useState<string | undefined>(undefined);

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

  const limitField = (
    <InlineField label="Limit" tooltip={`How many ${limits.what}: at most ${limits.max}`} {...fieldProps('limit')}>
      <Input
        data-testid={selectors.query.limit}
        type="number"
        min={1}
        max={limits.max}
        placeholder={String(limits.def)}
        value={limitDraft ?? (query.limit === undefined ? '' : String(query.limit))}
        onChange={(e) => setLimitDraft(e.currentTarget.value)}
        onBlur={() => {
          if (limitDraft !== undefined) {
            const n = parseInt(limitDraft, 10);
            apply({ limit: Number.isFinite(n) ? n : undefined });
          }
          setLimitDraft(undefined);
        }}
        width={12}
      />
    </InlineField>
  );

  return (
    <>
      {kind === 'insights' && (
        <InlineFieldRow>
          <InlineField
            label="Ranking"
            labelWidth={LABEL}
            tooltip="Which top list Fastly's Log Insights computes from the sampled logs"
            {...fieldProps('insight')}
          >
            <div data-testid={selectors.query.insight}>
              <Select<string>
                inputId="fastly-query-insight"
                aria-label="Ranking"
                options={rankingOptions}
                value={query.insight ?? 'top-url-by-requests'}
                onChange={(v) => v.value && apply({ insight: v.value })}
                isLoading={catalog.loading}
                width={40}
              />
            </div>
          </InlineField>
          {limitField}
          <InlineField
            label="Domain"
            tooltip="Only requests to this domain (a part of the name, or the whole name with Exact)"
            {...fieldProps('domain')}
          >
            <Input
              data-testid={selectors.query.domain}
              placeholder="All domains"
              value={domainDraft ?? query.domain ?? ''}
              onChange={(e) => setDomainDraft(e.currentTarget.value)}
              onBlur={() => {
                if (domainDraft !== undefined && domainDraft !== (query.domain ?? '')) {
                  apply({ domain: domainDraft });
                }
                setDomainDraft(undefined);
              }}
              width={28}
            />
          </InlineField>
          <InlineField label="Exact" tooltip="The domain must match the whole name">
            <InlineSwitch
              value={query.domainExact ?? false}
              onChange={(e) => apply({ domainExact: e.currentTarget.checked })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {kind === 'logseries' && (
        <InlineFieldRow>
          <InlineField
            label="Series"
            labelWidth={LABEL}
            tooltip="count: sampled requests per bucket; or an aggregation such as avg[response_time] (seconds)"
            {...fieldProps('series')}
          >
            <div data-testid={selectors.query.series}>
              <Select<string>
                inputId="fastly-query-series"
                aria-label="Series"
                options={seriesOptions}
                value={query.series ?? 'count'}
                allowCustomValue
                onChange={(v) => v.value && apply({ series: v.value })}
                width={28}
              />
            </div>
          </InlineField>
          <InlineField
            label="Split by"
            tooltip="One series per value of this log field, the largest first"
            {...fieldProps('dimension')}
          >
            <div data-testid={selectors.query.dimension}>
              <Select<string>
                inputId="fastly-query-dimension"
                aria-label="Split by"
                options={dimensionOptions}
                value={query.dimension ?? ''}
                onChange={(v) => apply({ dimension: v.value ?? '' })}
                width={26}
              />
            </div>
          </InlineField>
          {limitField}
        </InlineFieldRow>
      )}
      {kind !== 'insights' && (
        <InlineFieldRow>
          <InlineField
            label="Filters"
            labelWidth={LABEL}
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
