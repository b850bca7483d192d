// The editor builds every query type from the backend's registry and query model, as the Go test
// TestQueryTypesFileIsTheRegistry writes them (queryTypes.generated.json, queryModel.generated.ts;
// that test fails when they are not what Go says). What the editor still keeps by hand is how it
// draws a field (FIELDS, components/query/views.tsx), the words of groupings, resolutions and
// event types, and how an ad-hoc filter narrows a field (adhoc.ts). This test fails when the
// registry states something the editor lacks, and the doctored registry at the end shows it does.
import { applyAdHocFilters } from './adhoc';
import { FIELDS } from './components/query/views';
import { EDITOR_FIELDS, GROUP_BYS, QUERY_TYPE_NAMES } from './queryModel.generated';
import registry from './queryTypes.generated.json';
import { GROUP_BY_LABELS, QUERY_TYPES, QueryTypeSpec, RESOLUTION_OPTIONS, viewSpec } from './queryTypes';
import { DEFAULT_QUERY, EVENT_TYPES, FastlyQuery, QueryType } from './types';

type Registry = typeof registry;

/** Everything the registry states that the editor has no means to show or say; [] when none. */
function gaps(r: Registry): string[] {
  const problems: string[] = [];
  const names = r.types.map((t) => t.name);
  if (names.join() !== QUERY_TYPE_NAMES.join()) {
    problems.push(`the type names are ${names.join()} in the registry and ${QUERY_TYPE_NAMES.join()} in the model`);
  }
  const editorFields: string[] = [...EDITOR_FIELDS];
  for (const t of r.types) {
    for (const f of [...t.fields, ...(t.liveFields ?? [])]) {
      if (!editorFields.includes(f) || !(f in FIELDS)) {
        problems.push(`${t.name} shows ${f}, which the editor cannot draw`);
      }
    }
    for (const g of [...t.groupBy, ...(t.liveGroupBy ?? [])]) {
      if (!(GROUP_BYS as readonly string[]).includes(g) || !(g in GROUP_BY_LABELS)) {
        problems.push(`${t.name} groups by ${g}, which the editor cannot name`);
      }
    }
  }
  for (const e of r.defaultEventTypes) {
    if (!EVENT_TYPES.some((known) => known.value === e)) {
      problems.push(`the default event type ${e} has no name in the editor`);
    }
  }
  if (r.types.filter((t) => t.annotations).length !== 1) {
    problems.push('there is not exactly one annotation type for the annotation editor');
  }
  if (!names.includes(r.defaultType)) {
    problems.push(`the default type ${r.defaultType} is not registered`);
  }
  return problems;
}

describe('the editor has what the registry states', () => {
  it('draws every field, names every grouping and event type', () => {
    expect(gaps(registry)).toEqual([]);
  });

  it('tells the resolutions apart by how long Fastly keeps them', () => {
    expect(RESOLUTION_OPTIONS.map((o) => o.description)).toEqual([
      'Minute, hour or day from the time range and retention',
      `Kept by Fastly for ${registry.limits.retentionDays.minute} days`,
      `Kept by Fastly for ${registry.limits.retentionDays.hour} days`,
      undefined,
    ]);
  });

  /**
   * A query of the type that reads every service, POP, region, origin and domain, in a view that
   * shows `field` (Live on, or a POP map, where needed).
   */
  function queryShowing(type: QueryType, field: string): FastlyQuery | undefined {
    for (const [live, popMap] of [
      [false, false],
      [true, false],
      [false, true],
    ]) {
      if (viewSpec(type, live, popMap).fields.includes(field as never)) {
        const q: FastlyQuery = { ...DEFAULT_QUERY, refId: 'A', queryType: type, services: [] };
        return {
          ...q,
          ...(live ? { live } : {}),
          ...(popMap ? { format: 'popmap' as const, groupBy: 'pop' as const } : {}),
        };
      }
    }
    return undefined;
  }

  it.each(QUERY_TYPE_NAMES.flatMap((type) => QUERY_TYPES[type].adHoc.map((k) => [type, k.key, k.field] as const)))(
    '%s: an ad-hoc filter on %s narrows the query through %s',
    (type, key, field) => {
      const query = queryShowing(type, field);
      expect(query).toBeDefined();
      const out = applyAdHocFilters(query!, [{ key, operator: '=', value: 'X' }]);
      expect(out.refused).toBe('');
      expect(out.query).not.toEqual(query);
    }
  );

  it('fails on a registry the editor cannot show', () => {
    const doctored: Registry = JSON.parse(JSON.stringify(registry));
    const stats = doctored.types[0];
    stats.fields.push('asn');
    stats.groupBy.push('asn');
    doctored.defaultEventTypes.push('service.rename');
    doctored.types.push({ ...doctored.types[5], name: 'traces' });
    expect(gaps(doctored)).toEqual([
      `the type names are ${[...QUERY_TYPE_NAMES, 'traces'].join()} in the registry and ${QUERY_TYPE_NAMES.join()} in the model`,
      `${stats.name} shows asn, which the editor cannot draw`,
      `${stats.name} groups by asn, which the editor cannot name`,
      'the default event type service.rename has no name in the editor',
      'there is not exactly one annotation type for the annotation editor',
    ]);
  });

  it('reads each type as the registry states it', () => {
    for (const t of registry.types) {
      const spec: QueryTypeSpec = QUERY_TYPES[t.name as QueryType];
      expect(spec).toEqual(t);
    }
  });
});
