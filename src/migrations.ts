import { RESOLUTIONS } from './queryModel.generated';
import { DEFAULT_METRICS, DEFAULT_QUERY, FastlyQuery, GroupBy, QueryType } from './types';
import { QUERY_TYPES, isQueryType, viewSpec } from './queryTypes';

/** Shape of queries saved by earlier versions: single `service`/`metric`, missing fields. */
type SavedQuery = Partial<Omit<FastlyQuery, 'queryType'>> & {
  refId: string;
  queryType?: string;
  service?: string;
  metric?: string;
  pop?: string;
};

function asList(list: unknown, single?: unknown): string[] {
  if (Array.isArray(list)) {
    return list.filter((v): v is string => typeof v === 'string' && v !== '');
  }
  if (typeof list === 'string' && list !== '') {
    return [list];
  }
  if (typeof single === 'string' && single !== '') {
    return [single];
  }
  return [];
}

/**
 * Brings a stored query to the current model: old singular fields become lists, unknown or
 * missing fields take defaults, and the group-by is one the query type supports (live or not).
 * Queries saved before `live` existed stay without it, which reads history. Pure and
 * idempotent, so it can run on every render and before every request.
 */
export function migrateQuery(saved: SavedQuery | FastlyQuery): FastlyQuery {
  const q = saved as SavedQuery;
  const { service, metric, pop, live: savedLive, ...rest } = q;
  const queryType: QueryType = isQueryType(q.queryType) ? q.queryType : DEFAULT_QUERY.queryType;
  // only types with a Live switch stream with `live`; elsewhere the flag means nothing and is dropped
  const live = QUERY_TYPES[queryType].live && typeof savedLive === 'boolean' ? savedLive : undefined;
  const spec = viewSpec(queryType, live === true);
  const groupBy =
    typeof q.groupBy === 'string' && spec.groupBy.includes(q.groupBy as GroupBy) ? q.groupBy : spec.defaultGroupBy;
  const resolution =
    typeof q.resolution === 'string' &&
    ((RESOLUTIONS as readonly string[]).includes(q.resolution) || q.resolution.includes('$'))
      ? q.resolution
      : DEFAULT_QUERY.resolution;

  const hasMetrics = Array.isArray(q.metrics) || typeof metric === 'string';
  const out: FastlyQuery = {
    ...rest,
    refId: q.refId,
    queryType,
    services: asList(q.services, service),
    metrics: hasMetrics ? asList(q.metrics, metric) : [...DEFAULT_METRICS[queryType]],
    resolution,
    region: typeof q.region === 'string' ? q.region : DEFAULT_QUERY.region,
    pops: asList(q.pops, pop),
    groupBy,
    perSecond: typeof q.perSecond === 'boolean' ? q.perSecond : DEFAULT_QUERY.perSecond,
    legendFormat: typeof q.legendFormat === 'string' ? q.legendFormat : DEFAULT_QUERY.legendFormat,
  };
  if (live !== undefined) {
    out.live = live;
  }
  for (const key of ['origins', 'domains', 'eventTypes', 'excludeEventTypes'] as const) {
    if (q[key] !== undefined) {
      out[key] = asList(q[key]);
    }
  }
  return out;
}
