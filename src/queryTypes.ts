import { SelectableValue } from '@grafana/data';
import { GroupBy, MetricInfo, QueryType } from './types';
import registry from './queryTypes.generated.json';

/** Which editor fields a query type uses, and what it requires before it can run. */
export interface QueryTypeSpec {
  label: string;
  description: string;
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
  name: string;
  kind?: string;
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

export const BACKEND_TYPES: BackendTypeSpec[] = registry as BackendTypeSpec[];

function backendSpec(type: QueryType): BackendTypeSpec {
  const spec = BACKEND_TYPES.find((t) => t.name === type);
  if (!spec) {
    throw new Error(`queryTypes.generated.json has no query type "${type}": regenerate it from the backend`);
  }
  return spec;
}

/** The part of a spec the backend decides: groupings, Live, services, region, POP map. */
type FromBackend = 'groupBy' | 'defaultGroupBy' | 'live' | 'services' | 'region' | 'popMap';

/** What only the editor knows of a type: its words and which of its own fields it shows. */
type EditorSpec = Omit<QueryTypeSpec, FromBackend>;

const base = {
  resolution: false,
  pops: false,
  perSecond: false,
  origins: false,
  domains: false,
  metrics: true,
  metricsOptional: false,
  eventTypes: false,
  logFields: '' as QueryTypeSpec['logFields'],
};

/** The sampled-log types (Log Explorer & Insights): one service, no metrics. */
const logs = { ...base, metrics: false };

const EDITOR_SPECS: Record<QueryType, EditorSpec> = {
  stats: {
    ...base,
    label: 'Historical',
    description: 'Historical stats per minute, hour or day',
    resolution: true,
    perSecond: true,
  },
  realtime: {
    ...base,
    label: 'Real-time',
    description: 'Live per-second traffic, streamed',
    pops: true,
  },
  origins: {
    ...base,
    label: 'Origins',
    description: 'Origin Inspector: responses from your origin servers',
    resolution: true,
    pops: true,
    perSecond: true,
    origins: true,
  },
  domains: {
    ...base,
    label: 'Domains',
    description: 'Domain Inspector: traffic per domain',
    resolution: true,
    pops: true,
    perSecond: true,
    domains: true,
  },
  usage: {
    ...base,
    label: 'Usage',
    description: 'Billing usage: bandwidth, requests and Compute requests per region or service',
    metricsOptional: true,
  },
  events: {
    ...base,
    label: 'Events',
    description: 'Configuration changes and purges, as annotations',
    metrics: false,
    eventTypes: true,
  },
  insights: {
    ...logs,
    label: 'Top lists',
    description: 'Log Insights: top URLs, status codes, countries... from sampled logs',
    pops: true,
    logFields: 'insights',
  },
  logs: {
    ...logs,
    label: 'Logs',
    description: 'Sampled request logs (Log Explorer), for Explore and the Logs panel',
    logFields: 'logs',
  },
  logseries: {
    ...logs,
    label: 'Logs over time',
    description: 'Sampled requests per minute, e.g. for each of the top 10 URLs',
    logFields: 'logseries',
  },
};

function withBackend(type: QueryType, editor: EditorSpec): QueryTypeSpec {
  const b = backendSpec(type);
  return {
    ...editor,
    groupBy: b.groupBy,
    defaultGroupBy: b.startGroupBy,
    live: b.live,
    services: !b.servicesOptional,
    region: b.region,
    popMap: b.popMap,
  };
}

/** Every query type as the editor shows it: its own words and fields, the backend's rules. */
export const QUERY_TYPES = Object.fromEntries(
  (Object.keys(EDITOR_SPECS) as QueryType[]).map((t) => [t, withBackend(t, EDITOR_SPECS[t])])
) as Record<QueryType, QueryTypeSpec>;

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
 * The Origin Inspector latency histogram as heatmap rows (one field per latency bucket). The
 * backend accepts it for historical origins queries but its catalog does not list it, so the
 * editor adds it to the origins metric list itself.
 */
export const HEATMAP_METRIC = 'origin_latency_heatmap';

const HEATMAP_METRIC_INFO: MetricInfo = {
  name: HEATMAP_METRIC,
  label: 'Origin latency heatmap',
  unit: 'short',
  category: 'Origin latency',
  description: 'Latency distribution for a heatmap panel',
  kinds: ['origins'],
};

/**
 * The metrics the editor offers for a query type: the backend's catalog, plus the heatmap for
 * historical origins queries; never the heatmap anywhere else (it is historical and origins only).
 */
export function offeredMetrics(type: QueryType, live: boolean, catalog: MetricInfo[]): MetricInfo[] {
  const others = catalog.filter((m) => m.name !== HEATMAP_METRIC);
  if (type !== 'origins' || live) {
    return others;
  }
  return catalog.length === others.length ? [...catalog, HEATMAP_METRIC_INFO] : catalog;
}

/** Query types offered in the panel query editor (events belong to the annotation editor). */
export const PANEL_QUERY_TYPES: QueryType[] = [
  'stats',
  'realtime',
  'origins',
  'domains',
  'usage',
  'insights',
  'logseries',
  'logs',
];

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
