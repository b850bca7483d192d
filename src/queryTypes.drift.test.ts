// The editor takes each query type's groupings, Live switch, defaults, services rule, region
// and POP map from the backend's registry (pkg/plugin/registry.go), as the Go test
// TestQueryTypesFileIsTheRegistry writes it to queryTypes.generated.json. What it still keeps
// by hand (the type list, words, which of a type's own fields to show) is checked against the
// same file here: when this fails, the editor lacks or misplaces something the backend has.
import registry from './queryTypes.generated.json';
import { BACKEND_TYPES, GROUP_BY_LABELS, PANEL_QUERY_TYPES, QUERY_TYPES, specFor } from './queryTypes';
import { DEFAULT_METRICS, QueryType } from './types';

describe('query types agree with the backend registry', () => {
  it('has the same types', () => {
    expect(Object.keys(QUERY_TYPES).sort()).toEqual(registry.map((t) => t.name).sort());
  });

  it('offers only registered types in the panel editor', () => {
    expect(PANEL_QUERY_TYPES.filter((t) => !registry.some((b) => b.name === t))).toEqual([]);
  });

  describe.each(BACKEND_TYPES.map((t) => [t.name, t] as const))('%s', (name, backend) => {
    const type = name as QueryType;
    const spec = QUERY_TYPES[type];

    it('has words for the editor', () => {
      expect(spec.label).not.toBe('');
      expect(spec.description).not.toBe('');
    });

    it('takes its groupings, Live switch, defaults and rules from the backend', () => {
      expect(spec.groupBy).toEqual(backend.groupBy);
      expect(spec.defaultGroupBy).toBe(backend.startGroupBy);
      expect(spec.live).toBe(backend.live);
      expect(spec.services).toBe(!backend.servicesOptional);
      expect(spec.region).toBe(backend.region);
      expect(spec.popMap).toBe(backend.popMap);
      expect(DEFAULT_METRICS[type]).toEqual(backend.defaultMetrics);
      if (backend.live) {
        expect(specFor(type, true).groupBy).toEqual(backend.liveGroupBy);
      }
    });

    it('has a label for every grouping the backend offers', () => {
      const all = [...backend.groupBy, ...(backend.liveGroupBy ?? []), backend.startGroupBy];
      expect(all.filter((g) => GROUP_BY_LABELS[g] === undefined)).toEqual([]);
    });

    it('shows resolution and per-second exactly for the bucketed history types', () => {
      const bucketed = backend.kind !== undefined && backend.kind !== 'realtime';
      expect(spec.resolution).toBe(bucketed);
      expect(spec.perSecond).toBe(bucketed);
    });

    it('shows the origin, domain and sampled-log fields exactly for their products', () => {
      expect(spec.origins).toBe(backend.product === 'origin_inspector');
      expect(spec.domains).toBe(backend.product === 'domain_inspector');
      expect(spec.logFields !== '').toBe(backend.product === 'log_explorer_insights');
    });

    it('picks metrics where the backend has defaults for them', () => {
      if (backend.defaultMetrics.length > 0) {
        expect(spec.metrics).toBe(true);
      }
    });
  });
});
