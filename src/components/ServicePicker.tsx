import React, { useMemo } from 'react';
import { SelectableValue } from '@grafana/data';
import { MultiSelect } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { ALL_SERVICES, ServiceInfo } from '../types';
import { matchOption, selected, values, variableOptions } from './options';
import { useLoader } from './useLoader';

interface Props {
  datasource: DataSource;
  value: string[];
  onChange: (services: string[]) => void;
  inputId?: string;
  testId?: string;
  width?: number;
  /** Shown when nothing is chosen. */
  placeholder?: string;
  /** Set by the surrounding InlineField when the last run reported an error about this field. */
  invalid?: boolean;
}

/** Above this many options the menu renders only the visible rows. */
const VIRTUALIZE_ABOVE = 200;

/**
 * "All services" stands alone: choosing it replaces the other services, and choosing a service
 * while it is set replaces it.
 */
export function exclusiveAll(before: string[], after: string[]): string[] {
  if (!after.includes(ALL_SERVICES) || after.length === 1) {
    return after;
  }
  return before.includes(ALL_SERVICES) ? after.filter((s) => s !== ALL_SERVICES) : [ALL_SERVICES];
}

/** Multi-select of Fastly services by name or id, plus "All services" and dashboard variables. */
export function ServicePicker({
  datasource,
  value,
  onChange,
  inputId,
  testId,
  width = 50,
  placeholder = 'Choose services, or type $variable',
  invalid,
}: Props) {
  const services = useLoader<ServiceInfo[]>(() => datasource.getServices(), [], [datasource]);

  const options = useMemo<Array<SelectableValue<string>>>(
    () => [
      { label: 'All services', value: ALL_SERVICES, description: 'Every service the API token can see' },
      ...variableOptions('services'),
      ...services.value.map((s) => ({
        label: s.name || s.id,
        value: s.id,
        description: s.type ? `${s.id} · ${s.type}` : s.id,
      })),
    ],
    [services.value]
  );

  return (
    <div data-testid={testId}>
      <MultiSelect<string>
        inputId={inputId}
        aria-label="Services"
        options={options}
        value={selected(value, options)}
        onChange={(items) => onChange(exclusiveAll(value, values(items)))}
        filterOption={matchOption}
        isLoading={services.loading}
        allowCustomValue
        isClearable
        closeMenuOnSelect={false}
        placeholder={services.error ? `Could not load services: ${services.error}` : placeholder}
        virtualized={options.length > VIRTUALIZE_ABOVE}
        width={width}
        invalid={invalid}
      />
    </div>
  );
}
