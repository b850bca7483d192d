/**
 * Which query editor field a backend error message is about, so the editor can show it next to
 * that field. The patterns follow the messages the Go backend writes (pkg/models, pkg/catalog,
 * pkg/fastly, pkg/frames, pkg/live, pkg/plugin); each one is specific to a single message so a
 * word that merely appears in a URL path or in Fastly's prose (".../services/ID", "region usa:")
 * does not pull an error to the wrong field. Anything not recognised stays general.
 */

/** Editor fields an error can belong to; `general` is shown in the block below the editor. */
export type ErrorField =
  | 'queryType'
  | 'services'
  | 'metrics'
  | 'resolution'
  | 'region'
  | 'pops'
  | 'groupBy'
  | 'origins'
  | 'domains'
  | 'insight'
  | 'limit'
  | 'filters'
  | 'series'
  | 'dimension'
  | 'domain'
  | 'general';

interface Rule {
  field: ErrorField;
  pattern: RegExp;
}

/**
 * Failures that are never the query's fault, checked first: their text can contain a path or a
 * decoding detail that looks like a field ("/stats/service/ID", "region usa: json: ...").
 */
const GENERAL: RegExp[] = [
  // APIError with a status no field fixes: token rejected (401), token scope (403), rate limit
  // (429) and Fastly-side failures (5xx)
  /\bFastly answered (401|403|429|5\d\d)\b/,
  // NetworkError
  /\bcould not reach Fastly for\b/,
  // DecodeError
  /\bFastly's answer for \S+ could not be read\b/,
  // TooLargeError (its advice names services and metrics) and RedirectError
  /\bFastly's answer for \S+ is larger than the plugin's limit\b/,
  /\bthe answer for \S+ redirected (to another host|more than)\b/,
];

/** First match wins; the source of each message is noted beside it. */
const RULES: Rule[] = [
  // models.validate
  { field: 'queryType', pattern: /\bunknown query type "/ },

  // models.validate, models.ChooseResolution
  { field: 'resolution', pattern: /\bunknown resolution "/ },
  { field: 'resolution', pattern: /\bFastly keeps \w+ data for \d+ days only\b.*\bchoose a coarser resolution\b/ },
  // Fastly's own retention and downsample refusals
  { field: 'resolution', pattern: /\b(Minutely|Hourly) data is only available for the last \d+ days\b/ },
  { field: 'resolution', pattern: /\bdownsample must be\b/ },

  // models.validate, live.Channel, frames.StatsFrames / InspectorFrames (a ratio summed
  // across services: the fix is to group by service), Fastly's inspector group_by refusal
  { field: 'groupBy', pattern: /\bquery cannot be grouped by "/ },
  { field: 'groupBy', pattern: /\ba live channel can be grouped by pop only\b/ },
  { field: 'groupBy', pattern: /\bcannot be added across services\b/ },
  { field: 'groupBy', pattern: /\bgroup_by must be\b/ },
  // plugin.liveInspectorLimits: live origins/domains panels
  { field: 'groupBy', pattern: /\blive (Origin|Domain) Inspector panels show each service's total\b/ },
  { field: 'origins', pattern: /\blive Origin Inspector panels cannot filter by origin\b/ },
  { field: 'domains', pattern: /\blive Domain Inspector panels cannot filter by domain\b/ },
  { field: 'region', pattern: /\blive (Origin|Domain) Inspector panels cannot filter by region\b/ },
  { field: 'metrics', pattern: /\bis historical only: turn live off\b/ },
  { field: 'metrics', pattern: /\bthey cannot be combined live\b/ },
  // plugin.liveChannels: real-time and live inspector queries
  { field: 'services', pattern: /\blive queries take at most \d+ services\b/ },
  // models.validate: the caps on a query's lists
  { field: 'services', pattern: /\bthe query lists \d+ services\b/ },
  { field: 'metrics', pattern: /\bthe query lists \d+ metrics\b/ },
  { field: 'pops', pattern: /\bthe query lists \d+ POPs\b/ },
  { field: 'origins', pattern: /\bthe query lists \d+ origins\b/ },
  { field: 'domains', pattern: /\bthe query lists \d+ domains\b/ },

  // models.validate (also fastly, live: the same id check), the 404 hint of fastly.APIError,
  // fastly.ProductDisabledError for a listed service
  { field: 'services', pattern: /\bno service selected\b/ },
  { field: 'services', pattern: /\bchoose either All services or a list of services\b/ },
  { field: 'services', pattern: /" is not a Fastly service id\b/ },
  { field: 'services', pattern: /\(check the service id\)/ },
  { field: 'services', pattern: /\bis not enabled on Fastly service\b/ },

  // catalog.Resolve ("<kind> metrics: unknown metric ..."), catalog.ResolveUsage, live.Channel,
  // Fastly's refusals of a stats field or an inspector metric
  { field: 'metrics', pattern: /\b(Historical stats|Real-time|Origin Inspector|Domain Inspector) metrics: / },
  { field: 'metrics', pattern: /\busage metrics: unknown\b/ },
  { field: 'metrics', pattern: /" is not a metric name\b/ },
  { field: 'metrics', pattern: /\bno metrics in channel\b/ },
  { field: 'metrics', pattern: /\bInvalid field '/ },
  { field: 'metrics', pattern: /\bunknown metric '/ },

  // Fastly's refusal of a region
  { field: 'region', pattern: /\bInvalid region '/ },

  // models.validateObservability, fastly.LogFilter.Validate, catalog.FindInsight / LogSeries
  { field: 'services', pattern: /\breads one service's sampled logs: pick exactly one service\b/ },
  { field: 'insight', pattern: /\bunknown Log Insights ranking "/ },
  { field: 'limit', pattern: /\blimit is the number of \w+: between 1 and \d+/ },
  { field: 'series', pattern: /\bunknown log series "/ },
  { field: 'dimension', pattern: /\bcannot split log series by "/ },
  { field: 'filters', pattern: /\bcannot filter logs on "/ },
  { field: 'filters', pattern: /\bunknown filter operator "/ },
  { field: 'filters', pattern: /\b(compares numbers; |ends-with works on text; )/ },
  {
    field: 'filters',
    pattern: /\btakes numbers, not "|\bis true or false, not "|^the filter on \w+ (has no value|is longer than)/,
  },
  { field: 'filters', pattern: /\binsights take the pops and domain fields, not filters\b/ },

  // Fastly's refusal of a datacenter, live.Channel
  { field: 'pops', pattern: /\bInvalid datacenter '/ },
  { field: 'pops', pattern: /" is not a POP code\b/ },
];

/** The editor field a backend error message is about, or `general` when it is about none. */
export function errorField(message: string): ErrorField {
  if (GENERAL.some((p) => p.test(message))) {
    return 'general';
  }
  return RULES.find((r) => r.pattern.test(message))?.field ?? 'general';
}
