/*
 * The fixtures of the editor's tests: the jest tests (through fakes.ts) and the browser harness
 * (tests/browser) read them here, so neither keeps a copy. What the backend answers without a
 * token is its real answer, written by Go tests (pkg/plugin/editor_fixtures_test.go): the metric
 * catalog of each type, the sampled-log catalog, a top list's frame. The account (services,
 * POPs, regions) is a small made-up one, and a short metric list per type keeps the unit tests
 * readable.
 */
import { DataSourceInstanceSettings, DataSourceSettings, PluginType } from '@grafana/data';

import type { FastlyOptions, FastlySecureJsonData, LogsCatalog, MetricInfo, PopInfo, ServiceInfo } from '../types';
import catalog from './catalog.json';
import logsCatalog from './logsCatalog.json';
import topUrls from './topUrls.frame.json';

export const SERVICES: ServiceInfo[] = [
  { id: 'SU1Z0isxPaozGVKXdv0eY', name: 'www.example.com', type: 'vcl' },
  { id: '7i6HN3TK9wS159v2gPAZ8A', name: 'shop.example.com', type: 'vcl' },
  { id: '2mMCKxEgkbfmzBNxqXZK', name: 'api.example.com', type: 'wasm' },
];

export const POPS: PopInfo[] = [
  { code: 'AMS', name: 'Amsterdam', group: 'Europe', latitude: 52.3, longitude: 4.76 },
  { code: 'FRA', name: 'Frankfurt', group: 'Europe', latitude: 50.03, longitude: 8.57 },
  { code: 'IAD', name: 'Ashburn', group: 'United States', latitude: 38.94, longitude: -77.46 },
];

export const REGIONS = ['usa', 'europe', 'asia', 'southamerica'];

/** GET /metrics?queryType= of every type that takes metrics: the backend's catalog. */
export const CATALOG = catalog as Record<string, MetricInfo[]>;

/** GET /logs-catalog: the rankings, filter fields and operators, dimensions and series. */
export const LOGS_CATALOG: LogsCatalog = logsCatalog;

/** The insights answer for the shop's top URLs over an hour (pkg/frames.InsightsFrame). */
export const TOP_URLS_FRAME = topUrls;

const metric = (name: string, label: string, unit: string, category: string, description: string): MetricInfo => ({
  name,
  label,
  unit,
  category,
  description,
  kinds: ['historical', 'realtime'],
});

/** A few metrics per type, for unit tests that read their names and labels. */
export const METRICS: Record<string, MetricInfo[]> = {
  stats: [
    metric('requests', 'Requests', 'short', 'Traffic', 'Requests received'),
    metric('bandwidth', 'Bandwidth', 'bytes', 'Traffic', 'Bytes sent to clients'),
    metric('hit_ratio', 'Hit ratio', 'percentunit', 'Cache', 'Hits divided by hits and misses'),
    metric('status_5xx', '5xx responses', 'short', 'Errors', 'Responses with a 5xx status'),
  ],
  realtime: [
    metric('requests', 'Requests', 'reqps', 'Traffic', 'Requests received'),
    metric('miss_latency_p95', 'Miss latency p95', 'ms', 'Latency', '95th percentile of miss latency'),
  ],
  origins: [
    metric('responses', 'Origin responses', 'short', 'Origin', 'Responses from the origin'),
    metric('origin_latency_p95', 'Origin latency p95', 'ms', 'Origin latency', '95th percentile of origin latency'),
    {
      ...metric(
        'origin_latency_heatmap',
        'Origin latency heatmap',
        'short',
        'Origin latency',
        'Responses per latency bucket'
      ),
      kinds: ['origins'],
      histogram: true,
    },
  ],
  domains: [
    metric('edge_requests', 'Edge requests', 'short', 'Traffic', 'Requests per domain'),
    metric('bandwidth', 'Bandwidth', 'bytes', 'Traffic', 'Bytes sent per domain'),
  ],
  usage: CATALOG.usage,
};

/** The data source as Grafana hands it to the plugin; `module` is where its code was loaded from. */
export function instanceSettings(uid: string, module = ''): DataSourceInstanceSettings<FastlyOptions> {
  return {
    id: 1,
    uid,
    type: 'opsdeck-fastly-datasource',
    name: 'Fastly',
    access: 'proxy',
    readOnly: false,
    jsonData: {},
    meta: {
      id: 'opsdeck-fastly-datasource',
      name: 'Fastly',
      type: PluginType.datasource,
      module,
      baseUrl: module === '' ? '' : module.slice(0, module.lastIndexOf('/')),
      info: {
        author: { name: 'OpsDeck' },
        description: '',
        links: [],
        logos: { small: '', large: '' },
        screenshots: [],
        updated: '',
        version: '',
      },
    },
  };
}

/** The data source's settings as its config page gets them. */
export function configSettings(
  over: Partial<DataSourceSettings<FastlyOptions, FastlySecureJsonData>> = {}
): DataSourceSettings<FastlyOptions, FastlySecureJsonData> {
  return {
    id: 1,
    uid: 'fastly-uid',
    orgId: 1,
    name: 'Fastly',
    type: 'opsdeck-fastly-datasource',
    typeName: 'Fastly',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData: {},
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
    ...over,
  };
}
