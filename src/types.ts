import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

import registry from './queryTypes.generated.json';
import { QUERY_TYPE_NAMES } from './queryModel.generated';

/**
 * What a query asks Fastly for; the backend routes on it (see DESIGN.md, "Query model"). The
 * names are the backend registry's (pkg/plugin/registry.go), generated with it.
 */
export type QueryType = (typeof QUERY_TYPE_NAMES)[number];

/** One condition on sampled log records: Fastly's field, operator and value (`in` takes a comma list). */
export interface LogFilter {
  field: string;
  op: string;
  value: string;
}

/** Bucket size of historical data; `auto` lets the backend pick from the time range and retention. */
export type Resolution = 'auto' | 'minute' | 'hour' | 'day';

/** The dimension a query splits its series by; '' keeps one series per metric. */
export type GroupBy = '' | 'service' | 'pop' | 'region' | 'origin' | 'domain';

/** `services: ['*']` asks for every service the token can see. */
export const ALL_SERVICES = '*';

/**
 * The query model shared with the Go backend (pkg/models). Field names and meanings must match
 * it exactly: this is the JSON Grafana stores in dashboards and sends to QueryData.
 */
export interface FastlyQuery extends DataQuery {
  queryType: QueryType;
  /** Fastly service ids, template variables (`$service`) or `*` for all. */
  services: string[];
  /** Catalog metric names, including derived ones such as `hit_ratio`. */
  metrics: string[];
  resolution: Resolution;
  /** Fastly region code (`usa`, `europe`, ...); '' means all regions. */
  region: string;
  /** POP codes to keep (real-time, origins, domains); empty means all. */
  pops: string[];
  groupBy: GroupBy;
  /** Divide counts by the bucket length so they read as rates. */
  perSecond: boolean;
  /** Series name template, e.g. `{{service_name}} {{pop}}`; '' gives the default names. */
  legendFormat: string;
  /** Origin hosts to keep (origins queries). */
  origins?: string[];
  /** Domains to keep (domains queries). */
  domains?: string[];
  /**
   * Event types for annotations, e.g. `version.create`, shown besides DEFAULT_EVENT_TYPES.
   */
  eventTypes?: string[];
  /** Event types not to show, the defaults included; wins over eventTypes. */
  excludeEventTypes?: string[];
  /**
   * Origins and domains only: stream the last minutes per second through Grafana Live instead
   * of reading history. Missing means false (saved queries from before it read history).
   */
  live?: boolean;
  /** insights: the Log Insights ranking, e.g. `top-url-by-requests`. */
  insight?: string;
  /** insights: rows (at most 100); logs: lines (at most 5000); logseries: series (at most 100). */
  limit?: number;
  /** logs, logseries: conditions on the sampled records, all of which must hold. */
  filters?: LogFilter[];
  /** insights: only this domain (a part of it, or all of it with domainExact). */
  domain?: string;
  domainExact?: boolean;
  /** logseries: `count` or an aggregation such as `avg[response_time]`. */
  series?: string;
  /** logseries: the log field to split by, e.g. `request_path`; '' gives one series. */
  dimension?: string;
  /**
   * Real-time, origins and domains only: `popmap` answers one table row per POP with its name,
   * latitude and longitude (for the Geomap panel) instead of time series. Missing means time series.
   */
  format?: 'popmap';
  /**
   * Stats only: keep the N services (1 to 100) with the most of the first metric and sum every
   * other service into one series, `other`. Missing or 0 keeps every service.
   */
  top?: number;
}

/** Defaults for every field; missing fields of saved queries take these (see migrations.ts). */
export const DEFAULT_QUERY: Omit<FastlyQuery, 'refId'> = {
  queryType: 'stats',
  services: [],
  metrics: ['requests'],
  resolution: 'auto',
  region: '',
  pops: [],
  groupBy: '',
  perSecond: false,
  legendFormat: '',
};

/**
 * Metrics a query of each type starts with when the type is chosen and none of the previous
 * metrics applies: the backend registry's defaults, from queryTypes.generated.json (usage's []
 * means all three usage totals).
 */
export const DEFAULT_METRICS = Object.fromEntries(registry.types.map((t) => [t.name, t.defaultMetrics])) as Record<
  QueryType,
  string[]
>;

/**
 * Event types an events query shows unless excludeEventTypes turns them off (the backend's
 * defaultEventTypes, pkg/plugin/query_events.go); eventTypes add to them.
 */
export const DEFAULT_EVENT_TYPES = ['version.activate', 'version.deactivate', 'service.purge_all'];

/** Event types Fastly's events API reports that make useful annotations. */
export const EVENT_TYPES: Array<{ value: string; label: string; description: string }> = [
  { value: 'version.activate', label: 'Version activated', description: 'A service configuration version went live' },
  { value: 'version.deactivate', label: 'Version deactivated', description: 'A service version was deactivated' },
  { value: 'service.purge_all', label: 'Purge all', description: 'The whole cache of a service was purged' },
  { value: 'version.create', label: 'Version created', description: 'A new draft version was created' },
  { value: 'service.create', label: 'Service created', description: 'A service was created' },
  { value: 'service.delete', label: 'Service deleted', description: 'A service was deleted' },
];

export const DEFAULT_ANNOTATION_QUERY: Omit<FastlyQuery, 'refId'> = {
  ...DEFAULT_QUERY,
  queryType: 'events',
  services: [ALL_SERVICES],
  metrics: [],
  // none added, none turned off: the backend's defaults (DEFAULT_EVENT_TYPES)
  eventTypes: [],
};

export const DEFAULT_API_URL = 'https://api.fastly.com';
export const DEFAULT_REALTIME_URL = 'https://rt.fastly.com';

/** Options stored in the data source's jsonData. */
export interface FastlyOptions extends DataSourceJsonData {
  /** Fastly API base URL; default https://api.fastly.com. Override for a proxy or the simulator. */
  apiUrl?: string;
  /** Fastly real-time API base URL; default https://rt.fastly.com. */
  realtimeUrl?: string;
  /** Seconds a Fastly call may take (Grafana's HTTP client option); unset uses its default. */
  timeout?: number;
  /** Grafana's TLS options, read by the backend's SDK HTTP client (certificates in secureJsonData). */
  tlsAuth?: boolean;
  tlsAuthWithCACert?: boolean;
  tlsSkipVerify?: boolean;
}

/** Secrets: sent to Grafana once, kept encrypted, readable only by the backend. */
export interface FastlySecureJsonData {
  apiToken?: string;
}

/** One answer row of `GET /services`. */
export interface ServiceInfo {
  id: string;
  name: string;
  type: string;
}

/** One catalog entry of `GET /metrics?queryType=`. */
export interface MetricInfo {
  name: string;
  label: string;
  unit: string;
  category: string;
  description: string;
  /** Query types the metric exists for. */
  kinds: string[];
  /** A distribution per bucket (the latency heatmap): history only, never on a POP map. */
  histogram?: boolean;
}

/** One answer row of `GET /pops`. */
export interface PopInfo {
  code: string;
  name: string;
  group: string;
  latitude: number;
  longitude: number;
}

/** One Log Insights ranking of `GET /logs-catalog` (pkg/catalog/insights.go). */
export interface InsightRanking {
  name: string;
  label: string;
  description: string;
  dimension: string;
  dimensionLabel: string;
  columns: Array<{ key: string; label: string; unit: string }>;
}

/** `GET /logs-catalog`: what the sampled-log query types accept. */
export interface LogsCatalog {
  rankings: InsightRanking[];
  filterFields: string[];
  filterOps: string[];
  dimensions: string[];
  series: string[];
}

/** What a dashboard variable lists. */
export type VariableKind = 'services' | 'pops' | 'regions' | 'metrics' | 'insights';

/** The query of a dashboard variable backed by this data source. */
export interface FastlyVariableQuery extends DataQuery {
  kind: VariableKind;
  /** For `metrics`: the query type whose metrics to list. */
  queryType?: QueryType;
  /** For `insights`: the service whose ranking to list (an id or a variable). */
  service?: string;
  /** For `insights`: the ranking whose values to list, e.g. the top URLs. */
  insight?: string;
  /** For `insights`: how many values (at most 100). */
  limit?: number;
}
