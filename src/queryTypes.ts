import { SelectableValue } from '@grafana/data';

import registry from './queryTypes.generated.json';
import { EditorField, GroupBy, QUERY_TYPE_NAMES, QueryType, RESOLUTIONS, Resolution } from './queryModel.generated';
import type { MetricInfo } from './types';

/** How a dashboard's ad-hoc filter on `key` narrows a query: through `field`, or as a log filter. */
export interface AdHocKey {
  key: string;
  field: EditorField;
  /** For field `filters`: the sampled-log field the condition is on. */
  logField?: string;
}

/**
 * A query type as the backend's registry states it (models.TypeSpec), with the fields its
 * editor shows, as `go test ./pkg/plugin -run QueryTypesFile -update` writes it to
 * queryTypes.generated.json. The editor reads every rule it follows here, never a type's name.
 */
export interface QueryTypeSpec {
  name: QueryType;
  label: string;
  description: string;
  /** The catalog kind of its metrics (MetricInfo.kinds); undefined when it has none. */
  kind?: string;
  /**
   * What its metric names mean: a query keeps its metrics when it switches to a type of the same
   * family (historical and real-time are both the edge's); undefined when it takes no metrics.
   */
  metricFamily?: string;
  /** The paid product it needs enabled on a service; undefined when every service has it. */
  product?: string;
  /** Whether it has a Live switch (`"live": true` streams). */
  live: boolean;
  /** Whether every query of it streams. */
  streams: boolean;
  /** Whether it reads history in buckets of a resolution. */
  buckets: boolean;
  groupBy: GroupBy[];
  liveGroupBy?: GroupBy[];
  /** The grouping a new query starts with, and takes when its own is not offered. */
  startGroupBy: GroupBy;
  defaultMetrics: string[];
  /** Whether a query may leave the services empty (the whole account). */
  servicesOptional: boolean;
  /** Whether a query reads exactly one service. */
  oneService: boolean;
  /** Whether it answers annotations (the panel editor does not offer it). */
  annotations: boolean;
  /** Whether it can answer a POP map (`"format": "popmap"`). */
  popMap: boolean;
  /** How many rows, lines or series `limit` takes. */
  limit?: { default: number; max: number; counts: string };
  /** What the backend fills in where a query leaves one of the type's own fields empty. */
  defaults?: Partial<Record<EditorField, string | number>>;
  /** The fields its editor shows besides its type and services, with Live off and on. */
  fields: EditorField[];
  liveFields?: EditorField[];
  /** How each ad-hoc key narrows it; a key not listed leaves it alone. */
  adHoc: AdHocKey[];
  /** The labels its series carry, which a legend may name, with Live off and on. */
  legend: string[];
  liveLegend?: string[];
}

/** Every query type as the registry states it, in the registry's order. */
export const QUERY_TYPES = Object.fromEntries((registry.types as QueryTypeSpec[]).map((t) => [t.name, t])) as Record<
  QueryType,
  QueryTypeSpec
>;

/** The backend's bounds on what a query may ask for, which the editor says before it runs. */
export const LIMITS: { maxTop: number; maxLiveServices: number; retentionDays: Record<string, number> } =
  registry.limits;

/** The ad-hoc filter keys some query type takes, in the order offered. */
export const AD_HOC_KEYS: string[] = registry.adHocKeys;

/** The type of a query that names none, and of a new one. */
export const DEFAULT_QUERY_TYPE = registry.defaultType as QueryType;

/** The query type of annotations: the annotation editor's, not offered in the panel editor. */
export const ANNOTATION_QUERY_TYPE = QUERY_TYPE_NAMES.find((t) => QUERY_TYPES[t].annotations) ?? DEFAULT_QUERY_TYPE;

/** Query types offered in the panel query editor, in the registry's order. */
export const PANEL_QUERY_TYPES: QueryType[] = QUERY_TYPE_NAMES.filter((t) => !QUERY_TYPES[t].annotations);

/** Query types that take metrics, whose lists a metrics variable can show. */
export const METRIC_QUERY_TYPES: QueryType[] = QUERY_TYPE_NAMES.filter((t) => QUERY_TYPES[t].metricFamily);

/** The first type whose editor shows `field`: the type a variable built on that field queries. */
export function typeShowing(field: EditorField): QueryType | undefined {
  return QUERY_TYPE_NAMES.find((t) => QUERY_TYPES[t].fields.includes(field));
}

/** What the backend fills in for `field` where a query of a type showing it leaves it empty. */
export function fieldDefault(field: EditorField): string | undefined {
  const type = typeShowing(field);
  const value = type === undefined ? undefined : QUERY_TYPES[type].defaults?.[field];
  return value === undefined ? undefined : String(value);
}

/** Whether a query streams because Live is on (types with a Live switch only). */
export function isLive(query: { queryType: QueryType; live?: boolean }): boolean {
  return QUERY_TYPES[query.queryType].live && query.live === true;
}

/** Whether a query streams through Grafana Live: its type always does, or Live is on. */
export function streams(query: { queryType: QueryType; live?: boolean }): boolean {
  return QUERY_TYPES[query.queryType].streams || isLive(query);
}

/** What the editor shows for a query: the fields and groupings of its type, with Live on or off, as a POP map or not. */
export interface ViewSpec {
  spec: QueryTypeSpec;
  live: boolean;
  popMap: boolean;
  /** The fields shown, its type and services included. */
  fields: EditorField[];
  groupBy: GroupBy[];
  /** The grouping a query takes when its own is not offered here. */
  defaultGroupBy: GroupBy;
  /** The labels a legend may name here. */
  legend: string[];
}

/**
 * A POP map is one row per POP: it picks POPs, is always grouped by POP, and has no top list of
 * services and no series to name (the backend refuses a top list on a map).
 */
const POP_MAP = { adds: ['pops'] as EditorField[], drops: ['groupBy', 'top', 'legendFormat'] as EditorField[] };

/** The view of a query of `type`, with Live on or off, as a POP map or not. */
export function viewSpec(type: QueryType, live = false, popMap = false): ViewSpec {
  const spec = QUERY_TYPES[type];
  const liveOn = spec.live && live;
  const map = spec.popMap && popMap;
  let fields: EditorField[] = ['queryType', 'services', ...((liveOn ? spec.liveFields : spec.fields) ?? spec.fields)];
  if (map) {
    fields = [...fields.filter((f) => !POP_MAP.drops.includes(f)), ...POP_MAP.adds.filter((f) => !fields.includes(f))];
  }
  return {
    spec,
    live: liveOn,
    popMap: map,
    fields,
    groupBy: liveOn ? (spec.liveGroupBy ?? ['']) : spec.groupBy,
    defaultGroupBy: liveOn ? '' : spec.startGroupBy,
    legend: (liveOn ? spec.liveLegend : spec.legend) ?? [],
  };
}

/** The view a query is in. */
export function viewOfQuery(query: { queryType: QueryType; live?: boolean; format?: string }): ViewSpec {
  return viewSpec(query.queryType, isLive(query), query.format === 'popmap');
}

/**
 * The metrics a query can take where it is. A histogram (the Origin Inspector latency heatmap)
 * is drawn from history only and is no one value per POP, so live data and POP maps lack it.
 */
export function offeredMetrics(catalog: MetricInfo[], live: boolean, popMap: boolean): MetricInfo[] {
  return live || popMap ? catalog.filter((m) => !m.histogram) : catalog;
}

export const GROUP_BY_LABELS: Record<GroupBy, string> = {
  '': 'Total',
  service: 'Service',
  pop: 'POP',
  region: 'Region',
  origin: 'Origin',
  domain: 'Domain',
};

export const FORMAT_OPTIONS: Array<SelectableValue<string>> = [
  { value: '', label: 'Time series', description: 'One series per metric (and group)' },
  { value: 'popmap', label: 'POP map', description: 'One row per POP with its location, for the Geomap panel' },
];

const RESOLUTION_WORDS: Record<Resolution, string> = {
  auto: 'Auto',
  minute: 'Minute',
  hour: 'Hour',
  day: 'Day',
};

/** The resolutions, with how long Fastly keeps each (the backend's retention). */
export const RESOLUTION_OPTIONS: Array<SelectableValue<string>> = RESOLUTIONS.map((r) => ({
  value: r,
  label: RESOLUTION_WORDS[r],
  description:
    r === 'auto'
      ? 'Minute, hour or day from the time range and retention'
      : LIMITS.retentionDays[r] !== undefined
        ? `Kept by Fastly for ${LIMITS.retentionDays[r]} days`
        : undefined,
}));

export function isQueryType(v: unknown): v is QueryType {
  return typeof v === 'string' && v in QUERY_TYPES;
}

/**
 * Why a query cannot run yet (filterQuery skips it), as the hint the editor shows; '' when it
 * can run.
 */
export function incompleteHint(query: { queryType: QueryType; services: string[]; metrics: string[] }): string {
  const spec = QUERY_TYPES[query.queryType];
  const missing: string[] = [];
  if (!spec.servicesOptional && query.services.length === 0) {
    missing.push(spec.oneService ? 'a service' : 'at least one service (or All services)');
  }
  // a type that starts with no metrics answers all of them (usage)
  if (spec.fields.includes('metrics') && spec.defaultMetrics.length > 0 && query.metrics.length === 0) {
    missing.push('at least one metric');
  }
  return missing.length === 0 ? '' : `Choose ${missing.join(' and ')} to run this query.`;
}
