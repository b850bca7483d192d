/*
 * Test doubles shared by the jest tests: a Grafana backend that answers the plugin's resource
 * routes with canned data, and a template service with a multi-value variable.
 */
import { DataSourceInstanceSettings, PluginType, ScopedVars, TypedVariableModel } from '@grafana/data';

import { from } from 'rxjs';

import { DataSource } from '../datasource';
import { FastlyOptions, LogsCatalog, MetricInfo, PopInfo, ServiceInfo } from '../types';

export const SERVICES: ServiceInfo[] = [
  { id: 'SU1Z0isxPaozGVKXdv0eY', name: 'www.example.com', type: 'vcl' },
  { id: '7i6HN3TK9wS159v2gPAZ8A', name: 'shop.example.com', type: 'vcl' },
  { id: '2mMCKxEgkbfmzBNxqXZK', name: 'api.example.com', type: 'wasm' },
];

const metric = (name: string, label: string, unit: string, category: string, description: string): MetricInfo => ({
  name,
  label,
  unit,
  category,
  description,
  kinds: ['historical', 'realtime'],
});

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
  usage: [
    metric('bandwidth', 'Bandwidth', 'bytes', 'Usage', 'Billed bandwidth'),
    metric('requests', 'Requests', 'short', 'Usage', 'Billed requests'),
    metric('compute_requests', 'Compute requests', 'short', 'Usage', 'Billed Compute requests'),
  ],
};

export const POPS: PopInfo[] = [
  { code: 'AMS', name: 'Amsterdam', group: 'Europe', latitude: 52.3, longitude: 4.76 },
  { code: 'FRA', name: 'Frankfurt', group: 'Europe', latitude: 50.03, longitude: 8.57 },
  { code: 'IAD', name: 'Ashburn', group: 'United States', latitude: 38.94, longitude: -77.46 },
];

export const REGIONS = ['usa', 'europe', 'asia'];

/** A short `GET /logs-catalog` (the backend lists 15 rankings). */
export const LOGS_CATALOG: LogsCatalog = {
  rankings: [
    {
      name: 'top-url-by-requests',
      label: 'Top URLs by requests',
      description: 'The URL paths that received the most requests',
      dimension: 'url',
      dimensionLabel: 'URL',
      columns: [{ key: 'request_percentage', label: 'Share of requests', unit: 'percent' }],
    },
    {
      name: 'response-status-codes',
      label: 'Status codes',
      description: 'Requests by HTTP status code',
      dimension: 'status_code',
      dimensionLabel: 'Status code',
      columns: [{ key: 'request_percentage', label: 'Share of requests', unit: 'percent' }],
    },
  ],
  filterFields: ['fastly_pop', 'is_cache_hit', 'request_path', 'response_status'],
  filterOps: ['eq', 'in', 'not_in', 'ends-with', 'gt', 'gte', 'lt', 'lte'],
  dimensions: ['request_path', 'response_status', 'fastly_pop'],
  series: ['count', 'avg[response_time]'],
};

/**
 * Answers `getBackendSrv().fetch({ url, params })` (what DataSourceWithBackend.getResource
 * calls) for the resource routes, and records every call. `answer` can be replaced per test.
 */
export function fakeBackend() {
  const calls: Array<{ path: string; params?: Record<string, string> }> = [];
  const answer = jest.fn(async (path: string, params?: Record<string, string>): Promise<unknown> => {
    switch (path) {
      case 'services':
        return SERVICES;
      case 'metrics':
        return METRICS[params?.queryType ?? 'stats'] ?? [];
      case 'pops':
        return POPS;
      case 'regions':
        return REGIONS;
      case 'logs-catalog':
        return LOGS_CATALOG;
      case 'origins':
        return [`origin-${params?.service}.example.net`];
      case 'domains':
        return [`${params?.service}.example.org`];
    }
    throw { status: 404, data: { message: `no route ${path}` } };
  });
  const fetch = jest.fn((req: { url: string; params?: Record<string, string> }) => {
    const path = req.url.replace(/^.*\/resources\//, '');
    calls.push({ path, params: req.params });
    return from(answer(path, req.params).then((data) => ({ data, status: 200, ok: true })));
  });
  return { fetch, answer, calls };
}

/** A template service with `$service` (multi-value) and `$region`; format 'csv' joins lists. */
export function fakeTemplateSrv(values: Record<string, string | string[]> = {}) {
  const vars: Record<string, string | string[]> = {
    service: ['SU1Z0isxPaozGVKXdv0eY', '7i6HN3TK9wS159v2gPAZ8A'],
    region: 'europe',
    ...values,
  };
  return {
    getVariables: () => Object.keys(vars).map((name) => ({ name, type: 'custom' }) as unknown as TypedVariableModel),
    replace: jest.fn((target?: string, scopedVars?: ScopedVars, format?: string | Function) => {
      return (target ?? '').replace(/\$(\w+)|\$\{(\w+)\}/g, (whole, a, b) => {
        const name = a ?? b;
        const v = scopedVars?.[name]?.value ?? vars[name];
        if (v === undefined) {
          return whole;
        }
        if (Array.isArray(v)) {
          return format === 'csv' ? v.join(',') : `{${v.join(',')}}`;
        }
        return String(v);
      });
    }),
    containsTemplate: (t?: string) => !!t && t.includes('$'),
    updateTimeRange: jest.fn(),
  };
}

export function makeDataSource(): DataSource {
  const settings: DataSourceInstanceSettings<FastlyOptions> = {
    id: 1,
    uid: 'fastly-uid',
    type: 'opsdeck-fastly-datasource',
    name: 'Fastly',
    access: 'proxy',
    readOnly: false,
    jsonData: {},
    meta: {
      id: 'opsdeck-fastly-datasource',
      name: 'Fastly',
      type: PluginType.datasource,
      module: '',
      baseUrl: '',
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
  return new DataSource(settings);
}
