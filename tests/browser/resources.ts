/**
 * Canned answers of the backend's resource routes for the browser harness; the metric lists are
 * the backend's own (src/testing/catalog.json, kept in step with GET /metrics by a Go test).
 */
import catalog from '../../src/testing/catalog.json';

const services = [
  { id: 'SU1Z0isxPaozGVKXdv0eY', name: 'www.example.com', type: 'vcl' },
  { id: '7i6HN3TK9wS159v2gPAZ8A', name: 'shop.example.com', type: 'vcl' },
  { id: '2mMCKxEgkbfmzBNxqXZK', name: 'api.example.com', type: 'wasm' },
];
// enough services to see that a long list stays usable
for (let i = 1; i <= 300; i++) {
  services.push({ id: `svc${String(i).padStart(4, '0')}XXXXXXXXXXXXX`, name: `tenant-${i}.example.net`, type: 'vcl' });
}

export const RESOURCES: Record<string, unknown> & { metrics: Record<string, unknown[]> } = {
  services,
  metrics: catalog as Record<string, unknown[]>,
  regions: ['usa', 'europe', 'asia', 'southamerica'],
  'logs-catalog': {
    rankings: [
      {
        name: 'top-url-by-requests',
        label: 'Top URLs by requests',
        description: 'The URL paths that received the most requests: which pages took the traffic.',
        dimension: 'url',
        dimensionLabel: 'URL',
        columns: [],
      },
      {
        name: 'top-5xx-urls',
        label: 'Top 5xx URLs',
        description: 'The URL paths answered most often with a server error (5xx).',
        dimension: 'url',
        dimensionLabel: 'URL',
        columns: [],
      },
      {
        name: 'response-status-codes',
        label: 'Status codes',
        description: 'Requests by HTTP status code (Fastly returns every code, whatever the limit).',
        dimension: 'status_code',
        dimensionLabel: 'Status code',
        columns: [],
      },
    ],
    filterFields: ['fastly_pop', 'is_cache_hit', 'request_path', 'response_status'],
    filterOps: ['eq', 'in', 'not_in', 'ends-with', 'gt', 'gte', 'lt', 'lte'],
    dimensions: ['request_path', 'response_status'],
    series: ['avg[response_time]', 'p99[response_time]'],
  },
  pops: [
    { code: 'AMS', name: 'Amsterdam', group: 'Europe', latitude: 52.3, longitude: 4.76 },
    { code: 'IAD', name: 'Ashburn', group: 'United States', latitude: 38.94, longitude: -77.46 },
  ],
};
