import React from 'react';
import { InlineField } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { FastlyVariableQuery, LogsCatalog } from '../types';
import { BlurInput, parseLimit } from './BlurInput';
import { VariablePicker } from './VariablePicker';
import { LABEL_WIDTH } from './layout';
import { selectors } from './selectors';
import { useLoader } from './useLoader';

interface Props {
  datasource: DataSource;
  query: FastlyVariableQuery;
  update: (patch: Partial<FastlyVariableQuery>) => void;
}

/**
 * A "top list" variable: the values of one Log Insights ranking of one service (e.g. the top 20
 * URLs), read through the backend's insights query over the dashboard's time range.
 */
export function InsightVariableFields({ datasource, query, update }: Props) {
  const catalog = useLoader<LogsCatalog | undefined>(() => datasource.getLogsCatalog(), undefined, [datasource]);
  const options = (catalog.value?.rankings ?? []).map((r) => ({
    value: r.name,
    label: r.label,
    description: r.description,
  }));
  return (
    <>
      <InlineField label="Service" labelWidth={LABEL_WIDTH} tooltip="One service id, or a variable such as $service">
        <BlurInput
          data-testid={selectors.variable.service}
          value={query.service ?? ''}
          placeholder="$service"
          onCommit={(service) => update({ service: service.trim() })}
          width={28}
        />
      </InlineField>
      <VariablePicker field="insight" options={options} query={query} update={update} loading={catalog.loading} />
      <InlineField label="Limit" labelWidth={LABEL_WIDTH} tooltip="How many values: at most 100">
        <BlurInput
          data-testid={selectors.variable.limit}
          type="number"
          placeholder="20"
          value={query.limit === undefined ? '' : String(query.limit)}
          onCommit={(limit) => update({ limit: parseLimit(limit) })}
          width={10}
        />
      </InlineField>
    </>
  );
}
