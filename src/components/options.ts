import { SelectableValue } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';

import { toVariableQuery } from '../variableQuery';
import { FastlyVariableQuery, VariableKind } from '../types';

/** What a picker lists; variables of this data source are offered only to the picker of their kind. */
export type PickerKind = Exclude<VariableKind, 'insights'> | 'origins' | 'domains';

/** Variable types that never hold services, POPs, regions, metrics or hosts. */
const NOT_VALUES = ['adhoc', 'interval', 'datasource', 'groupby', 'system'];

const PLUGIN_ID = 'opsdeck-fastly-datasource';

/** The kind a Fastly variable lists, or undefined for any other variable. */
function fastlyKind(v: { type: string; query?: unknown; datasource?: unknown }): VariableKind | undefined {
  const ds = v.datasource as { type?: string } | string | undefined | null;
  const query = v.query as FastlyVariableQuery | string | undefined;
  const ours = (typeof ds === 'object' && ds?.type === PLUGIN_ID) || (typeof query === 'object' && query?.kind);
  return v.type === 'query' && ours ? toVariableQuery(query).kind : undefined;
}

/**
 * Dashboard variables as options (`$name`) for a picker of `kind`: this data source's variables
 * only where they list that kind (not `$pop` as a service), other value variables (custom,
 * text box, other data sources) everywhere, and never intervals, data sources or ad-hoc filters.
 */
export function variableOptions(kind: PickerKind): Array<SelectableValue<string>> {
  return getTemplateSrv()
    .getVariables()
    .filter((v) => {
      if (NOT_VALUES.includes(v.type)) {
        return false;
      }
      const listed = fastlyKind(v as { type: string });
      return listed === undefined || listed === kind;
    })
    .map((v) => ({ label: `$${v.name}`, value: `$${v.name}`, description: 'Dashboard variable' }));
}

/** Case-insensitive match on label, value and description, so services are found by name or id. */
export function matchOption(option: SelectableValue<string> | { data?: SelectableValue<string> }, search: string) {
  const o: SelectableValue<string> = (
    'data' in option && option.data ? option.data : option
  ) as SelectableValue<string>;
  const needle = search.trim().toLowerCase();
  if (needle === '') {
    return true;
  }
  return [o.label, o.value, o.description].some((s) => typeof s === 'string' && s.toLowerCase().includes(needle));
}

/** Options for the given values, reusing known options and showing unknown values as they are. */
export function selected(values: string[], known: Array<SelectableValue<string>>): Array<SelectableValue<string>> {
  const byValue = new Map<string, SelectableValue<string>>();
  const walk = (opts: Array<SelectableValue<string>>) =>
    opts.forEach((o) => (o.options ? walk(o.options) : o.value !== undefined && byValue.set(o.value, o)));
  walk(known);
  return values.map((v) => byValue.get(v) ?? { label: v, value: v });
}

export function values(items: Array<SelectableValue<string>> | SelectableValue<string> | null | undefined): string[] {
  const list = Array.isArray(items) ? items : items ? [items] : [];
  return list.map((i) => i.value).filter((v): v is string => typeof v === 'string' && v !== '');
}
