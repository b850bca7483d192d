/*
 * Test doubles shared by the jest tests: a Grafana backend that answers the plugin's resource
 * routes with the fixtures (fixtures.ts), and a template service with a multi-value variable.
 */
import { ScopedVars, TypedVariableModel } from '@grafana/data';

import { from } from 'rxjs';

import { DataSource } from '../datasource';
import { LOGS_CATALOG, METRICS, POPS, REGIONS, SERVICES, instanceSettings } from './fixtures';

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
  return new DataSource(instanceSettings('fastly-uid'));
}
