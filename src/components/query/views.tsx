import React, { ComponentType } from 'react';
import { InlineFieldRow } from '@grafana/ui';

import { QueryTypeSpec } from '../../queryTypes';
import { EditorField, FastlyQuery } from '../../types';
import {
  DomainsField,
  FieldContext,
  FormatField,
  GroupByField,
  MetricsField,
  OriginsField,
  PopsField,
  RegionField,
  ResolutionField,
} from './fields';
import { DimensionField, DomainField, FiltersField, InsightField, LimitField, SeriesField } from './logFields';
import { EventTypesQueryField, LegendField, LiveField, PerSecondField, TopField } from './seriesFields';

/** The fields a view lays out below the query type and services. */
export type ViewField = Exclude<EditorField, 'queryType' | 'services'>;

/** How the editor shows one query field, and what a switch of view does with its value. */
export interface FieldUI {
  /** Its name in the "Not kept" notice of a switch. */
  label: string;
  /** The row of the view it sits in (fields of one row in the order of this table). */
  row: number;
  Component: ComponentType<{ ctx: FieldContext }>;
  /** Query fields it sets beside its own, which go where it goes. */
  also?: Array<keyof FastlyQuery>;
  /** Whether its value means the same in both types (a limit counts rows, lines or series). */
  sameMeaning?: (from: QueryTypeSpec, to: QueryTypeSpec) => boolean;
}

/**
 * Every field a query type's editor may show (EDITOR_FIELDS, generated from the registry): the
 * type says which (QueryTypeSpec.fields), this table how. Rows: what is measured, the sampled-log
 * choices, where the data comes from, how it is split, what it is narrowed to, the rest.
 */
export const FIELDS: Record<ViewField, FieldUI> = {
  metrics: { label: 'Metrics', row: 0, Component: MetricsField },
  insight: { label: 'Top list', row: 1, Component: InsightField },
  series: { label: 'Series', row: 1, Component: SeriesField },
  dimension: { label: 'Split by', row: 1, Component: DimensionField },
  limit: {
    label: 'Limit',
    row: 1,
    Component: LimitField,
    sameMeaning: (from, to) => from.limit?.counts === to.limit?.counts,
  },
  domain: { label: 'Domain', row: 1, Component: DomainField, also: ['domainExact'] },
  live: { label: 'Live', row: 2, Component: LiveField },
  resolution: { label: 'Resolution', row: 2, Component: ResolutionField },
  region: { label: 'Region', row: 2, Component: RegionField },
  format: { label: 'Format (POP map)', row: 3, Component: FormatField },
  groupBy: { label: 'Group by', row: 3, Component: GroupByField },
  perSecond: { label: 'Per second', row: 3, Component: PerSecondField },
  top: { label: 'Top services', row: 3, Component: TopField },
  pops: { label: 'POPs', row: 4, Component: PopsField },
  origins: { label: 'Origins', row: 4, Component: OriginsField },
  domains: { label: 'Domains', row: 4, Component: DomainsField },
  filters: { label: 'Filters', row: 5, Component: FiltersField },
  eventTypes: { label: 'Event types', row: 6, Component: EventTypesQueryField, also: ['excludeEventTypes'] },
  legendFormat: { label: 'Legend', row: 7, Component: LegendField },
};

const VIEW_FIELDS = Object.keys(FIELDS) as ViewField[];

/**
 * The fields of the query's view, row by row: those its type shows (with Live on or off, as a
 * POP map or not), laid out by the table above. Every type is drawn by it; what is particular
 * to a type is in its fields' components.
 */
export function QueryFields({ ctx }: { ctx: FieldContext }) {
  const shown = VIEW_FIELDS.filter((f) => ctx.view.fields.includes(f));
  const rows = Array.from(new Set(shown.map((f) => FIELDS[f].row))).sort((a, b) => a - b);
  return (
    <>
      {rows.map((row) => (
        <InlineFieldRow key={row}>
          {shown
            .filter((f) => FIELDS[f].row === row)
            .map((f) => {
              const { Component } = FIELDS[f];
              return <Component key={f} ctx={ctx} />;
            })}
        </InlineFieldRow>
      ))}
    </>
  );
}
