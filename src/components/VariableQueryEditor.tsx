import React from 'react';
import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineFieldRow } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { toVariableQuery } from '../variableQuery';
import { DEFAULT_QUERY_TYPE, METRIC_QUERY_TYPES, QUERY_TYPES, fieldDefault } from '../queryTypes';
import { FastlyOptions, FastlyQuery, FastlyVariableQuery, QueryType, VariableKind } from '../types';
import { InsightVariableFields } from './InsightVariableFields';
import { VariablePicker } from './VariablePicker';
import { selectors } from './selectors';

type Props = QueryEditorProps<DataSource, FastlyQuery, FastlyOptions, FastlyVariableQuery>;

const kinds: Array<SelectableValue<VariableKind>> = [
  { value: 'services', label: 'Services', description: 'Value is the service id, text its name' },
  { value: 'pops', label: 'POPs', description: 'Fastly point-of-presence codes' },
  { value: 'regions', label: 'Regions', description: 'Fastly region codes' },
  { value: 'metrics', label: 'Metrics', description: 'Metric names of a query type' },
  { value: 'insights', label: 'Top list', description: 'A Log Insights ranking of one service, e.g. its top URLs' },
];

const types: Array<SelectableValue<QueryType>> = METRIC_QUERY_TYPES.map((t) => ({
  value: t,
  label: QUERY_TYPES[t].label,
}));

/** Editor of a dashboard variable: what it lists. */
export function VariableQueryEditor({ query: stored, onChange, datasource }: Props) {
  const query = toVariableQuery(stored);
  const kind: VariableKind = query.kind;
  const update = (patch: Partial<FastlyVariableQuery>) => {
    const next: FastlyVariableQuery = { ...query, ...patch };
    if (next.kind !== 'metrics') {
      delete next.queryType;
    } else if (!next.queryType) {
      next.queryType = DEFAULT_QUERY_TYPE;
    }
    if (next.kind !== 'insights') {
      delete next.service;
      delete next.insight;
      delete next.limit;
    } else if (!next.insight) {
      next.insight = fieldDefault('insight');
    }
    onChange(next);
  };

  return (
    <InlineFieldRow data-testid={selectors.variable.editor}>
      <VariablePicker field="kind" options={kinds} query={query} update={update} />
      {kind === 'metrics' && <VariablePicker field="queryType" options={types} query={query} update={update} />}
      {kind === 'insights' && <InsightVariableFields datasource={datasource} query={query} update={update} />}
    </InlineFieldRow>
  );
}
