import { AdHocVariableFilter } from '@grafana/data';

import { AdHocKey, QUERY_TYPES, viewOfQuery } from './queryTypes';
import { ALL_SERVICES, FastlyQuery, LogFilter } from './types';

/** What the dashboard's filters make of one query. */
export interface AdHocOutcome {
  /** The query narrowed by every filter that applies to it and can be expressed for it. */
  query: FastlyQuery;
  /** Why the filters leave the query nothing to read: it answers no data; '' otherwise. */
  excluded: string;
  /** Why a filter that applies to the query cannot be expressed for it: an error; '' otherwise. */
  refused: string;
}

/** One filter read: the values it names and whether it keeps (`=`) or drops (`!=`) them. */
interface Filter {
  key: string;
  values: string[];
  negate: boolean;
  /** The filter as the dashboard shows it, for messages: `pop != AMS`. */
  text: string;
}

/** What one filter does to a query: narrows it, leaves it nothing, or cannot be expressed. */
type Step = { query: FastlyQuery } | { excluded: string } | { refused: string };

/**
 * Grafana's equality operators: `=` and `!=` take one value, `=|` and `!=|` several (offered when
 * the plugin sets multiValueFilterOperators). Regular expressions and comparisons cannot be
 * expressed to Fastly, whose queries take lists of exact ids, codes and hosts.
 */
const OPERATORS: Record<string, boolean> = { '=': false, '!=': true, '=|': false, '!=|': true };

function read(f: AdHocVariableFilter): Filter | undefined {
  const negate = OPERATORS[f.operator];
  if (negate === undefined) {
    return undefined;
  }
  const values = f.operator.endsWith('|') && f.values ? f.values : [f.value];
  return { key: f.key, values, negate, text: `${f.key} ${f.operator} ${values.join(', ')}` };
}

/**
 * How a key narrows the query where it is, as its type states it (QueryTypeSpec.adHoc): through
 * a field the query's view shows (POPs on a historical POP map but not on its time series,
 * origins in history but not live), or as a condition on its sampled records.
 */
function adHocKeyOf(query: FastlyQuery, key: string): AdHocKey | undefined {
  const view = viewOfQuery(query);
  return QUERY_TYPES[query.queryType].adHoc.find((k) => k.key === key && view.fields.includes(k.field));
}

/**
 * Applies a dashboard's ad-hoc filters to a query whose variables are expanded, where its type
 * can take them (QueryTypeSpec.adHoc). A key that does not apply leaves the query alone. One
 * filter thus narrows a whole incident dashboard.
 */
export function applyAdHocFilters(query: FastlyQuery, filters: AdHocVariableFilter[] | undefined): AdHocOutcome {
  let out = query;
  let refused = '';
  for (const f of filters ?? []) {
    const key = adHocKeyOf(out, f.key);
    const narrow = key && NARROWERS[key.field];
    if (!key || !narrow) {
      continue;
    }
    const filter = read(f);
    if (!filter) {
      refused ||= `The dashboard filter ${f.key} ${f.operator} ${f.value} cannot narrow this query: Fastly compares ids, codes and hosts exactly, so use = or != (one value or several).`;
      continue;
    }
    const step = narrow(out, filter, key);
    if ('excluded' in step) {
      return { query: out, excluded: step.excluded, refused };
    }
    if ('refused' in step) {
      refused ||= step.refused;
      continue;
    }
    out = step.query;
  }
  return { query: out, excluded: '', refused };
}

/** How a filter narrows a query through one of its fields. */
type Narrower = (q: FastlyQuery, f: Filter, key: AdHocKey) => Step;

/** The nouns of the lists a filter narrows, for its messages. */
const NOUNS = { services: 'service', pops: 'POP', origins: 'origin', domains: 'domain' };

const byList =
  (field: ListField): Narrower =>
  (q, f) => {
    const values = q[field] ?? [];
    const everything = values.length === 0 || (field === 'services' && values.includes(ALL_SERVICES));
    return narrowList(q, field, f, NOUNS[field], everything);
  };

/** The narrowing of each query field an ad-hoc key may go through. */
const NARROWERS: Partial<Record<AdHocKey['field'], Narrower>> = {
  services: byList('services'),
  pops: byList('pops'),
  origins: byList('origins'),
  domains: byList('domains'),
  region: (q, f) => narrowRegion(q, f),
  domain: (q, f) => narrowInsightDomain(q, f),
  filters: (q, f, key) => withLogFilter(q, key.logField ?? key.key, f),
};

type ListField = 'services' | 'pops' | 'origins' | 'domains';

/**
 * Narrows one of the query's lists. `=` keeps the chosen values of the list, or takes them where
 * the list means every value; `!=` drops them from the list, but cannot leave some out of every
 * value (Fastly's queries name what to read, never what to skip).
 */
function narrowList(q: FastlyQuery, field: ListField, f: Filter, noun: string, everything: boolean): Step {
  const list = q[field] ?? [];
  if (f.negate && everything) {
    return {
      refused: `The dashboard filter ${f.text} cannot narrow this query: it reads every ${noun}, and Fastly cannot leave one out. List the ${noun}s it should read, or filter with =.`,
    };
  }
  const kept = everything ? f.values : list.filter((v) => f.values.includes(v) !== f.negate);
  if (kept.length === 0) {
    return { excluded: `The dashboard filter ${f.text} leaves none of this query's ${noun}s (${list.join(', ')}).` };
  }
  return { query: { ...q, [field]: kept } };
}

/** A query reads one region or all of them: `=` picks one, `!=` drops the one it reads. */
function narrowRegion(q: FastlyQuery, f: Filter): Step {
  if (q.region === '') {
    if (f.negate || f.values.length > 1) {
      return {
        refused: `The dashboard filter ${f.text} cannot narrow this query: Fastly reads one region or all of them. Filter with = and one region, or pick the region in the query.`,
      };
    }
    return { query: { ...q, region: f.values[0] } };
  }
  if (f.values.includes(q.region) === f.negate) {
    return { excluded: `The dashboard filter ${f.text} leaves out this query's region (${q.region}).` };
  }
  return { query: q };
}

/** Sampled logs take a condition on the log field: eq or in for `=`, not_in for `!=`. */
function withLogFilter(q: FastlyQuery, field: string, f: Filter): Step {
  const op = f.negate ? 'not_in' : f.values.length > 1 ? 'in' : 'eq';
  const filter: LogFilter = { field, op, value: f.values.join(',') };
  return { query: { ...q, filters: [...(q.filters ?? []), filter] } };
}

/**
 * A query that reads one domain (a top list), matched exactly or as a part: `=` with one value sets it exactly
 * where the query's own domain allows it; several values or `!=` cannot be expressed unless the
 * query already reads one exact domain.
 */
function narrowInsightDomain(q: FastlyQuery, f: Filter): Step {
  const own = q.domain ?? '';
  if (own !== '' && q.domainExact) {
    if (f.values.includes(own) === f.negate) {
      return { excluded: `The dashboard filter ${f.text} leaves out this query's domain (${own}).` };
    }
    return { query: q };
  }
  if (f.negate || f.values.length > 1) {
    return {
      refused: `The dashboard filter ${f.text} cannot narrow this top list: Log Insights read one domain or all of them. Filter with = and one domain.`,
    };
  }
  if (!f.values[0].includes(own)) {
    return { excluded: `The dashboard filter ${f.text} leaves out this query's domains (those with "${own}").` };
  }
  return { query: { ...q, domain: f.values[0], domainExact: true } };
}

/** The services a filter set keeps (`service =` values), whose origins or domains to offer. */
export function filteredServices(filters: AdHocVariableFilter[]): string[] {
  return filters
    .filter((f) => f.key === 'service')
    .map(read)
    .flatMap((f) => (f && !f.negate ? f.values : []));
}
