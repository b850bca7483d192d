// The editor's knowledge of query types against the backend's registry (pkg/plugin/registry.go),
// as the Go test TestQueryTypesFileIsTheRegistry writes it to queryTypes.generated.json. When
// this fails, the editor offers something the backend refuses (or misses what it takes): fix
// queryTypes.ts / types.ts, or the registry and regenerate the file.
import registry from './queryTypes.generated.json';
import { QUERY_TYPES, specFor } from './queryTypes';
import { DEFAULT_METRICS, QueryType } from './types';

describe('query types agree with the backend registry', () => {
  it('has the same types', () => {
    expect(Object.keys(QUERY_TYPES).sort()).toEqual(registry.map((t) => t.name).sort());
  });

  describe.each(registry.map((t) => [t.name, t] as const))('%s', (name, backend) => {
    const type = name as QueryType;
    const spec = QUERY_TYPES[type];

    it('offers the groupings the backend takes, and starts with the same one', () => {
      expect(spec.groupBy).toEqual(backend.groupBy);
      expect(spec.defaultGroupBy).toEqual(backend.startGroupBy);
    });

    it('has a live switch exactly where the backend streams on "live": true, with its groupings', () => {
      expect(spec.live).toBe(backend.live);
      if (backend.live) {
        expect(specFor(type, true).groupBy).toEqual(backend.liveGroupBy);
      }
    });

    it('starts with the backend default metrics', () => {
      expect(DEFAULT_METRICS[type]).toEqual(backend.defaultMetrics);
    });

    it('asks for services and offers a POP map as the backend requires', () => {
      expect(spec.services).toBe(!backend.servicesOptional);
      expect(spec.popMap).toBe(backend.popMap);
    });
  });
});
