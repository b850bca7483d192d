import { SelectableValue } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';

/** Dashboard variables as options (`$name`), so multi-value variables can be picked from a list. */
export function variableOptions(): Array<SelectableValue<string>> {
  return getTemplateSrv()
    .getVariables()
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
