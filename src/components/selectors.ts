/** data-testid values of the editors, shared by the jest tests and the browser check. */
export const selectors = {
  config: {
    apiToken: 'fastly-config-api-token',
    apiUrl: 'fastly-config-api-url',
    realtimeUrl: 'fastly-config-realtime-url',
    advanced: 'fastly-config-advanced',
    connection: 'fastly-config-connection',
    timeout: 'fastly-config-timeout',
    /** A TLS switch of the Connection section, e.g. `tls('tlsSkipVerify')`. */
    tls: (key: string) => `fastly-config-${key}`,
  },
  query: {
    editor: 'fastly-query-editor',
    queryType: 'fastly-query-type',
    services: 'fastly-query-services',
    metrics: 'fastly-query-metrics',
    resolution: 'fastly-query-resolution',
    region: 'fastly-query-region',
    perSecond: 'fastly-query-per-second',
    top: 'fastly-query-top',
    live: 'fastly-query-live',
    groupBy: 'fastly-query-group-by',
    format: 'fastly-query-format',
    pops: 'fastly-query-pops',
    origins: 'fastly-query-origins',
    domains: 'fastly-query-domains',
    legendFormat: 'fastly-query-legend-format',
    insight: 'fastly-query-insight',
    limit: 'fastly-query-limit',
    domain: 'fastly-query-domain',
    series: 'fastly-query-series',
    dimension: 'fastly-query-dimension',
    filters: 'fastly-query-filters',
    addFilter: 'fastly-query-add-filter',
    /** One row of the filter builder, e.g. `filterRow(0)`. */
    filterRow: (i: number) => `fastly-query-filter-${i}`,
    errors: 'fastly-query-errors',
    /** What a switch of query type or Live could not keep. */
    switchNotice: 'fastly-query-switch-notice',
    /** Why the query cannot run yet (no services, no metrics). */
    hint: 'fastly-query-hint',
    /** Why a real-time or live query has more services than it can stream. */
    liveLimit: 'fastly-query-live-limit',
    /** The InlineField (label, control and its error message) of an editor field, e.g. `field('metrics')`. */
    field: (name: string) => `fastly-query-field-${name}`,
  },
  annotation: {
    editor: 'fastly-annotation-editor',
    eventTypes: 'fastly-annotation-event-types',
    /** What the chosen event types show, below the picker. */
    defaults: 'fastly-annotation-default-events',
    /** The hint in place of it when no event type is chosen. */
    noEventTypes: 'fastly-annotation-no-event-types',
  },
  variable: {
    editor: 'fastly-variable-editor',
    kind: 'fastly-variable-kind',
    queryType: 'fastly-variable-query-type',
    service: 'fastly-variable-service',
    insight: 'fastly-variable-insight',
    limit: 'fastly-variable-limit',
  },
};
