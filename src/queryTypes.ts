import { SelectableValue } from '@grafana/data';
import { GroupBy, MetricInfo, QueryType } from './types';

/** Which editor fields a query type uses, and what it requires before it can run. */
export interface QueryTypeSpec {
  label: string;
  description: string;
  resolution: boolean;
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

const base = {
  resolution: false,
  region: false,
  pops: false,
  perSecond: false,
  origins: false,
  domains: false,
  metrics: true,
  metricsOptional: false,
  services: true,
  eventTypes: false,
  live: false,
  logFields: '' as QueryTypeSpec['logFields'],
  popMap: false,
};

/** The sampled-log types (Log Explorer & Insights): one service, no metrics or grouping. */
const logs = { ...base, metrics: false, groupBy: [''] as GroupBy[], defaultGroupBy: '' as GroupBy };

export const QUERY_TYPES: Record<QueryType, QueryTypeSpec> = {
  stats: {
    ...base,
    label: 'Historical',
    description: 'Historical stats per minute, hour or day',
    resolution: true,
    region: true,
    perSecond: true,
    popMap: true,
    groupBy: ['', 'service'],
    defaultGroupBy: '',
  },
  realtime: {
    ...base,
    label: 'Real-time',
    description: 'Live per-second traffic, streamed',
    pops: true,
    popMap: true,
    groupBy: ['', 'pop'],
    defaultGroupBy: '',
  },
  origins: {
    ...base,
    label: 'Origins',
    description: 'Origin Inspector: responses from your origin servers',
    resolution: true,
    pops: true,
    perSecond: true,
    origins: true,
    live: true,
    popMap: true,
    groupBy: ['', 'service', 'origin', 'pop', 'region'],
    defaultGroupBy: 'origin',
  },
  domains: {
    ...base,
    label: 'Domains',
    description: 'Domain Inspector: traffic per domain',
    resolution: true,
    pops: true,
    perSecond: true,
    domains: true,
    live: true,
    popMap: true,
    groupBy: ['', 'service', 'domain', 'pop', 'region'],
    defaultGroupBy: 'domain',
  },
  usage: {
    ...base,
    label: 'Usage',
    description: 'Billing usage: bandwidth, requests and Compute requests per region or service',
    region: true,
    services: false,
    metricsOptional: true,
    groupBy: ['', 'region', 'service'],
    defaultGroupBy: 'region',
  },
  events: {
    ...base,
    label: 'Events',
    description: 'Configuration changes and purges, as annotations',
    metrics: false,
    services: false,
    eventTypes: true,
    groupBy: [''],
    defaultGroupBy: '',
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

/**
 * What a live origins/domains query can use: Fastly's real-time inspector answers are summed over
 * origins (domains) per POP, so there is no origin/domain split or filter, no region and no
 * resolution (pkg/plugin/query_inspector_live.go, liveInspectorLimits).
 */
const LIVE_GROUP_BY: GroupBy[] = ['', 'service', 'pop'];

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
    groupBy: LIVE_GROUP_BY,
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
