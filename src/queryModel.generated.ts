// Written by `go test ./pkg/plugin -run QueryTypesFile -update` from the query model
// (pkg/models) and the query-type registry (pkg/plugin/registry.go): do not edit.
// src/types.ts builds FastlyQuery on QueryModel.

/** The registered query types, in the order users see them. */
export const QUERY_TYPE_NAMES = [
  'stats',
  'realtime',
  'origins',
  'domains',
  'usage',
  'events',
  'insights',
  'logs',
  'logseries',
] as const;
export type QueryType = (typeof QUERY_TYPE_NAMES)[number];

/** Every grouping some query type offers; '' keeps one series per metric. */
export const GROUP_BYS = [
  '',
  'service',
  'pop',
  'origin',
  'region',
  'domain',
] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** The values of `resolution`. */
export const RESOLUTIONS = [
  'auto',
  'minute',
  'hour',
  'day',
] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** The query fields some type's editor shows, its type and services included. */
export const EDITOR_FIELDS = [
  'queryType',
  'services',
  'metrics',
  'resolution',
  'region',
  'pops',
  'groupBy',
  'perSecond',
  'legendFormat',
  'origins',
  'domains',
  'eventTypes',
  'format',
  'live',
  'top',
  'insight',
  'limit',
  'filters',
  'domain',
  'series',
  'dimension',
] as const;
export type EditorField = (typeof EDITOR_FIELDS)[number];

/** LogFilter narrows sampled log records: filter[Field][Op]=Value on the wire. */
export interface LogFilter {
  field: string;
  op: string;
  value: string;
}

/**
 * Query is the JSON model shared by the query editor and the backend: what Grafana stores in
 * dashboards and sends to QueryData. The editor's FastlyQuery (src/types.ts) is generated from
 * it, comments included, so they are written for both.
 */
export interface QueryModel {
  /** QueryType names a registered query type; a query without one reads historical stats. */
  queryType: QueryType;
  /**
   * Services are Fastly service ids, template variables ($service) or "*" for every service
   * the token can see.
   */
  services: string[];
  /**
   * Metrics are catalog metric names, derived ones such as hit_ratio included; none takes the
   * type's defaults.
   */
  metrics: string[];
  /**
   * Resolution is the bucket size of history; auto picks minute, hour or day from the time
   * range and how long Fastly keeps each.
   */
  resolution: Resolution;
  /** Region is a Fastly region code (usa, europe, ...); empty means every region. */
  region: string;
  /** Pops are the POP codes to keep; empty keeps every POP. */
  pops: string[];
  /** GroupBy is the dimension the series are split by; empty keeps one series per metric. */
  groupBy: GroupBy;
  /** PerSecond divides counts by the bucket length, so they read as rates. */
  perSecond: boolean;
  /**
   * LegendFormat is the series name template, e.g. {{service_name}} {{pop}}; empty gives the
   * default names.
   */
  legendFormat: string;
  /** Origins are the origin hosts to keep (Origin Inspector); none keeps every origin. */
  origins?: string[];
  /** Domains are the domains to keep (Domain Inspector); none keeps every domain. */
  domains?: string[];
  /**
   * EventTypes are event types an events query shows besides the defaults, e.g.
   * version.create.
   */
  eventTypes?: string[];
  /**
   * Format is empty for time series, or "popmap" (FormatPOPMap): one table row per POP with
   * its name, latitude and longitude, for the Geomap panel.
   */
  format?: 'popmap';
  /**
   * Live streams an origins or domains query through Grafana Live instead of reading history.
   * A flag rather than a resolution keeps the historical resolution when a panel is toggled.
   */
  live?: boolean;
  /**
   * Top keeps the N services (1 to MaxTop) with the most of the first metric and sums every
   * other one into one series, "other" (top.go); 0 keeps every service.
   */
  top?: number;
  /**
   * ExcludeEventTypes turns event types off, the defaults included. A list of its own, not
   * a new meaning of eventTypes, so queries saved when eventTypes only added keep their events.
   */
  excludeEventTypes?: string[];
  /** Insight is the Log Insights ranking of an insights query, e.g. top-url-by-requests. */
  insight?: string;
  /** Limit is how many rows (insights), lines (logs) or series (logseries) a query shows. */
  limit?: number;
  /** Filters are conditions on the sampled records (logs, logseries), all of which must hold. */
  filters?: LogFilter[];
  /**
   * Domain keeps only the requests to this domain (insights): a part of the name, or all of
   * it with DomainExact.
   */
  domain?: string;
  domainExact?: boolean;
  /**
   * Series is what a logseries query counts: count, or an aggregation such as
   * avg[response_time].
   */
  series?: string;
  /**
   * Dimension is the log field a logseries query splits by, e.g. request_path; empty gives
   * one series.
   */
  dimension?: string;
}
