import React from 'react';
import { SelectableValue } from '@grafana/data';
import { Button, IconButton, Select, Stack } from '@grafana/ui';

import { LogFilter } from '../types';
import { BlurInput } from './BlurInput';
import { selectors } from './selectors';

interface Props {
  value: LogFilter[];
  onChange: (filters: LogFilter[]) => void;
  /** Fields and operators Fastly accepts, from `GET /logs-catalog`. */
  fields: string[];
  ops: string[];
  loading?: boolean;
}

/** What each operator does, shown in its menu. */
const OP_HELP: Record<string, string> = {
  eq: 'equals',
  in: 'is one of (comma-separated)',
  not_in: 'is none of (comma-separated)',
  'ends-with': 'text ends with',
  gt: 'greater than',
  gte: 'at least',
  lt: 'less than',
  lte: 'at most',
};

/** Example values, so an empty value box says what it expects. */
const PLACEHOLDERS: Record<string, string> = {
  response_status: '503',
  response_time: '0.5 (seconds)',
  request_path: '/checkout',
  fastly_pop: 'LHR',
  domain: 'www.example.com',
  is_cache_hit: 'true or false',
  is_edge: 'true or false',
  is_shield: 'true or false',
};

/**
 * Builds `filters`: rows of field, operator and value, all of which must hold. The backend
 * validates each (field, operator and value type) and names the bad one in its error.
 */
export function LogFilters({ value, onChange, fields, ops, loading }: Props) {
  const fieldOptions: Array<SelectableValue<string>> = fields.map((f) => ({ value: f, label: f }));
  const opOptions: Array<SelectableValue<string>> = ops.map((o) => ({ value: o, label: o, description: OP_HELP[o] }));

  const update = (i: number, patch: Partial<LogFilter>) =>
    onChange(value.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  const remove = (i: number) => onChange(value.filter((_, j) => j !== i));

  return (
    <Stack direction="column" gap={0.5}>
      {value.map((f, i) => (
        <div key={i} data-testid={selectors.query.filterRow(i)} style={{ display: 'flex', gap: 4 }}>
          <Select<string>
            // ids of their own: from Grafana 13 a Select without one takes the surrounding field's
            inputId={`fastly-filter-${i}-field`}
            aria-label={`Filter ${i + 1} field`}
            options={fieldOptions}
            value={f.field || null}
            onChange={(v) => v.value && update(i, { field: v.value })}
            isLoading={loading}
            placeholder="Field"
            width={24}
          />
          <Select<string>
            inputId={`fastly-filter-${i}-op`}
            aria-label={`Filter ${i + 1} operator`}
            options={opOptions}
            value={f.op || null}
            onChange={(v) => v.value && update(i, { op: v.value })}
            width={14}
          />
          <BlurInput
            aria-label={`Filter ${i + 1} value`}
            value={f.value}
            placeholder={PLACEHOLDERS[f.field] ?? 'value'}
            onCommit={(v) => update(i, { value: v })}
            width={28}
          />
          <IconButton name="trash-alt" aria-label={`Remove filter ${i + 1}`} onClick={() => remove(i)} />
        </div>
      ))}
      <div>
        <Button
          data-testid={selectors.query.addFilter}
          variant="secondary"
          icon="plus"
          onClick={() => onChange([...value, { field: '', op: 'eq', value: '' }])}
        >
          Add filter
        </Button>
      </div>
    </Stack>
  );
}
