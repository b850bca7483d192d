import { ErrorField, errorField } from './errorFields';

/*
 * The messages below are the backend's own texts, as its Go code produces them (formats
 * filled in with typical values). A change of wording there should fail here.
 */
const cases: Array<[string, string, ErrorField]> = [
  // pkg/models/query.go (validate, ParseQuery)
  ['models: bad JSON', 'the query is not valid JSON: unexpected end of JSON input', 'general'],
  [
    'models: unknown query type',
    'unknown query type "hist": use one of stats, realtime, origins, domains, usage or events',
    'queryType',
  ],
  ['models: unknown resolution', 'unknown resolution "second": use auto, minute, hour or day', 'resolution'],
  ['models: group-by', 'a stats query cannot be grouped by "pop": use one of "service"', 'groupBy'],
  [
    'models: group-by of an inspector query',
    'a origins query cannot be grouped by "domain": use one of "service", "origin", "pop", "region"',
    'groupBy',
  ],
  ['models: no service', 'no service selected: pick one or more Fastly services, or All services', 'services'],
  ['models: All and a list', 'choose either All services or a list of services, not both', 'services'],
  [
    'models: too many services',
    'the query lists 10000 services, more than the 100 allowed: pick fewer, or All services',
    'services',
  ],
  [
    'models: too many metrics',
    'the query lists 60 metrics, more than the 50 allowed: split them over several queries',
    'metrics',
  ],
  [
    'models: too many POPs',
    'the query lists 200 POPs, more than the 150 allowed: pick fewer, or none for every POP',
    'pops',
  ],
  [
    'models: too many origins',
    'the query lists 101 origins, more than the 100 allowed: pick fewer, or none for every origin',
    'origins',
  ],
  [
    'models: too many domains',
    'the query lists 101 domains, more than the 100 allowed: pick fewer, or none for every domain',
    'domains',
  ],
  [
    'models: bad service id',
    '"$service" is not a Fastly service id: ids are letters and digits, like SU1Z0isxPaozGVKXdv0eY (was a template variable left unexpanded?)',
    'services',
  ],

  // pkg/plugin/query_inspector_live.go (liveInspectorLimits, queryInspectorLive)
  [
    'live inspector: group-by',
    "live Origin Inspector panels show each service's total or one series per POP: group by pop or nothing, or turn live off to group by origin",
    'groupBy',
  ],
  [
    'live inspector: origin filter',
    'live Origin Inspector panels cannot filter by origin: clear the origin list, or turn live off',
    'origins',
  ],
  [
    'live inspector: domain filter',
    'live Domain Inspector panels cannot filter by domain: clear the domain list, or turn live off',
    'domains',
  ],
  [
    'live inspector: region',
    'live Domain Inspector panels cannot filter by region: pick POPs instead, or turn live off',
    'region',
  ],
  [
    'live inspector: heatmap',
    'origin_latency_heatmap is historical only: turn live off, or use origin_latency_p50, _p95 or _p99',
    'metrics',
  ],
  [
    'live inspector: native ratios',
    'origin_status_5xx_ratio: Fastly computes these ratios per origin and they cannot be combined live; turn live off to see them',
    'metrics',
  ],
  [
    'live inspector: too many services',
    'live queries take at most 10 services (this one has 12): pick fewer services',
    'services',
  ],

  // pkg/models/resolution.go (ChooseResolution)
  [
    'resolution: past minute retention',
    'Fastly keeps minute data for 35 days only, and this range starts 40 days ago: choose a coarser resolution or auto',
    'resolution',
  ],
  [
    'resolution: past hour retention',
    'Fastly keeps hour data for 375 days only, and this range starts 400 days ago: choose a coarser resolution or auto',
    'resolution',
  ],
  ['resolution: empty range', 'the time range is empty: it must end after it starts', 'general'],
  // the info notice auto adds is no error; were it one, it names no field to fix
  ['resolution: auto notice', 'Showing hour data: Fastly keeps minute data for 35 days only.', 'general'],

  // pkg/catalog/resolve.go (Resolve), pkg/catalog/usage.go (ResolveUsage)
  [
    'catalog: unknown metric',
    'Historical stats metrics: unknown metric "hits_ratio" (did you mean hit_ratio, hits, miss_ratio?)',
    'metrics',
  ],
  [
    'catalog: metric of another kind',
    'Historical stats metrics: "miss_latency_p95" is not available in Historical stats queries, only in Real-time (did you mean miss?)',
    'metrics',
  ],
  [
    'catalog: raw histogram, record key, empty name',
    'Real-time metrics: "miss_histogram" is a raw histogram and cannot be plotted (use miss_latency_p50, miss_latency_p95, miss_latency_p99); "start_time" is a record key, not a metric; an empty metric name',
    'metrics',
  ],
  [
    'catalog: domains',
    'Domain Inspector metrics: "hits" is not available in Domain Inspector queries, only in Historical stats, Real-time',
    'metrics',
  ],
  ['catalog: origins', 'Origin Inspector metrics: unknown metric "respones" (did you mean responses?)', 'metrics'],
  [
    'catalog: unknown kind (a plugin fault)',
    'unknown query kind "usage": use one of historical, realtime, origins, domains',
    'general',
  ],
  [
    'catalog: usage metric',
    'usage metrics: unknown "hits": usage has bandwidth, requests and compute_requests',
    'metrics',
  ],

  // pkg/frames/stats.go, pkg/frames/inspector.go: a ratio summed across services
  [
    'frames: stats ratio across services',
    'origin_offload is a ratio Fastly computes per service, so it cannot be added across services: group by service',
    'groupBy',
  ],
  [
    'frames: inspector ratio across services',
    'hit_ratio is a ratio Fastly computes per series, so it cannot be added across services or dimensions: group by service (or by the dimension you want)',
    'groupBy',
  ],

  // pkg/plugin/query_realtime.go, query_inspector.go
  ['plugin: a service id with a path in it', '"../x" is not a Fastly service id', 'services'],
  [
    'plugin: no service has the product (no choice of services fixes it)',
    "none of the 3 services this token can see has Origin Inspector enabled. It is a paid, per-service product: enable it in the Fastly web interface (the service's Observability > Origin Inspector page) or with the enabled-products API",
    'general',
  ],

  // pkg/fastly/products.go (ProductDisabledError): a listed service without the product
  [
    'fastly: product not enabled on a service',
    "Origin Inspector is not enabled on Fastly service SU1Z0isxPaozGVKXdv0eY, so it has no Origin Inspector data. It is a paid, per-service product: enable it in the Fastly web interface (open the service, then Observability > Origin Inspector, or the service's product settings), or with the API: PUT /enabled-products/v1/origin_inspector/services/SU1Z0isxPaozGVKXdv0eY. Data appears from the moment it is enabled.",
    'services',
  ],

  // pkg/fastly/errors.go (APIError with its hints, NetworkError, DecodeError, ErrNoToken)
  [
    'fastly: 401 token rejected',
    'Fastly answered 401 Unauthorized for /stats/service/SU1Z0isxPaozGVKXdv0eY: Provided credentials are missing or invalid (the API token was rejected: check it in the data source settings)',
    'general',
  ],
  [
    'fastly: 403 token scope',
    'Fastly answered 403 Forbidden for /jsonapi: Forbidden: token cannot read this service (the token lacks access: it needs scope global:read and access to this service)',
    'general',
  ],
  [
    'fastly: 404 check the service id',
    "Fastly answered 404 Not Found for /stats/service/nope: Record not found: Couldn't find service 'nope' (check the service id)",
    'services',
  ],
  [
    'fastly: 429 rate limited',
    'Fastly answered 429 Too Many Requests for /stats/regions: Rate limit exceeded (rate limited by Fastly; retry after 3600s)',
    'general',
  ],
  [
    'fastly: 500',
    'Fastly answered 500 Internal Server Error for /stats/service/SU1Z0isxPaozGVKXdv0eY: Internal Server Error: An unexpected error occurred (a Fastly-side failure; retry shortly)',
    'general',
  ],
  [
    'fastly: 502',
    'Fastly answered 502 Bad Gateway for /stats/service/SU1Z0isxPaozGVKXdv0eY: Bad Gateway (a Fastly-side failure; retry shortly)',
    'general',
  ],
  [
    'fastly: 503 on an inspector path naming services',
    'Fastly answered 503 Service Unavailable for /metrics/origins/services/SU1Z0isxPaozGVKXdv0eY: Service Unavailable: The service is temporarily unavailable, please retry (a Fastly-side failure; retry shortly)',
    'general',
  ],
  [
    'fastly: 504',
    'Fastly answered 504 Gateway Timeout for /stats: Gateway Timeout: The upstream did not answer in time (a Fastly-side failure; retry shortly)',
    'general',
  ],
  [
    'fastly: 400 without a known cause',
    'Fastly answered 400 Bad Request for /stats/service/SU1Z0isxPaozGVKXdv0eY: Bad request: The request was invalid',
    'general',
  ],
  ['fastly: error in a 200 answer', 'Fastly answered with an error for /stats: Your query is too large', 'general'],
  [
    'fastly: 400 invalid region',
    "Fastly answered 400 Bad Request for /stats/service/SU1Z0isxPaozGVKXdv0eY: Invalid region 'mars'. Valid regions are: africa_std, anzac, asia, asia_india, asia_southkorea, europe, latam, southamerica_std, usa",
    'region',
  ],
  [
    'fastly: invalid region in a 200 answer',
    "Fastly answered with an error for /stats: Invalid region 'mars'. Valid regions are: usa, europe",
    'region',
  ],
  [
    'fastly: 400 invalid stats field',
    "Fastly answered 400 Bad Request for /stats/service/SU1Z0isxPaozGVKXdv0eY/field/hitz: Invalid field 'hitz'",
    'metrics',
  ],
  [
    'fastly: 400 invalid datacenter',
    "Fastly answered 400 Bad Request for /stats/service/SU1Z0isxPaozGVKXdv0eY: Invalid datacenter 'XXX'",
    'pops',
  ],
  [
    'fastly: 400 minutely retention',
    'Fastly answered 400 Bad Request for /stats: Minutely data is only available for the last 35 days; use by=hour or by=day for older data',
    'resolution',
  ],
  [
    'fastly: 400 hourly retention',
    'Fastly answered 400 Bad Request for /stats: Hourly data is only available for the last 375 days; use by=day for older data',
    'resolution',
  ],
  [
    'fastly: 400 inspector metric',
    "Fastly answered 400 Bad Request for /metrics/origins/services/SU1Z0isxPaozGVKXdv0eY: unknown metric 'respones'",
    'metrics',
  ],
  [
    'fastly: 400 inspector group_by',
    'Fastly answered 400 Bad Request for /metrics/domains/services/SU1Z0isxPaozGVKXdv0eY: group_by must be domain, datacenter or region',
    'groupBy',
  ],
  [
    'fastly: 400 inspector downsample',
    'Fastly answered 400 Bad Request for /metrics/origins/services/SU1Z0isxPaozGVKXdv0eY: downsample must be minute, hour or day',
    'resolution',
  ],
  [
    'fastly: inspector pagination (names origins and POPs, about neither)',
    'Fastly answered with an error for /metrics/origins/services/SU1Z0isxPaozGVKXdv0eY: the answer did not end after 50 pages: narrow the query (fewer origins, POPs or a shorter range)',
    'general',
  ],
  [
    'fastly: unreadable usage answer (mentions a region)',
    "Fastly's answer for /stats/usage could not be read: region usa: json: cannot unmarshal string into Go value of type fastly.UsageTotals",
    'general',
  ],
  [
    'fastly: oversize answer (advice names services and metrics)',
    "Fastly's answer for /stats/service/SU1Z0isxPaozGVKXdv0eY is larger than the plugin's limit of 128 MiB for that endpoint: ask for a shorter time range, fewer services or fewer metrics",
    'general',
  ],
  [
    'fastly: redirect to another host',
    'the answer for /service redirected to another host, https://elsewhere.example: the plugin does not send the API token there (check the API and real-time URLs, and any proxy, in the data source settings)',
    'general',
  ],
  [
    'fastly: decode error (mentions a metric)',
    'Fastly\'s answer for /stats/service/SU1Z0isxPaozGVKXdv0eY could not be read: fastly stats: "hit_ratio" is not a numeric stats field',
    'general',
  ],
  [
    'fastly: network',
    'could not reach Fastly for /stats/service/SU1Z0isxPaozGVKXdv0eY: timed out: context deadline exceeded',
    'general',
  ],
  [
    'fastly: no token',
    'no Fastly API token is configured: add one with scope global:read in the data source settings',
    'general',
  ],

  // pkg/models/settings.go
  [
    'settings: bad Real-time URL',
    'the Real-time URL "ftp://x" is not valid: use an absolute http or https URL such as https://rt.fastly.com, or leave it empty for the default',
    'general',
  ],

  // pkg/live/channel.go (a real-time query's live channel)
  [
    'live: channel too long',
    'too many real-time options for one live channel: pick fewer metrics or POPs, or split them over several queries',
    'general',
  ],
  ['live: bad metric name', '"bad metric" is not a metric name', 'metrics'],
  ['live: no metrics', 'no metrics in channel', 'metrics'],
  ['live: bad POP', '"NOT A POP" is not a POP code', 'pops'],
  ['live: group-by', 'a live channel can be grouped by pop only, not "service"', 'groupBy'],
  ['live: bad service id', '"bad id" is not a Fastly service id', 'services'],

  // not from the backend at all
  ['Grafana: plugin unavailable', 'plugin unavailable', 'general'],
  ['empty message', '', 'general'],
];

describe('errorField', () => {
  it.each(cases)('%s', (_, message, field) => {
    expect(errorField(message)).toBe(field);
  });
});
