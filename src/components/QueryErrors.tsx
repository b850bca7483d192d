import React from 'react';
import { PanelData } from '@grafana/data';
import { Alert } from '@grafana/ui';

import { ErrorField, errorField } from './errorFields';
import { selectors } from './selectors';

export interface Problem {
  severity: 'error' | 'warning';
  text: string;
}

/** The editor fields errors can be shown on. */
export type EditorField = Exclude<ErrorField, 'general'>;

/** Error messages of the last run, by the field they are about. */
export type FieldErrors = Partial<Record<EditorField, string[]>>;

/** Errors and warning notices that the last run reported for this query (by refId). */
export function queryProblems(data: PanelData | undefined, refId: string): Problem[] {
  if (!data) {
    return [];
  }
  const problems: Problem[] = [];
  const errors = data.errors ?? [];
  for (const e of errors) {
    if (e.refId === refId) {
      problems.push({ severity: 'error', text: e.message ?? e.data?.message ?? 'Query failed' });
    }
  }
  for (const frame of data.series ?? []) {
    if (frame.refId !== refId) {
      continue;
    }
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
 * Splits problems into errors shown on a field and the rest, shown in the general block.
 * Warnings always stay general; so does an error about a field the editor does not show
 * for this query type (`shown`), so no message is ever lost.
 */
export function placeProblems(
  problems: Problem[],
  shown: ReadonlySet<EditorField>
): { fields: FieldErrors; general: Problem[] } {
  const fields: FieldErrors = {};
  const general: Problem[] = [];
  for (const p of problems) {
    const field = p.severity === 'error' ? errorField(p.text) : 'general';
    if (field !== 'general' && shown.has(field)) {
      fields[field] = [...(fields[field] ?? []), p.text];
    } else {
      general.push(p);
    }
  }
  return { fields, general };
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
