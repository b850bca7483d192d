import React, { ReactNode, useState } from 'react';
import { InlineField, InlineSwitch, Input, RadioButtonGroup } from '@grafana/ui';

import type { DataSource } from '../../datasource';
import {
  FORMAT_OPTIONS,
  GROUP_BY_LABELS,
  LIMITS,
  QueryTypeSpec,
  offeredMetrics,
  RESOLUTION_OPTIONS,
} from '../../queryTypes';
import { DEFAULT_METRICS, FastlyQuery, GroupBy, MetricInfo, Resolution } from '../../types';
import { MetricPicker } from '../MetricPicker';
import { HostPicker, PopPicker, RegionPicker } from '../OptionPickers';
import { EditorField, FieldErrors } from '../QueryErrors';
import { ServicePicker } from '../ServicePicker';
import { LABEL_WIDTH } from '../layout';
import { selectors } from '../selectors';
import { useLoader } from '../useLoader';
import { perSecondMeaningless } from './perSecond';

// the views place their own fields with the same width
export { LABEL_WIDTH };

/** What every field of a query view needs: the query, how to change it, and its errors. */
export interface FieldContext {
  query: FastlyQuery;
  datasource: DataSource;
  /** The fields and group-bys of the view shown (specFor the type and Live). */
  spec: QueryTypeSpec;
  live: boolean;
  /** The catalog of the query's type (empty while it loads). */
  catalog: MetricInfo[];
  /** Changes the query and runs it. */
  apply: (patch: Partial<FastlyQuery>) => void;
  /** Errors of the last run, by the field they are about. */
  errors: FieldErrors;
}

/** Props of a field's InlineField: its test id and, after a failed run, the errors about it. */
export function fieldProps(ctx: FieldContext, field: EditorField) {
  const messages = ctx.errors[field];
  return {
    'data-testid': selectors.query.field(field),
    invalid: messages ? true : undefined,
    error: messages ? (
      // a long message wraps instead of stretching its field across the row
      <div style={{ maxWidth: '60ch' }}>
        {messages.map((m) => (
          <div key={m}>{m}</div>
        ))}
      </div>
    ) : undefined,
  };
}

/**
 * The test-id box around a control: InlineField hands its child `invalid`, `disabled` and
 * `loading`, which must not land on a plain div as DOM attributes.
 */
function Box({ testId, children }: { testId: string; children: ReactNode; invalid?: boolean }) {
  return <div data-testid={testId}>{children}</div>;
}

/** The service picker; `placeholder` says what no service means where it means something. */
export function ServicesField({ ctx, placeholder }: { ctx: FieldContext; placeholder?: string }) {
  return (
    <InlineField
      label="Services"
      labelWidth={LABEL_WIDTH}
      grow
      tooltip="Search by service name or id. All services sums every service the token can see; $variables are expanded when the query runs."
      {...fieldProps(ctx, 'services')}
    >
      <ServicePicker
        datasource={ctx.datasource}
        inputId="fastly-query-services"
        testId={selectors.query.services}
        value={ctx.query.services}
        onChange={(services) => ctx.apply({ services })}
        placeholder={placeholder}
      />
    </InlineField>
  );
}

/** The metric picker; `placeholder` says what an empty choice means where it means something. */
export function MetricsField({ ctx, placeholder }: { ctx: FieldContext; placeholder?: string }) {
  return (
    <InlineField
      label="Metrics"
      labelWidth={LABEL_WIDTH}
      grow
      tooltip="Common metrics come first; type words of a name, label or description to search all of them. Ratios such as hit ratio are computed by the plugin."
      {...fieldProps(ctx, 'metrics')}
    >
      <MetricPicker
        datasource={ctx.datasource}
        queryType={ctx.query.queryType}
        live={ctx.live}
        popMap={isPOPMap(ctx)}
        placeholder={placeholder}
        inputId="fastly-query-metrics"
        testId={selectors.query.metrics}
        value={ctx.query.metrics}
        onChange={(metrics) => ctx.apply({ metrics })}
        width={70}
      />
    </InlineField>
  );
}

export function ResolutionField({ ctx }: { ctx: FieldContext }) {
  return (
    <InlineField
      label="Resolution"
      labelWidth={LABEL_WIDTH}
      tooltip="Bucket size. Auto picks minute, hour or day from the time range and how long Fastly keeps each."
      {...fieldProps(ctx, 'resolution')}
    >
      <Box testId={selectors.query.resolution}>
        <RadioButtonGroup<string>
          options={RESOLUTION_OPTIONS}
          value={ctx.query.resolution}
          onChange={(resolution) => ctx.apply({ resolution: resolution as Resolution })}
          invalid={ctx.errors.resolution !== undefined}
        />
      </Box>
    </InlineField>
  );
}

export function RegionField({ ctx }: { ctx: FieldContext }) {
  return (
    <InlineField
      label="Region"
      labelWidth={LABEL_WIDTH}
      tooltip="Only traffic served in this Fastly region"
      {...fieldProps(ctx, 'region')}
    >
      <RegionPicker
        datasource={ctx.datasource}
        inputId="fastly-query-region"
        testId={selectors.query.region}
        value={ctx.query.region}
        onChange={(region) => ctx.apply({ region })}
      />
    </InlineField>
  );
}

/**
 * Divides counts by the bucket length. Disabled, with the reason as its tooltip, when every
 * chosen metric is a ratio, rate or latency percentile, which the backend leaves as they are.
 */
export function PerSecondField({ ctx }: { ctx: FieldContext }) {
  const catalog = useLoader<MetricInfo[]>(
    () => ctx.datasource.getMetrics(ctx.query.queryType),
    [],
    [ctx.datasource, ctx.query.queryType]
  );
  const meaningless = perSecondMeaningless(ctx.query.metrics, catalog.value);
  return (
    <InlineField
      label="Per second"
      labelWidth={LABEL_WIDTH}
      disabled={meaningless !== ''}
      tooltip={meaningless || 'Divide counts by the bucket length (a minute, hour or day), so they read as rates'}
    >
      <InlineSwitch
        data-testid={selectors.query.perSecond}
        value={ctx.query.perSecond}
        onChange={(e) => ctx.apply({ perSecond: e.currentTarget.checked })}
      />
    </InlineField>
  );
}

/** The most services a top list keeps: the backend's models.MaxTop, from its registry file. */
const MAX_TOP = LIMITS.maxTop;

/**
 * Top services: the N services with the most of the first metric, every other one summed as
 * "other", so a panel over hundreds of services stays readable. Empty keeps every service.
 */
export function TopField({ ctx }: { ctx: FieldContext }) {
  const [text, setText] = useState(ctx.query.top ? String(ctx.query.top) : '');
  const commit = () => {
    const n = Number(text);
    const top = text.trim() === '' || !Number.isInteger(n) || n <= 0 ? undefined : Math.min(n, MAX_TOP);
    setText(top ? String(top) : '');
    if (top !== ctx.query.top) {
      ctx.apply({ top });
    }
  };
  return (
    <InlineField
      label="Top"
      labelWidth={LABEL_WIDTH}
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
    </InlineField>
  );
}

/** Whether the query answers a POP map (one row per POP) rather than time series. */
export const isPOPMap = (ctx: FieldContext) => ctx.spec.popMap && ctx.query.format === 'popmap';

/**
 * Time series or a POP map. A POP map is one row per POP: it groups by POP and keeps only the
 * metrics that are one value per POP.
 */
export function FormatField({ ctx }: { ctx: FieldContext }) {
  if (!ctx.spec.popMap) {
    return null;
  }
  const onFormat = (popMap: boolean) => {
    if (!popMap) {
      // a historical query has no POP grouping outside a map: back to the type's default
      const groupBy = ctx.spec.groupBy.includes(ctx.query.groupBy) ? ctx.query.groupBy : ctx.spec.defaultGroupBy;
      ctx.apply({ format: undefined, groupBy });
      return;
    }
    const kept = new Set(offeredMetrics(ctx.catalog, ctx.live, true).map((m) => m.name));
    const metrics = ctx.query.metrics.filter((m) => kept.has(m) || !ctx.catalog.some((c) => c.name === m));
    ctx.apply({
      format: 'popmap',
      groupBy: 'pop',
      top: undefined, // a map has a row per POP, not a top list of services
      metrics: metrics.length > 0 ? metrics : [...DEFAULT_METRICS[ctx.query.queryType]],
    });
  };
  return (
    <InlineField
      label="Format"
      labelWidth={LABEL_WIDTH}
      tooltip="POP map: one row per POP with its name, latitude and longitude, which the Geomap panel places on a map"
    >
      <Box testId={selectors.query.format}>
        <RadioButtonGroup<string>
          options={FORMAT_OPTIONS}
          value={isPOPMap(ctx) ? 'popmap' : ''}
          onChange={(v) => onFormat(v === 'popmap')}
        />
      </Box>
    </InlineField>
  );
}

export function GroupByField({ ctx }: { ctx: FieldContext }) {
  if (isPOPMap(ctx)) {
    return null; // a POP map is always by POP
  }
  const options = ctx.spec.groupBy.map((g) => ({ value: g, label: GROUP_BY_LABELS[g] }));
  return (
    <InlineField
      label="Group by"
      labelWidth={LABEL_WIDTH}
      tooltip="One series per value of this dimension"
      {...fieldProps(ctx, 'groupBy')}
    >
      <Box testId={selectors.query.groupBy}>
        <RadioButtonGroup<GroupBy>
          options={options}
          value={ctx.query.groupBy}
          onChange={(groupBy) => ctx.apply({ groupBy })}
          invalid={ctx.errors.groupBy !== undefined}
        />
      </Box>
    </InlineField>
  );
}

export function PopsField({ ctx }: { ctx: FieldContext }) {
  return (
    <InlineField
      label="POPs"
      labelWidth={LABEL_WIDTH}
      tooltip="Only these points of presence; empty keeps all"
      {...fieldProps(ctx, 'pops')}
    >
      <PopPicker
        datasource={ctx.datasource}
        inputId="fastly-query-pops"
        testId={selectors.query.pops}
        value={ctx.query.pops}
        onChange={(pops) => ctx.apply({ pops })}
      />
    </InlineField>
  );
}

/** Origin hosts (origins queries) or domains (domains queries) of the chosen services. */
export function HostsField({ ctx, kind }: { ctx: FieldContext; kind: 'origins' | 'domains' }) {
  const what = kind === 'origins' ? 'origin hosts' : 'domains';
  return (
    <InlineField
      label={kind === 'origins' ? 'Origins' : 'Domains'}
      labelWidth={LABEL_WIDTH}
      tooltip={`Only these ${what} of the chosen services; empty keeps all`}
      {...fieldProps(ctx, kind)}
    >
      <HostPicker
        kind={kind}
        datasource={ctx.datasource}
        services={ctx.query.services}
        inputId={`fastly-query-${kind}`}
        testId={selectors.query[kind]}
        value={ctx.query[kind] ?? []}
        onChange={(hosts) => ctx.apply({ [kind]: hosts })}
      />
    </InlineField>
  );
}

export function LiveField({ ctx, onLive }: { ctx: FieldContext; onLive: (on: boolean) => void }) {
  return (
    <InlineField
      label="Live"
      labelWidth={LABEL_WIDTH}
      tooltip="Stream per-second data through Grafana Live (the last two minutes, then each new second) instead of reading history. Live shows each service's total or one series per POP; resolution, region, origin or domain filters and grouping, and the latency heatmap are for history only."
    >
      <InlineSwitch
        data-testid={selectors.query.live}
        value={ctx.live}
        onChange={(e) => onLive(e.currentTarget.checked)}
      />
    </InlineField>
  );
}

/**
 * The legend template; `placeholders` are the labels the series of this view carry, listed in
 * the tooltip.
 */
export function LegendField({ ctx, placeholders }: { ctx: FieldContext; placeholders: string[] }) {
  const [legend, setLegend] = useState<string | undefined>(undefined);
  const list = placeholders.map((p) => `{{${p}}}`).join(', ');
  return (
    <InlineField
      label="Legend"
      labelWidth={LABEL_WIDTH}
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
    </InlineField>
  );
}
