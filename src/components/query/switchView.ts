import { GROUP_BY_LABELS, QUERY_TYPES, QueryTypeSpec, isLive, offeredMetrics, specFor } from '../../queryTypes';
import { DEFAULT_METRICS, DEFAULT_QUERY, FastlyQuery, MetricInfo, QueryType } from '../../types';

/** What the editor shows: a query type, and for origins and domains whether it streams. */
export interface View {
  type: QueryType;
  live: boolean;
}

/** The view a query is in. */
export function viewOf(query: FastlyQuery): View {
  return { type: query.queryType, live: isLive(query) };
}

/** Key of a view in the editor's memory of earlier values. */
export function viewKey(view: View): string {
  return view.live ? `${view.type}:live` : view.type;
}

/**
 * Per view: the query as it was when the view was left (`left`), and as the switch into it made
 * it (`arrived`), so that a switch back restores what was not changed in between.
 */
export type ViewMemory = Map<string, { left?: FastlyQuery; arrived?: FastlyQuery }>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Result of a switch: the new query, and what of the old one it could not keep (for the user). */
export interface Switched {
  query: FastlyQuery;
  dropped: string[];
}

/** Whether `to` offers the metric: its catalog entry (from the current type's list) says where it exists. */
function offers(name: string, to: View, catalog: MetricInfo[]): boolean {
  if (name.includes('$')) {
    return true;
  }
  const entry = catalog.find((m) => m.name === name);
  const kind = QUERY_TYPES[to.type].kind;
  // unknown to the catalog (or not loaded yet): the backend says where it exists when it runs
  if (entry === undefined || kind === undefined) {
    return true;
  }
  return entry.kinds.includes(kind) && offeredMetrics([entry], to.live, false).length > 0;
}

/** A field that may carry over between views, with how to tell whether a view shows it. */
interface Carried {
  field: keyof FastlyQuery;
  label: string;
  shows: (spec: QueryTypeSpec, type: QueryType) => boolean;
  /** Kept only when the type stays the same (a limit counts rows, lines or series by type). */
  sameTypeOnly?: boolean;
}

const LOG_FIELD_LABELS = {
  insight: 'Top list',
  limit: 'Limit',
  domain: 'Domain',
  domainExact: 'Exact domain',
  series: 'Series',
  dimension: 'Split by',
};

/** Usage (a table) and events have no series to name; the sampled-log types name their own. */
export const hasLegend = (spec: QueryTypeSpec, type: QueryType) =>
  spec.logFields === '' && type !== 'usage' && type !== 'events';

const CARRIED: Carried[] = [
  { field: 'resolution', label: 'Resolution', shows: (s) => s.resolution },
  { field: 'region', label: 'Region', shows: (s) => s.region },
  { field: 'pops', label: 'POPs', shows: (s) => s.pops },
  { field: 'perSecond', label: 'Per second', shows: (s) => s.perSecond },
  { field: 'origins', label: 'Origins', shows: (s) => s.origins },
  { field: 'domains', label: 'Domains', shows: (s) => s.domains },
  { field: 'legendFormat', label: 'Legend', shows: hasLegend },
  { field: 'format', label: 'Format (POP map)', shows: (s) => s.popMap },
  { field: 'top', label: 'Top services', shows: (_s, type) => type === 'stats' },
  { field: 'eventTypes', label: 'Event types', shows: (s) => s.eventTypes },
  { field: 'excludeEventTypes', label: 'Event types turned off', shows: (s) => s.eventTypes },
  // filters mean the same for both sampled-log types that take them
  { field: 'filters', label: 'Filters', shows: (s) => s.logFields === 'logs' || s.logFields === 'logseries' },
  // the other sampled-log fields mean something else (or nothing) in every other type
  ...Object.entries(LOG_FIELD_LABELS).map(([field, label]) => ({
    field: field as keyof FastlyQuery,
    label,
    shows: (spec: QueryTypeSpec) => spec.logFields !== '',
    sameTypeOnly: true,
  })),
];

/** Whether a value is worth telling the user about when it is dropped. */
function isSet(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.length > 0;
  }
  return value !== undefined && value !== '' && value !== false && value !== DEFAULT_QUERY.resolution;
}

/** A fresh query of a view: the type's defaults and nothing of any other type. */
function fresh(to: View, spec: QueryTypeSpec): FastlyQuery {
  return {
    ...DEFAULT_QUERY,
    refId: '',
    queryType: to.type,
    metrics: [...DEFAULT_METRICS[to.type]],
    groupBy: spec.defaultGroupBy,
    ...(to.type === 'events' ? { eventTypes: [] } : {}),
  };
}

/** The fields every Grafana query has, which stay whatever the view. */
function ownFields(query: FastlyQuery): Partial<FastlyQuery> {
  const { refId, hide, key, datasource } = query;
  return Object.fromEntries(Object.entries({ refId, hide, key, datasource }).filter(([, v]) => v !== undefined));
}

/**
 * Switches a query to another view (query type or Live). What both views show and means the
 * same carries over; the rest comes from the new view's memory (its values when it was left)
 * or its defaults. Metrics carry over only within one family and only those the new view
 * offers. Everything set that could not be kept is listed in `dropped`, and the old view is
 * remembered so that switching back restores it.
 */
export function switchView(query: FastlyQuery, to: View, memory: ViewMemory, catalog: MetricInfo[]): Switched {
  const from = viewOf(query);
  const fromSpec = specFor(from.type, from.live);
  const toSpec = specFor(to.type, to.live);
  const remembered = memory.get(viewKey(to))?.left;
  const arrived = memory.get(viewKey(from))?.arrived;
  // a value not changed since this view was entered gives way to the remembered one
  const restores = (field: keyof FastlyQuery) =>
    remembered !== undefined && arrived !== undefined && same(query[field], arrived[field]);
  const base = remembered ?? fresh(to, toSpec);

  const next: FastlyQuery = { ...base, ...ownFields(query), queryType: to.type, services: query.services };
  if (to.live || (from.live && from.type === to.type)) {
    next.live = to.live;
  } else {
    delete next.live;
  }

  const dropped: string[] = [];
  for (const c of CARRIED) {
    if (!c.shows(fromSpec, from.type) || !isSet(query[c.field])) {
      continue;
    }
    if (c.shows(toSpec, to.type) && (!c.sameTypeOnly || from.type === to.type)) {
      if (!restores(c.field)) {
        (next as unknown as Record<string, unknown>)[c.field] = query[c.field];
      }
      continue;
    }
    dropped.push(c.label);
  }

  if (QUERY_TYPES[from.type].metrics && query.metrics.length > 0 && !restores('metrics')) {
    // metrics mean the same only inside one family: an edge `status_5xx` (historical or
    // real-time) is not an origin's `status_5xx`, and usage metrics are billing totals
    const family = QUERY_TYPES[to.type].metricFamily;
    const sameFamily = family !== undefined && family === QUERY_TYPES[from.type].metricFamily;
    const kept = sameFamily ? query.metrics.filter((m) => offers(m, to, catalog)) : [];
    const lost = query.metrics.filter((m) => !kept.includes(m));
    if (kept.length > 0) {
      next.metrics = kept;
    }
    if (lost.length > 0) {
      const names = lost.map((m) => catalog.find((c) => c.name === m)?.label ?? m).join(', ');
      dropped.unshift(`Metrics ${names} (${sameFamily ? 'not offered here' : 'they mean something else here'})`);
    }
  }

  if (toSpec.groupBy.includes(query.groupBy) && fromSpec.groupBy.length > 1 && !restores('groupBy')) {
    next.groupBy = query.groupBy;
  } else if (!toSpec.groupBy.includes(next.groupBy)) {
    next.groupBy = toSpec.defaultGroupBy;
  }
  if (query.groupBy !== '' && !toSpec.groupBy.includes(query.groupBy)) {
    dropped.push(`Group by ${GROUP_BY_LABELS[query.groupBy]}`);
  }
  memory.set(viewKey(from), { ...memory.get(viewKey(from)), left: query });
  memory.set(viewKey(to), { ...memory.get(viewKey(to)), arrived: next });
  return { query: next, dropped };
}

/** The sentence the editor shows after a switch that dropped something. */
export function droppedNotice(dropped: string[], from: View): string {
  if (dropped.length === 0) {
    return '';
  }
  const back = from.live ? `${QUERY_TYPES[from.type].label} with Live on` : QUERY_TYPES[from.type].label;
  return `Not kept: ${dropped.join('; ')}. Switch back to ${back} to restore them.`;
}
