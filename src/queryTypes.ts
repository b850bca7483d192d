import { SelectableValue } from '@grafana/data';
import { GroupBy, MetricInfo, QueryType } from './types';
import registry from './queryTypes.generated.json';
import { QUERY_TYPE_NAMES } from './queryModel.generated';

/** Which editor fields a query type uses, and what it requires before it can run. */
export interface QueryTypeSpec {
  /** What users see it called, and one line on what it answers (the backend's registry). */
  label: string;
  description: string;
  /** The catalog kind of its metrics (MetricInfo.kinds); undefined when it has none. */
  kind?: string;
  /**
   * What its metric names mean: a query keeps its metrics when it switches to a type of the same
   * family (historical and real-time are both the edge's); undefined when it takes no metrics.
   */
  metricFamily?: string;
  resolution: boolean;
  /** Whether the type filters by a region (the backend's `region`). */
  region: boolean;
  pops: boolean;
  perSecond: boolean;
  origins: boolean;
  domains: boolean;
  metrics: boolean;
  /** Whether the query may leave metrics empty (usage: none means all of them). */
  metricsOptional: boolean;
  /** Whether the query needs services; usage and events are account-wide without them. */
  services: boolean;
  eventTypes: boolean;
  /** Allowed group-by values, in the order the editor shows them. */
  groupBy: GroupBy[];
  /** The group-by a query of this type starts with, and takes when its own is not allowed. */
  defaultGroupBy: GroupBy;
  /** Whether the type has a Live switch (origins, domains: `"live": true` streams). */
  live: boolean;
  /** The sampled-log fields the type shows (LogsQueryFields); '' for the other types. */
  logFields: '' | 'insights' | 'logs' | 'logseries';
  /** Whether the type can answer a POP map (`"format": "popmap"`): Fastly splits it by POP. */
  popMap: boolean;
}

/**
 * What the backend's registry says of a query type (pkg/models.TypeSpec), as
 * `go test ./pkg/plugin -run QueryTypesFile -update` writes it to queryTypes.generated.json.
 */
export interface BackendTypeSpec {
  name: QueryType;
  label: string;
  description: string;
  kind?: string;
  metricFamily?: string;
  product?: string;
  realtime?: string;
  live: boolean;
  groupBy: GroupBy[];
  liveGroupBy?: GroupBy[];
  startGroupBy: GroupBy;
  defaultMetrics: string[];
  servicesOptional: boolean;
  region: boolean;
  popMap: boolean;
}

export const BACKEND_TYPES = registry.types as BackendTypeSpec[];

/** The backend's bounds on what a query may ask for, which the editor says before it runs. */
export const LIMITS: { maxTop: number; maxLiveServices: number } = registry.limits;

function backendSpec(type: QueryType): BackendTypeSpec {
  const spec = BACKEND_TYPES.find((t) => t.name === type);
  if (!spec) {
    throw new Error(`queryTypes.generated.json has no query type "${type}": regenerate it from the backend`);
  }
  return spec;
}

/** What only the editor knows of a type: fields of its own beyond what its registration implies. */
type EditorOnly = Pick<QueryTypeSpec, 'pops' | 'eventTypes' | 'logFields'>;

/** The types with fields of their own; a type not listed shows only what its registration implies. */
const EDITOR_ONLY: Partial<Record<QueryType, Partial<EditorOnly>>> = {
  events: { eventTypes: true },
  insights: { pops: true, logFields: 'insights' },
  logs: { logFields: 'logs' },
  logseries: { logFields: 'logseries' },
};

/** A type's spec: the backend's registration, and the editor's own fields for it. */
function specOf(b: BackendTypeSpec): QueryTypeSpec {
  // bucketed history: Fastly answers per minute, hour or day, so a resolution and rates apply
  const bucketed = b.kind !== undefined && b.kind !== 'realtime';
  const metrics = b.metricFamily !== undefined;
  return {
    label: b.label,
    description: b.description,
    kind: b.kind,
    metricFamily: b.metricFamily,
    resolution: bucketed,
    perSecond: bucketed,
    origins: b.kind === 'origins',
    domains: b.kind === 'domains',
    metrics,
    // a type that takes metrics but starts with none answers all of them (usage)
    metricsOptional: metrics && b.defaultMetrics.length === 0,
    // what streams from rt.fastly.com comes per POP, so it filters by POP
    pops: b.realtime !== undefined,
    eventTypes: false,
    logFields: '',
    groupBy: b.groupBy,
    defaultGroupBy: b.startGroupBy,
    live: b.live,
    services: !b.servicesOptional,
    region: b.region,
    popMap: b.popMap,
    ...EDITOR_ONLY[b.name],
  };
}

/** Every query type as the editor shows it: the backend's words and rules, the editor's own fields. */
export const QUERY_TYPES = Object.fromEntries(BACKEND_TYPES.map((b) => [b.name, specOf(b)])) as Record<
  QueryType,
  QueryTypeSpec
>;

/** Whether a query streams: only origins and domains queries with `live: true` do. */
export function isLive(query: { queryType: QueryType; live?: boolean }): boolean {
  return QUERY_TYPES[query.queryType].live && query.live === true;
}

/** The fields a query type shows and the group-bys it allows, with live on or off. */
export function specFor(type: QueryType, live = false): QueryTypeSpec {
  const spec = QUERY_TYPES[type];
  if (!spec.live || !live) {
    return spec;
  }
  return {
    ...spec,
    resolution: false,
    region: false,
    // live data comes per second already
    perSecond: false,
    origins: false,
    domains: false,
    // the backend's live groupings: its real-time inspector answers are summed over origins
    // (domains) per POP, so no origin/domain split (pkg/plugin/query_inspector_live.go)
    groupBy: backendSpec(type).liveGroupBy ?? [''],
    defaultGroupBy: '',
  };
}

/**
 * The metrics a query can take where it is. A histogram (the Origin Inspector latency heatmap)
 * is drawn from history only and is no one value per POP, so live data and POP maps lack it.
 */
export function offeredMetrics(catalog: MetricInfo[], live: boolean, popMap: boolean): MetricInfo[] {
  return live || popMap ? catalog.filter((m) => !m.histogram) : catalog;
}

/** The query type of annotations: the annotation editor's, not offered in the panel editor. */
const ANNOTATION_QUERY_TYPE: QueryType = 'events';

/** Query types offered in the panel query editor, in the registry's order. */
export const PANEL_QUERY_TYPES: QueryType[] = QUERY_TYPE_NAMES.filter((t) => t !== ANNOTATION_QUERY_TYPE);

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

export const RESOLUTION_OPTIONS: Array<SelectableValue<string>> = [
  { value: 'auto', label: 'Auto', description: 'Minute, hour or day from the time range and retention' },
  { value: 'minute', label: 'Minute', description: 'Kept by Fastly for 35 days' },
  { value: 'hour', label: 'Hour', description: 'Kept by Fastly for 375 days' },
  { value: 'day', label: 'Day' },
];

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
  if (spec.services && query.services.length === 0) {
    missing.push(spec.logFields === '' ? 'at least one service (or All services)' : 'a service');
  }
  if (spec.metrics && !spec.metricsOptional && query.metrics.length === 0) {
    missing.push('at least one metric');
  }
  return missing.length === 0 ? '' : `Choose ${missing.join(' and ')} to run this query.`;
}
