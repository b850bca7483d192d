import React from 'react';
import { SelectableValue } from '@grafana/data';
import { InlineField, InlineSwitch, Select } from '@grafana/ui';

import { LogsCatalog } from '../../types';
import { BlurInput, parseLimit } from '../BlurInput';
import { LogFilters } from '../LogFilters';
import { LABEL_WIDTH } from '../layout';
import { selectors } from '../selectors';
import { useLoader } from '../useLoader';
import { Box, FieldContext, Labelled } from './fields';

// The fields of the sampled-log query types (Log Explorer & Insights): the ranking of a top
// list, what a log series counts and splits by, filters on the records, a domain, the limit.
// Their lists come from the backend (`GET /logs-catalog`, cached by the data source).

const EMPTY_CATALOG: LogsCatalog = { rankings: [], filterFields: [], filterOps: [], dimensions: [], series: [] };

function useLogsCatalog(ctx: FieldContext) {
  return useLoader<LogsCatalog>(() => ctx.datasource.getLogsCatalog(), EMPTY_CATALOG, [ctx.datasource]);
}

/** The sampled-log fields chosen from a list. */
type PickedField = 'insight' | 'series' | 'dimension';

/**
 * What each picker says and offers. It shows the backend's default (QueryTypeSpec.defaults)
 * while the query has none; an empty choice is applied only where it is the default (no
 * split), elsewhere clearing a picker keeps the query's value.
 */
const PICKERS: Record<
  PickedField,
  {
    label: string;
    tooltip: string;
    width: number;
    allowCustomValue?: boolean;
    options: (c: LogsCatalog) => Array<SelectableValue<string>>;
  }
> = {
  insight: {
    label: 'Ranking',
    tooltip: "Which top list Fastly's Log Insights computes from the sampled logs",
    width: 40,
    options: (c) => c.rankings.map((r) => ({ value: r.name, label: r.label, description: r.description })),
  },
  series: {
    label: 'Series',
    tooltip:
      "What each series shows, as Fastly's reference documents it: the average (avg) or 99th percentile (p99) of a log field per bucket, such as avg[response_time] (seconds)",
    width: 28,
    allowCustomValue: true,
    options: (c) => c.series.map((s) => ({ value: s, label: s })),
  },
  dimension: {
    label: 'Split by',
    tooltip: 'One series per value of this log field, the largest first',
    width: 26,
    options: (c) => [
      { value: '', label: 'None', description: 'One series for all sampled requests' },
      ...c.dimensions.map((d) => ({ value: d, label: d })),
    ],
  },
};

/** A labelled picker of one sampled-log field: its ids, options, error and value follow from its name. */
function PickerField({ ctx, field }: { ctx: FieldContext; field: PickedField }) {
  const catalog = useLogsCatalog(ctx);
  const p = PICKERS[field];
  const fallback = String(ctx.view.spec.defaults?.[field] ?? '');
  const choose = (value: string) => (value !== '' || fallback === '') && ctx.apply({ [field]: value });
  return (
    <Labelled ctx={ctx} field={field} label={p.label} tooltip={p.tooltip}>
      <Box testId={selectors.query[field]}>
        <Select<string>
          inputId={`fastly-query-${field}`}
          aria-label={p.label}
          options={p.options(catalog.value)}
          value={ctx.query[field] ?? fallback}
          onChange={(v) => choose(v.value ?? '')}
          isLoading={catalog.loading}
          allowCustomValue={p.allowCustomValue}
          width={p.width}
        />
      </Box>
    </Labelled>
  );
}

export const InsightField = ({ ctx }: { ctx: FieldContext }) => <PickerField ctx={ctx} field="insight" />;
export const SeriesField = ({ ctx }: { ctx: FieldContext }) => <PickerField ctx={ctx} field="series" />;
export const DimensionField = ({ ctx }: { ctx: FieldContext }) => <PickerField ctx={ctx} field="dimension" />;

/** How many rows, lines or series the query shows, within the type's bounds (QueryTypeSpec.limit). */
export function LimitField({ ctx }: { ctx: FieldContext }) {
  const limit = ctx.view.spec.limit;
  if (!limit) {
    return null;
  }
  return (
    <Labelled ctx={ctx} field="limit" label="Limit" tooltip={`How many ${limit.counts}: at most ${limit.max}`}>
      <BlurInput
        data-testid={selectors.query.limit}
        type="number"
        min={1}
        max={limit.max}
        placeholder={String(limit.default)}
        value={ctx.query.limit === undefined ? '' : String(ctx.query.limit)}
        onCommit={(text) => ctx.apply({ limit: parseLimit(text) })}
        width={12}
      />
    </Labelled>
  );
}

/** Only requests to one domain, a part of its name or all of it. */
export function DomainField({ ctx }: { ctx: FieldContext }) {
  return (
    <>
      <Labelled
        ctx={ctx}
        field="domain"
        label="Domain"
        tooltip="Only requests to this domain (a part of the name, or the whole name with Exact)"
      >
        <BlurInput
          data-testid={selectors.query.domain}
          placeholder="All domains"
          value={ctx.query.domain ?? ''}
          onCommit={(domain) => ctx.apply({ domain })}
          width={28}
        />
      </Labelled>
      <InlineField label="Exact" labelWidth={LABEL_WIDTH} tooltip="The domain must match the whole name">
        <InlineSwitch
          value={ctx.query.domainExact ?? false}
          onChange={(e) => ctx.apply({ domainExact: e.currentTarget.checked })}
        />
      </InlineField>
    </>
  );
}

/** Conditions on the sampled records, all of which must hold. */
export function FiltersField({ ctx }: { ctx: FieldContext }) {
  const catalog = useLogsCatalog(ctx);
  return (
    <Labelled
      ctx={ctx}
      field="filters"
      label="Filters"
      tooltip="Only sampled requests that match every filter (Fastly's fields and operators)"
    >
      <Box testId={selectors.query.filters}>
        <LogFilters
          value={ctx.query.filters ?? []}
          onChange={(filters) => ctx.apply({ filters })}
          fields={catalog.value.filterFields}
          ops={catalog.value.filterOps}
          loading={catalog.loading}
        />
      </Box>
    </Labelled>
  );
}
