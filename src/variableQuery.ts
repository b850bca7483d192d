import { FastlyVariableQuery, VariableKind } from './types';

const VARIABLE_KINDS: VariableKind[] = ['services', 'pops', 'regions', 'metrics', 'insights'];

/**
 * A variable query from what a dashboard stored: the current object form, or a bare kind
 * string ("pops") as older or hand-written dashboards have. Anything else lists services.
 */
export function toVariableQuery(query: FastlyVariableQuery | string | undefined): FastlyVariableQuery {
  if (typeof query === 'string') {
    const kind = query.trim() as VariableKind;
    return { refId: 'variable', kind: VARIABLE_KINDS.includes(kind) ? kind : 'services' };
  }
  if (!query || typeof query !== 'object' || !VARIABLE_KINDS.includes(query.kind)) {
    return { refId: query?.refId ?? 'variable', ...(query ?? {}), kind: 'services' };
  }
  return query;
}
