// Written by `go test ./pkg/plugin -run QueryTypesFile -update` from the query-type registry
// (pkg/plugin/registry.go): do not edit. types.ts derives the QueryType union from it.
export const QUERY_TYPE_NAMES = [
  'stats',
  'realtime',
  'origins',
  'domains',
  'usage',
  'events',
  'insights',
  'logs',
  'logseries',
] as const;
