/**
 * The backend's resource routes for the browser harness: the fixtures the jest tests read
 * (src/testing/fixtures.ts), with enough services to see that a long list stays usable.
 */
import { CATALOG, LOGS_CATALOG, POPS, REGIONS, SERVICES } from '../../src/testing/fixtures';

const services = [...SERVICES];
for (let i = 1; i <= 300; i++) {
  services.push({ id: `svc${String(i).padStart(4, '0')}XXXXXXXXXXXXX`, name: `tenant-${i}.example.net`, type: 'vcl' });
}

export const RESOURCES: Record<string, unknown> & { metrics: Record<string, unknown[]> } = {
  services,
  metrics: CATALOG,
  regions: REGIONS,
  'logs-catalog': LOGS_CATALOG,
  pops: POPS,
};
