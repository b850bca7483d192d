import React, { useState } from 'react';
import { InlineField, Input, Select } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { FastlyVariableQuery, LogsCatalog } from '../types';
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
  const [service, setService] = useState<string | undefined>(undefined);
  const [limit, setLimit] = useState<string | undefined>(undefined);
  const options = (catalog.value?.rankings ?? []).map((r) => ({
    value: r.name,
    label: r.label,
    description: r.description,
  }));
  return (
    <>
      <InlineField label="Service" tooltip="One service id, or a variable such as $service">
        <Input
          data-testid={selectors.variable.service}
          value={service ?? query.service ?? ''}
          placeholder="$service"
          onChange={(e) => setService(e.currentTarget.value)}
          onBlur={() => {
            if (service !== undefined) {
              update({ service: service.trim() });
            }
            setService(undefined);
          }}
          width={28}
        />
      </InlineField>
      <InlineField label="Ranking" tooltip="Which top list the values come from">
        <div data-testid={selectors.variable.insight}>
          <Select<string>
            inputId="fastly-variable-insight"
            aria-label="Ranking"
            options={options}
            value={query.insight ?? 'top-url-by-requests'}
            onChange={(v) => v.value && update({ insight: v.value })}
            isLoading={catalog.loading}
            width={32}
          />
        </div>
      </InlineField>
      <InlineField label="Limit" tooltip="How many values: at most 100">
        <Input
          data-testid={selectors.variable.limit}
          type="number"
          placeholder="20"
          value={limit ?? (query.limit === undefined ? '' : String(query.limit))}
          onChange={(e) => setLimit(e.currentTarget.value)}
          onBlur={() => {
            if (limit !== undefined) {
              const n = parseInt(limit, 10);
              update({ limit: Number.isFinite(n) ? n : undefined });
            }
            setLimit(undefined);
          }}
          width={10}
        />
      </InlineField>
    </>
  );
}
