import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

import registry from './queryTypes.generated.json';
import { QueryModel, QueryType } from './queryModel.generated';
import { ANNOTATION_QUERY_TYPE, DEFAULT_QUERY_TYPE } from './queryTypes';

export type { EditorField, GroupBy, LogFilter, QueryType, Resolution } from './queryModel.generated';

/** `services: ['*']` asks for every service the token can see. */
export const ALL_SERVICES = '*';

/**
 * The query model shared with the Go backend: the JSON Grafana stores in dashboards and sends to
 * QueryData. Its fields are models.Query's, generated with their comments
 * (queryModel.generated.ts), so the two cannot drift apart.
 */
export interface FastlyQuery extends DataQuery, QueryModel {
  queryType: QueryType;
}

/**
 * Metrics a query of each type starts with when the type is chosen and none of the previous
 * metrics applies: the backend registry's defaults, from queryTypes.generated.json (usage's []
 * means every usage total).
 */
export const DEFAULT_METRICS = Object.fromEntries(registry.types.map((t) => [t.name, t.defaultMetrics])) as Record<
  QueryType,
  string[]
>;

/** Defaults for every field; missing fields of saved queries take these (see migrations.ts). */
export const DEFAULT_QUERY: Omit<FastlyQuery, 'refId'> = {
  queryType: DEFAULT_QUERY_TYPE,
  services: [],
  metrics: [...DEFAULT_METRICS[DEFAULT_QUERY_TYPE]],
  resolution: 'auto',
  region: '',
  pops: [],
  groupBy: '',
  perSecond: false,
  legendFormat: '',
};

/**
 * Event types an events query shows unless excludeEventTypes turns them off (the backend's
 * defaults, from queryTypes.generated.json); eventTypes add to them.
 */
export const DEFAULT_EVENT_TYPES: string[] = registry.defaultEventTypes;

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
  queryType: ANNOTATION_QUERY_TYPE,
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
  /** Catalog kinds the metric exists in (QueryTypeSpec.kind). */
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
