/** Canned answers of the backend's resource routes for the browser harness. */
const metric = (name: string, label: string, unit: string, category: string, description: string) => ({
  name,
  label,
  unit,
  category,
  description,
  kinds: ['historical'],
});

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
  metrics: {
    stats: [
      metric('requests', 'Requests', 'short', 'Traffic', 'Requests received'),
      metric('bandwidth', 'Bandwidth', 'bytes', 'Traffic', 'Bytes sent to clients'),
      metric('hit_ratio', 'Hit ratio', 'percentunit', 'Cache', 'Hits divided by hits and misses'),
      metric('miss', 'Misses', 'short', 'Cache', 'Requests the cache did not have'),
      metric('status_5xx', '5xx responses', 'short', 'Errors', 'Responses with a 5xx status'),
      metric('error_ratio', 'Error ratio', 'percentunit', 'Errors', 'Errors divided by requests'),
    ],
    // bandwidth exists for origins too, hit_ratio does not: switching type keeps only bandwidth
    origins: [
      metric('responses', 'Origin responses', 'short', 'Origin', 'Responses from the origin'),
      metric('bandwidth', 'Origin bandwidth', 'bytes', 'Origin', 'Bytes received from the origin'),
    ],
  },
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
    series: ['count', 'avg[response_time]'],
  },
  pops: [
    { code: 'AMS', name: 'Amsterdam', group: 'Europe', latitude: 52.3, longitude: 4.76 },
    { code: 'IAD', name: 'Ashburn', group: 'United States', latitude: 38.94, longitude: -77.46 },
  ],
};
