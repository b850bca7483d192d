/*
 * Real error responses of the backend for bad queries, written by the Go test
 * TestBadQueriesNameTheirField (go test ./pkg/plugin -run BadQueriesNameTheirField -update),
 * and turned into what a panel's query editor receives the way Grafana does it.
 */
import { LoadingState, PanelData, dateTime } from '@grafana/data';
import { BackendDataSourceResponse, toDataQueryResponse } from '@grafana/runtime';

import { FastlyQuery } from '../types';
import generated from './fieldErrors.generated.json';

/** One bad query: the query as saved, the field the backend named ('' for none), its answer. */
export interface FieldErrorCase {
  name: string;
  query: Partial<FastlyQuery>;
  field: string;
  /** The answer of Grafana's data source query endpoint: `results.A` with `error` and the error frame. */
  response: { results: { A: { error: string } } };
}

export const FIELD_ERROR_CASES = generated as unknown as FieldErrorCase[];

/** The case named `name`; throws when the Go test no longer writes it. */
export function fieldErrorCase(name: string): FieldErrorCase {
  const c = FIELD_ERROR_CASES.find((x) => x.name === name);
  if (!c) {
    throw new Error(`no case "${name}" in fieldErrors.generated.json`);
  }
  return c;
}

/**
 * A case's answer as the editor's `data` prop: through @grafana/runtime's toDataQueryResponse
 * (errors with refId and message, frames as series), then into PanelData as Grafana's query
 * runner does.
 */
export function panelDataOf(c: FieldErrorCase): PanelData {
  const rsp = toDataQueryResponse({ data: c.response as unknown as BackendDataSourceResponse }, [{ refId: 'A' }]);
  return {
    state: rsp.state ?? LoadingState.Error,
    series: rsp.data,
    errors: rsp.errors,
    timeRange: { from: dateTime(0), to: dateTime(1), raw: { from: 'now-1h', to: 'now' } },
  };
}
