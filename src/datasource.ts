import {
  AdHocVariableFilter,
  AnnotationEventFieldSource,
  AnnotationEventMappings,
  AnnotationQuery,
  CoreApp,
  createDataFrame,
  DataFrame,
  DataQueryError,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceGetTagValuesOptions,
  DataSourceInstanceSettings,
  LoadingState,
  MetricFindValue,
  ScopedVars,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import { Observable, from, map, merge, of, switchMap } from 'rxjs';

import { applyAdHocFilters, filteredServices } from './adhoc';
import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { nameSeries } from './legend';
import { migrateQuery } from './migrations';
import { AD_HOC_KEYS, DEFAULT_QUERY_TYPE, fieldDefault, incompleteHint, streams, typeShowing } from './queryTypes';
import { FastlyVariableSupport } from './variables';
import {
  DEFAULT_ANNOTATION_QUERY,
  DEFAULT_QUERY,
  FastlyOptions,
  FastlyQuery,
  FastlyVariableQuery,
  LogsCatalog,
  MetricInfo,
  PopInfo,
  QueryType,
  ServiceInfo,
} from './types';
import { toVariableQuery } from './variableQuery';

/** The type a top-list variable runs: the one that ranks (shows the `insight` field). */
const INSIGHT_QUERY_TYPE = typeShowing('insight') ?? DEFAULT_QUERY.queryType;

/** Annotation fields and the events frame fields they come from (pkg/frames/events.go). */
export const EVENT_MAPPINGS: AnnotationEventMappings = {
  time: { source: AnnotationEventFieldSource.Field, value: 'time' },
  title: { source: AnnotationEventFieldSource.Field, value: 'title' },
  text: { source: AnnotationEventFieldSource.Field, value: 'text' },
  tags: { source: AnnotationEventFieldSource.Field, value: 'tags' },
};

/**
 * The Fastly data source. Queries, health checks and streams go through the Go backend; the
 * frontend only expands template variables and reads option lists from the resource routes,
 * caching them for the life of the instance (Grafana makes a new one when settings change).
 */
export class DataSource extends DataSourceWithBackend<FastlyQuery, FastlyOptions> {
  private cache = new Map<string, Promise<unknown>>();

  constructor(instanceSettings: DataSourceInstanceSettings<FastlyOptions>) {
    super(instanceSettings);
    this.variables = new FastlyVariableSupport(this);
    // Annotation queries run through the backend like panel queries (ANNOTATION_QUERY_TYPE); its
    // frame has time, title, text and tags fields, which the mappings below name explicitly
    // (Grafana's standard processing turns each row into an annotation).
    this.annotations = {
      getDefaultQuery: () => ({ ...DEFAULT_ANNOTATION_QUERY, eventTypes: [] }),
      prepareAnnotation: (json: AnnotationQuery<FastlyQuery>): AnnotationQuery<FastlyQuery> => ({
        ...json,
        target: {
          ...DEFAULT_ANNOTATION_QUERY,
          ...json.target,
          refId: json.target?.refId ?? 'Anno',
          queryType: DEFAULT_ANNOTATION_QUERY.queryType,
        },
        mappings: { ...EVENT_MAPPINGS, ...json.mappings },
      }),
      QueryEditor: AnnotationQueryEditor,
    };
  }

  getDefaultQuery(_: CoreApp): Partial<FastlyQuery> {
    return { ...DEFAULT_QUERY, metrics: [...DEFAULT_QUERY.metrics] };
  }

  filterQuery(query: FastlyQuery): boolean {
    if (query.hide) {
      return false;
    }
    return incompleteHint(migrateQuery(query)) === '';
  }

  /** Ad-hoc filter keys (those some query type takes), applied by applyTemplateVariables. */
  async getTagKeys(): Promise<MetricFindValue[]> {
    return AD_HOC_KEYS.map((key) => ({ text: key }));
  }

  /**
   * Values of an ad-hoc filter key, named as in the pickers, with ids and codes as values.
   * Origins and domains belong to services: those of the filter set's `service` filter, else
   * those the dashboard's queries name (All services names none, and listing every service's
   * hosts would cost two calls to Fastly per service: type the host instead).
   */
  async getTagValues(options: DataSourceGetTagValuesOptions<FastlyQuery>): Promise<MetricFindValue[]> {
    const kinds: Record<string, FastlyVariableQuery['kind']> = { service: 'services', pop: 'pops', region: 'regions' };
    const kind = kinds[options.key];
    if (kind) {
      return this.metricFindQuery({ refId: 'adhoc', kind });
    }
    if (options.key !== 'origin' && options.key !== 'domain') {
      return [];
    }
    let services = filteredServices(options.filters ?? []);
    if (services.length === 0) {
      services = this.resolveServiceIds((options.queries ?? []).flatMap((q) => q.services ?? []));
    }
    const load = options.key === 'origin' ? this.getOrigins.bind(this) : this.getDomains.bind(this);
    // a service without the Inspector product (or gone) has no hosts to offer: the others still do
    const lists = await Promise.allSettled(services.map((s) => load(s)));
    const hosts = lists.flatMap((l) => (l.status === 'fulfilled' ? l.value : []));
    return unique(hosts)
      .sort()
      .map((h) => ({ text: h, value: h }));
  }

  /**
   * Runs the queries through the backend. A live channel leaves the legend out (panels with
   * different legends share one stream), so what it streams has the default names: each live
   * query with a legend runs as a request of its own, and every frame that request brings, the
   * first answer and each streamed update alike, is named by the query's legend here.
   */
  query(request: DataQueryRequest<FastlyQuery>): Observable<DataQueryResponse> {
    const screened = this.screenAdHoc(request);
    if (screened) {
      const rest = { ...request, targets: screened.run };
      return screened.run.length === 0 ? of(screened.answer) : merge(of(screened.answer), this.query(rest));
    }
    const legends = new Map(request.targets.map((t) => [t, liveLegend(t, request.scopedVars)]));
    const named = request.targets.filter((t) => legends.get(t) !== '');
    if (named.length === 0) {
      return super.query(request);
    }
    const runs: Array<Observable<DataQueryResponse>> = named.map((target) =>
      this.queryNamed(request, target, legends.get(target)!)
    );
    const others = request.targets.filter((t) => legends.get(t) === '');
    if (others.length > 0) {
      runs.push(super.query({ ...request, targets: others }));
    }
    return merge(...runs);
  }

  /**
   * One live query with a legend, on its own so that all it emits is its own (streamed frames
   * lose their refId at their first new schema). Its requestId is its own too, since Grafana
   * cancels a request when another with the same id starts, and so is its response key, which
   * Grafana uses to tell apart the parts of a panel's answer.
   */
  private queryNamed(
    request: DataQueryRequest<FastlyQuery>,
    target: FastlyQuery,
    legend: string
  ): Observable<DataQueryResponse> {
    const alone = { ...request, targets: [target], requestId: `${request.requestId}-legend-${target.refId}` };
    const labels = this.getMetrics(migrateQuery(target).queryType).then(
      (metrics) => new Map(metrics.map((m) => [m.name, m.label])),
      () => new Map<string, string>()
    );
    return from(labels).pipe(
      switchMap((metricLabels) =>
        super
          .query(alone)
          .pipe(map((rsp) => ({ ...nameSeries(rsp, legend, metricLabels), key: rsp.key ?? `${target.refId}-legend` })))
      )
    );
  }

  /**
   * Answers here the queries the dashboard's ad-hoc filters leave nothing to read (no data, with a
   * notice saying why) or cannot be expressed for (an error saying why); undefined when every
   * query runs as it is.
   */
  private screenAdHoc(
    request: DataQueryRequest<FastlyQuery>
  ): { answer: DataQueryResponse; run: FastlyQuery[] } | undefined {
    if (!request.filters?.length) {
      return undefined;
    }
    const data: DataFrame[] = [];
    const errors: DataQueryError[] = [];
    const run = request.targets.filter((t) => {
      const ours = !t.datasource || t.datasource.uid === this.uid;
      if (!ours || !this.filterQuery(t)) {
        return true;
      }
      const { excluded, refused } = applyAdHocFilters(this.expand(t, request.scopedVars), request.filters);
      if (excluded) {
        data.push(
          createDataFrame({ refId: t.refId, fields: [], meta: { notices: [{ severity: 'info', text: excluded }] } })
        );
      } else if (refused) {
        errors.push({ refId: t.refId, message: refused });
      }
      return !excluded && !refused;
    });
    if (run.length === request.targets.length) {
      return undefined;
    }
    const state = errors.length > 0 ? LoadingState.Error : LoadingState.Done;
    return { answer: { data, errors, state, key: 'adhoc-filters' }, run };
  }

  applyTemplateVariables(query: FastlyQuery, scopedVars: ScopedVars, filters?: AdHocVariableFilter[]): FastlyQuery {
    return applyAdHocFilters(this.expand(query, scopedVars), filters).query;
  }

  /** The query with its template variables expanded (lists split into their values). */
  private expand(query: FastlyQuery, scopedVars: ScopedVars): FastlyQuery {
    const q = migrateQuery(query);
    const tpl = getTemplateSrv();
    const text = (v: string) => tpl.replace(v, scopedVars);
    // 'csv' turns a multi-value variable into "a,b,c"; ids, metric names, POP codes, hosts and
    // event types never contain commas, so splitting gives the individual values back.
    const list = (values?: string[]) =>
      values === undefined ? undefined : unique(values.flatMap((v) => tpl.replace(v, scopedVars, 'csv').split(',')));

    const out: FastlyQuery = {
      ...q,
      services: list(q.services) ?? [],
      metrics: list(q.metrics) ?? [],
      pops: list(q.pops) ?? [],
      region: text(q.region),
      resolution: text(q.resolution) as FastlyQuery['resolution'],
      legendFormat: text(q.legendFormat),
    };
    for (const key of ['origins', 'domains', 'eventTypes', 'excludeEventTypes'] as const) {
      if (q[key] !== undefined) {
        out[key] = list(q[key]);
      }
    }
    for (const key of ['insight', 'domain', 'series', 'dimension'] as const) {
      if (q[key] !== undefined) {
        out[key] = text(q[key]);
      }
    }
    if (q.filters !== undefined) {
      // rows still being written in the editor (no field or value yet) are left out of the run
      out.filters = q.filters
        .map((f) => ({ ...f, value: text(f.value) }))
        .filter((f) => f.field !== '' && f.op !== '' && f.value.trim() !== '');
    }
    return out;
  }

  /** Cached resource GET; a failed call is forgotten so the next use retries. */
  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.cache.set(key, p);
      p.catch(() => this.cache.delete(key));
    }
    return p;
  }

  getServices(): Promise<ServiceInfo[]> {
    return this.cached('services', () => this.getResource<ServiceInfo[]>('services'));
  }

  getMetrics(queryType: QueryType): Promise<MetricInfo[]> {
    return this.cached(`metrics:${queryType}`, () => this.getResource<MetricInfo[]>('metrics', { queryType }));
  }

  getLogsCatalog(): Promise<LogsCatalog> {
    return this.cached('logs-catalog', () => this.getResource<LogsCatalog>('logs-catalog'));
  }

  getPops(): Promise<PopInfo[]> {
    return this.cached('pops', () => this.getResource<PopInfo[]>('pops'));
  }

  getRegions(): Promise<string[]> {
    return this.cached('regions', () => this.getResource<string[]>('regions'));
  }

  getOrigins(service: string): Promise<string[]> {
    return this.cached(`origins:${service}`, () => this.getResource<string[]>('origins', { service }));
  }

  getDomains(service: string): Promise<string[]> {
    return this.cached(`domains:${service}`, () => this.getResource<string[]>('domains', { service }));
  }

  /** Expands template variables in a list of service ids, dropping `*` and blanks. */
  resolveServiceIds(services: string[], scopedVars?: ScopedVars): string[] {
    const tpl = getTemplateSrv();
    return unique(services.flatMap((v) => tpl.replace(v, scopedVars, 'csv').split(','))).filter(
      (v) => v !== '*' && !v.includes('$')
    );
  }

  /** Values of a dashboard variable, read through the resource routes. */
  async metricFindQuery(query: FastlyVariableQuery | string): Promise<MetricFindValue[]> {
    const q = toVariableQuery(query);
    switch (q.kind) {
      case 'services':
        return (await this.getServices()).map((s) => ({ text: s.name || s.id, value: s.id }));
      case 'pops':
        // the city reads better in a dropdown; the code is what queries take
        return (await this.getPops()).map((p) => ({ text: p.name ? `${p.name} (${p.code})` : p.code, value: p.code }));
      case 'regions':
        return (await this.getRegions()).map((r) => ({ text: r, value: r }));
      case 'metrics':
        return (await this.getMetrics(q.queryType ?? DEFAULT_QUERY_TYPE)).map((m) => ({
          text: m.label || m.name,
          value: m.name,
        }));
      default:
        return [];
    }
  }

  /**
   * Runs a variable query (used by FastlyVariableSupport). A top-list variable runs the backend's
   * insights query over the dashboard's range; its first column (the URLs, countries...) gives
   * the values. The other kinds read the resource routes.
   */
  runVariableQuery(request: DataQueryRequest<FastlyVariableQuery>): Observable<DataQueryResponse> {
    const query = toVariableQuery(request.targets[0]);
    if (query.kind === 'insights') {
      const target: FastlyQuery = {
        ...DEFAULT_QUERY,
        refId: query.refId,
        queryType: INSIGHT_QUERY_TYPE,
        metrics: [],
        services: query.service ? [query.service] : [],
        insight: query.insight ?? fieldDefault('insight'),
        limit: query.limit ?? 20,
      };
      return this.query({ ...request, targets: [target] } as unknown as DataQueryRequest<FastlyQuery>);
    }
    return from(this.metricFindQuery(query)).pipe(map((data) => ({ data })));
  }
}

/**
 * The legend (variables expanded) by which the browser names a query's streamed series, or ''
 * when the backend's names stand: for queries that do not stream, that have no legend, or that
 * answer a POP map, which has no series.
 */
function liveLegend(query: FastlyQuery, scopedVars: ScopedVars): string {
  const q = migrateQuery(query);
  if (q.format === 'popmap' || !streams(q)) {
    return '';
  }
  return getTemplateSrv().replace(q.legendFormat, scopedVars);
}

function unique(values: string[]): string[] {
  return Array.from(new Set(values.map((v) => v.trim()).filter((v) => v !== '')));
}
