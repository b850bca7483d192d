// The editor builds each query type from the backend's registry (pkg/plugin/registry.go), as the
// Go test TestQueryTypesFileIsTheRegistry writes it to queryTypes.generated.json and
// queryModel.generated.ts: words, catalog kind, metric family, groupings, Live switch,
// defaults, services rule, region, POP map and limits. What it still keeps by hand (the fields
// of a type's own, the group-by labels) is checked against the same file here: when this fails,
// the editor lacks or misplaces something the backend has.
import registry from './queryTypes.generated.json';
import { QUERY_TYPE_NAMES } from './queryModel.generated';
import { BACKEND_TYPES, GROUP_BY_LABELS, LIMITS, PANEL_QUERY_TYPES, QUERY_TYPES, specFor } from './queryTypes';
import { DEFAULT_METRICS, QueryType } from './types';

describe('query types agree with the backend registry', () => {
  it('has the same types, in the same order', () => {
    const names = registry.types.map((t) => t.name);
    expect(QUERY_TYPE_NAMES).toEqual(names);
    expect(Object.keys(QUERY_TYPES)).toEqual(names);
  });

  it('offers every registered type in the panel editor but the annotations one', () => {
    expect(PANEL_QUERY_TYPES).toEqual(registry.types.map((t) => t.name).filter((t) => t !== 'events'));
  });

  it('takes the limits from the backend', () => {
    expect(LIMITS).toEqual(expect.objectContaining({ maxTop: 100, maxLiveServices: 10 }));
  });

  describe.each(BACKEND_TYPES.map((t) => [t.name, t] as const))('%s', (name, backend) => {
    const type = name as QueryType;
    const spec = QUERY_TYPES[type];

    it('has the words, kind and metric family of the backend', () => {
      expect(spec.label).toBe(backend.label);
      expect(spec.label).not.toBe('');
      expect(spec.description).toBe(backend.description);
      expect(spec.kind).toBe(backend.kind);
      expect(spec.metricFamily).toBe(backend.metricFamily);
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

    it('picks metrics where the backend has defaults or a catalog kind for them', () => {
      if (backend.defaultMetrics.length > 0 || backend.kind !== undefined) {
        expect(spec.metrics).toBe(true);
      }
    });

    it('shows event types only for the annotations type', () => {
      expect(spec.eventTypes).toBe(type === 'events');
    });
  });
});
