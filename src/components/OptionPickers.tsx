import React, { useMemo } from 'react';
import { SelectableValue } from '@grafana/data';
import { MultiSelect, Select } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { PopInfo } from '../types';
import { matchOption, selected, values, variableOptions } from './options';
import { useLoader } from './useLoader';

interface ListProps {
  datasource: DataSource;
  value: string[];
  onChange: (values: string[]) => void;
  testId?: string;
  inputId?: string;
  /** Set by the surrounding InlineField when the last run reported an error about this field. */
  invalid?: boolean;
}

/** POP filter: codes from `GET /pops`, searchable by code, city and group. */
export function PopPicker({ datasource, value, onChange, testId, inputId, invalid }: ListProps) {
  const pops = useLoader<PopInfo[]>(() => datasource.getPops(), [], [datasource]);
  const options = useMemo<Array<SelectableValue<string>>>(
    () => [
      ...variableOptions('pops'),
      ...pops.value.map((p) => ({ label: `${p.code} ${p.name}`, value: p.code, description: p.group })),
    ],
    [pops.value]
  );
  return (
    <div data-testid={testId}>
      <MultiSelect<string>
        inputId={inputId}
        aria-label="POPs"
        options={options}
        value={selected(value, options)}
        onChange={(items) => onChange(values(items))}
        filterOption={matchOption}
        isLoading={pops.loading}
        allowCustomValue
        placeholder="All POPs"
        width={40}
        invalid={invalid}
      />
    </div>
  );
}

interface HostProps extends ListProps {
  services: string[];
  kind: 'origins' | 'domains';
}

/** How many services an origin/domain list is read from; more would be slow and rarely useful. */
const MAX_SERVICES_FOR_HOSTS = 20;

/** Origin hosts or domains of the chosen services (`GET /origins|/domains?service=`). */
export function HostPicker({ datasource, services, kind, value, onChange, testId, inputId, invalid }: HostProps) {
  const ids = datasource.resolveServiceIds(services).slice(0, MAX_SERVICES_FOR_HOSTS);
  const hosts = useLoader<string[]>(
    async () => {
      const lists = await Promise.all(
        ids.map((id) => (kind === 'origins' ? datasource.getOrigins(id) : datasource.getDomains(id)))
      );
      return Array.from(new Set(lists.flat())).sort();
    },
    [],
    [datasource, kind, ids.join(',')]
  );
  const options = useMemo<Array<SelectableValue<string>>>(
    () => [...variableOptions(kind), ...hosts.value.map((h) => ({ label: h, value: h }))],
    [hosts.value, kind]
  );
  return (
    <div data-testid={testId}>
      <MultiSelect<string>
        inputId={inputId}
        aria-label={kind === 'origins' ? 'Origins' : 'Domains'}
        options={options}
        value={selected(value, options)}
        onChange={(items) => onChange(values(items))}
        filterOption={matchOption}
        isLoading={hosts.loading}
        allowCustomValue
        placeholder={kind === 'origins' ? 'All origins' : 'All domains'}
        width={40}
        invalid={invalid}
      />
    </div>
  );
}

interface RegionProps {
  datasource: DataSource;
  value: string;
  onChange: (region: string) => void;
  testId?: string;
  inputId?: string;
  /** Set by the surrounding InlineField when the last run reported an error about this field. */
  invalid?: boolean;
}

/** Region filter: '' for all, or a code from `GET /regions`. */
export function RegionPicker({ datasource, value, onChange, testId, inputId, invalid }: RegionProps) {
  const regions = useLoader<string[]>(() => datasource.getRegions(), [], [datasource]);
  const options = useMemo<Array<SelectableValue<string>>>(
    () => [
      { label: 'All regions', value: '' },
      ...variableOptions('regions'),
      ...regions.value.map((r) => ({ label: r, value: r })),
    ],
    [regions.value]
  );
  return (
    <div data-testid={testId}>
      <Select<string>
        inputId={inputId}
        aria-label="Region"
        options={options}
        value={selected([value], options)[0]}
        onChange={(item) => onChange(item?.value ?? '')}
        isLoading={regions.loading}
        allowCustomValue
        width={20}
        invalid={invalid}
      />
    </div>
  );
}
