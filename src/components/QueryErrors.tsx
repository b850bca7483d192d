import React from 'react';
import { DataFrame, PanelData } from '@grafana/data';
import { Alert } from '@grafana/ui';

import { EditorField } from '../types';
import { selectors } from './selectors';

/**
 * A problem of the last run. `field` is the query field (its JSON name) an error concerns, as
 * the backend sends it in the error response's frame metadata (`meta.custom.errorField`);
 * absent when the error concerns none (token, rate limit, Fastly or network failure).
 */
export interface Problem {
  severity: 'error' | 'warning';
  text: string;
  field?: string;
}

/** Error messages of the last run, by the field they are about (EditorField: every field some type's editor shows, from the registry). */
export type FieldErrors = Partial<Record<EditorField, string[]>>;

/** The query field the backend named in a failed query's frame, if any. */
function errorFieldOf(frames: DataFrame[]): string | undefined {
  for (const frame of frames) {
    const field: unknown = frame.meta?.custom?.errorField;
    if (typeof field === 'string' && field !== '') {
      return field;
    }
  }
  return undefined;
}

/** Errors and warning notices that the last run reported for this query (by refId). */
export function queryProblems(data: PanelData | undefined, refId: string): Problem[] {
  if (!data) {
    return [];
  }
  const problems: Problem[] = [];
  const frames = (data.series ?? []).filter((f) => f.refId === refId);
  // Grafana keeps one error per query, beside the frames of its response
  const field = errorFieldOf(frames);
  for (const e of data.errors ?? []) {
    if (e.refId === refId) {
      problems.push({ severity: 'error', text: e.message ?? e.data?.message ?? 'Query failed', field });
    }
  }
  for (const frame of frames) {
    for (const n of frame.meta?.notices ?? []) {
      if (n.severity === 'error' || n.severity === 'warning') {
        problems.push({ severity: n.severity, text: n.text });
      }
    }
  }
  // the same notice comes on every frame of a multi-frame answer
  return problems.filter((p, i) => problems.findIndex((o) => o.text === p.text) === i);
}

/**
 * Splits problems into errors shown on the field the backend named and the rest, shown in the
 * general block. Warnings always stay general; so does an error about a field the editor does
 * not show for this query type (`shown`), so no message is ever lost.
 */
export function placeProblems(
  problems: Problem[],
  shown: ReadonlySet<EditorField>
): { fields: FieldErrors; general: Problem[] } {
  const fields: FieldErrors = {};
  const general: Problem[] = [];
  for (const p of problems) {
    const field = p.severity === 'error' ? shownField(p.field, shown) : undefined;
    if (field) {
      fields[field] = [...(fields[field] ?? []), p.text];
    } else {
      general.push(p);
    }
  }
  return { fields, general };
}

function shownField(field: string | undefined, shown: ReadonlySet<EditorField>): EditorField | undefined {
  return field !== undefined && shown.has(field as EditorField) ? (field as EditorField) : undefined;
}

/** The errors and warnings that belong to no one field, below the editor. */
export function QueryErrors({ problems }: { problems: Problem[] }) {
  if (problems.length === 0) {
    return null;
  }
  return (
    <div data-testid={selectors.query.errors}>
      {problems.map((p) => (
        <Alert key={p.text} severity={p.severity} title={p.text} bottomSpacing={1} topSpacing={1} />
      ))}
    </div>
  );
}
