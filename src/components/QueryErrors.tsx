import React from 'react';
import { PanelData } from '@grafana/data';
import { Alert } from '@grafana/ui';

import { selectors } from './selectors';

interface Problem {
  severity: 'error' | 'warning';
  text: string;
}

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

export function QueryErrors({ data, refId }: { data?: PanelData; refId: string }) {
  const problems = queryProblems(data, refId);
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
