import { AdHocVariableFilter } from '@grafana/data';

import { QUERY_TYPES } from './queryTypes';
import { ALL_SERVICES, FastlyQuery } from './types';

/** The ad-hoc filter keys: the dimensions most Fastly queries can be narrowed by. */
export const AD_HOC_KEYS = ['service', 'pop', 'region'] as const;

export type AdHocKey = (typeof AD_HOC_KEYS)[number];

/** The values a filter asks for: `=` one, `=|` several (Grafana's multi-value operator). */
function wanted(f: AdHocVariableFilter): string[] {
  return f.operator === '=|' && f.values ? f.values : [f.value];
}

/**
 * A list narrowed by one filter: `=` keeps the chosen values (an empty list or All services
 * means every value, so it becomes the chosen ones), `!=` drops the value from an explicit list.
 */
function narrow(list: string[], f: AdHocVariableFilter, everything: (l: string[]) => boolean): string[] {
  if (f.operator === '!=') {
    return list.filter((v) => v !== f.value);
  }
  const values = wanted(f);
  return everything(list) ? values : list.filter((v) => values.includes(v));
}

/**
 * Applies a dashboard's ad-hoc filters to a query (after its variables are expanded), where its
 * type can take them: services on every type, POPs where the type filters by POP, the region
 * where it filters by region. One filter thus narrows a whole incident dashboard; a panel of
 * other services than the filter's shows none.
 */
export function applyAdHocFilters(query: FastlyQuery, filters: AdHocVariableFilter[] | undefined): FastlyQuery {
  const spec = QUERY_TYPES[query.queryType];
  let out = query;
  for (const f of filters ?? []) {
    if (!['=', '!=', '=|'].includes(f.operator)) {
      continue;
    }
    if (f.key === 'service') {
      out = { ...out, services: narrow(out.services, f, (l) => l.length === 0 || l.includes(ALL_SERVICES)) };
    } else if (f.key === 'pop' && spec.pops) {
      out = { ...out, pops: narrow(out.pops, f, (l) => l.length === 0) };
    } else if (f.key === 'region' && spec.region && f.operator !== '!=') {
      // one region per query: a filter sets it where the query reads all regions
      const values = wanted(f);
      out = out.region === '' || !values.includes(out.region) ? { ...out, region: values[0] } : out;
    }
  }
  return out;
}
