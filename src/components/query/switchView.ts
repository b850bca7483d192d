import { GROUP_BY_LABELS, QUERY_TYPES, ViewSpec, isLive, offeredMetrics, viewSpec } from '../../queryTypes';
import { DEFAULT_METRICS, DEFAULT_QUERY, FastlyQuery, MetricInfo, QueryType } from '../../types';
import { FIELDS, ViewField } from './views';

/** What the editor shows: a query type, and for a type with a Live switch whether it is on. */
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

/** The view a query is in, as its fields and groupings (its type, Live, POP map). */
const fullView = (query: FastlyQuery, view: View): ViewSpec =>
  viewSpec(view.type, view.live, query.format === 'popmap');

/**
 * The fields a switch carries when both views show them and they mean the same in both; the
 * metrics, grouping and Live have rules of their own (switchView).
 */
const CARRIED: ViewField[] = (Object.keys(FIELDS) as ViewField[]).filter(
  (f) => f !== 'metrics' && f !== 'groupBy' && f !== 'live'
);

/** Whether the field shows in both views and means the same in both. */
function carries(field: ViewField, from: ViewSpec, to: ViewSpec): boolean {
  const { sameMeaning } = FIELDS[field];
  return to.fields.includes(field) && (sameMeaning === undefined || sameMeaning(from.spec, to.spec));
}

/** Whether a value is worth telling the user about when it is dropped. */
function isSet(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.length > 0;
  }
  return value !== undefined && value !== '' && value !== false && value !== DEFAULT_QUERY.resolution;
}

/** A fresh query of a view: the type's defaults and nothing of any other type. */
function fresh(to: View, spec: ViewSpec): FastlyQuery {
  return {
    ...DEFAULT_QUERY,
    refId: '',
    queryType: to.type,
    metrics: [...DEFAULT_METRICS[to.type]],
    groupBy: spec.defaultGroupBy,
    ...(spec.fields.includes('eventTypes') ? { eventTypes: [] } : {}),
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
  const fromSpec = fullView(query, from);
  const toSpec = fullView(query, to);
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
  for (const field of CARRIED) {
    const own = [field, ...(FIELDS[field].also ?? [])];
    if (!fromSpec.fields.includes(field) || !own.some((f) => isSet(query[f]))) {
      continue;
    }
    if (carries(field, fromSpec, toSpec)) {
      for (const f of own.filter((o) => !restores(o))) {
        (next as unknown as Record<string, unknown>)[f] = query[f];
      }
      continue;
    }
    dropped.push(FIELDS[field].label);
  }

  if (fromSpec.fields.includes('metrics') && query.metrics.length > 0 && !restores('metrics')) {
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
