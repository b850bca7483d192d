import React from 'react';
import { SelectableValue } from '@grafana/data';
import { InlineField, Select } from '@grafana/ui';

import { DEFAULT_QUERY_TYPE, fieldDefault } from '../queryTypes';
import { FastlyVariableQuery } from '../types';
import { LABEL_WIDTH } from './layout';
import { selectors } from './selectors';

/** The variable editor's fields chosen from a list. */
type PickedField = 'kind' | 'queryType' | 'insight';

/** What each picker says, how wide it is, and the value it shows while the query has none. */
const PICKERS: Record<
  PickedField,
  { label: string; ariaLabel: string; tooltip: string; width: number; fallback?: string }
> = {
  kind: {
    label: 'List',
    ariaLabel: 'Variable kind',
    tooltip: "What the variable's values are",
    width: 20,
  },
  queryType: {
    label: 'Query type',
    ariaLabel: 'Metrics of query type',
    tooltip: 'Metrics available to this query type',
    width: 20,
    fallback: DEFAULT_QUERY_TYPE,
  },
  insight: {
    label: 'Ranking',
    ariaLabel: 'Ranking',
    tooltip: 'Which top list the values come from',
    width: 32,
    fallback: fieldDefault('insight') ?? '',
  },
};

/**
 * A labelled picker of one field of a variable query. Its test id and input id are the
 * field's selector; clearing it changes nothing, since every one of these fields needs a value.
 */
export function VariablePicker({
  field,
  options,
  query,
  update,
  loading,
}: {
  field: PickedField;
  options: Array<SelectableValue<string>>;
  query: FastlyVariableQuery;
  update: (patch: Partial<FastlyVariableQuery>) => void;
  loading?: boolean;
}) {
  const p = PICKERS[field];
  const id = selectors.variable[field];
  return (
    <InlineField label={p.label} labelWidth={LABEL_WIDTH} tooltip={p.tooltip}>
      <div data-testid={id}>
        <Select<string>
          inputId={id}
          aria-label={p.ariaLabel}
          options={options}
          value={query[field] ?? p.fallback}
          onChange={(v) => v.value && update({ [field]: v.value } as Partial<FastlyVariableQuery>)}
          isLoading={loading}
          width={p.width}
        />
      </div>
    </InlineField>
  );
}
