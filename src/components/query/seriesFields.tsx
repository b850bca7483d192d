import React, { useState } from 'react';
import { InlineSwitch, Input } from '@grafana/ui';

import { LIMITS } from '../../queryTypes';
import { ALL_SERVICES } from '../../types';
import { EventTypesField } from '../EventTypesField';
import { LABEL_WIDTH } from '../layout';
import { selectors } from '../selectors';
import { FieldContext, Labelled } from './fields';
import { perSecondMeaningless } from './perSecond';

// The fields that shape a query's series: rates, a top list, live data, their names; and the
// events an events query shows.

/**
 * Divides counts by the bucket length. Disabled, with the reason as its tooltip, when every
 * chosen metric is a ratio, rate or latency percentile, which the backend leaves as they are.
 */
export function PerSecondField({ ctx }: { ctx: FieldContext }) {
  const meaningless = perSecondMeaningless(ctx.query.metrics, ctx.catalog);
  return (
    <Labelled
      ctx={ctx}
      field="perSecond"
      label="Per second"
      disabled={meaningless !== ''}
      tooltip={meaningless || 'Divide counts by the bucket length (a minute, hour or day), so they read as rates'}
    >
      <InlineSwitch
        data-testid={selectors.query.perSecond}
        value={ctx.query.perSecond}
        onChange={(e) => ctx.apply({ perSecond: e.currentTarget.checked })}
      />
    </Labelled>
  );
}

/** The most services a top list keeps: the backend's models.MaxTop, from its registry file. */
const MAX_TOP = LIMITS.maxTop;

/** Whether a query may cover several services: a top list only means something then. */
const manyServices = (ctx: FieldContext) =>
  ctx.query.services.length > 1 ||
  ctx.query.services.some((s) => s === ALL_SERVICES || s.includes('$')) ||
  !!ctx.query.top;

/**
 * Top services: the N services with the most of the first metric, every other one summed as
 * "other", so a panel over hundreds of services stays readable. Empty keeps every service; it
 * shows only where a query may cover several services.
 */
export function TopField({ ctx }: { ctx: FieldContext }) {
  const [text, setText] = useState(ctx.query.top ? String(ctx.query.top) : '');
  if (!manyServices(ctx)) {
    return null;
  }
  const commit = () => {
    const n = Number(text);
    const top = text.trim() === '' || !Number.isInteger(n) || n <= 0 ? undefined : Math.min(n, MAX_TOP);
    setText(top ? String(top) : '');
    if (top !== ctx.query.top) {
      ctx.apply({ top });
    }
  };
  return (
    <Labelled
      ctx={ctx}
      field="top"
      label="Top"
      tooltip={`Keep the N services (1 to ${MAX_TOP}) with the most of the first metric and add every other service into one series, "other". Empty keeps every service.`}
    >
      <Input
        data-testid={selectors.query.top}
        width={12}
        type="number"
        min={1}
        max={MAX_TOP}
        placeholder="All"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </Labelled>
  );
}

export function LiveField({ ctx }: { ctx: FieldContext }) {
  return (
    <Labelled
      ctx={ctx}
      field="live"
      label="Live"
      tooltip="Stream per-second data through Grafana Live (the last two minutes, then each new second) instead of reading history. Live shows each service's total or one series per POP; resolution, region, origin or domain filters and grouping, and the latency heatmap are for history only."
    >
      <InlineSwitch
        data-testid={selectors.query.live}
        value={ctx.view.live}
        onChange={(e) => ctx.switchLive(e.currentTarget.checked)}
      />
    </Labelled>
  );
}

/** The legend template; its tooltip lists the labels the series of this view carry. */
export function LegendField({ ctx }: { ctx: FieldContext }) {
  const [legend, setLegend] = useState<string | undefined>(undefined);
  const placeholders = ctx.view.legend;
  const list = placeholders.map((p) => `{{${p}}}`).join(', ');
  return (
    <Labelled
      ctx={ctx}
      field="legendFormat"
      label="Legend"
      tooltip={`Series name template, e.g. {{metric}} {{${placeholders[placeholders.length - 1]}}}. Placeholders: ${list}. Empty gives readable default names.`}
    >
      <Input
        data-testid={selectors.query.legendFormat}
        placeholder="Auto"
        value={legend ?? ctx.query.legendFormat}
        onChange={(e) => setLegend(e.currentTarget.value)}
        onBlur={() => {
          if (legend !== undefined && legend !== ctx.query.legendFormat) {
            ctx.apply({ legendFormat: legend });
          }
          setLegend(undefined);
        }}
        width={40}
      />
    </Labelled>
  );
}

/** Which events an events query shows (annotations, or a table of events in Explore). */
export function EventTypesQueryField({ ctx }: { ctx: FieldContext }) {
  return (
    <div data-testid={selectors.query.field('eventTypes')}>
      <EventTypesField value={ctx.query} onChange={(fields) => ctx.apply(fields)} labelWidth={LABEL_WIDTH} />
    </div>
  );
}
