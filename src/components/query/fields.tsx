import React, { ComponentProps, ComponentType, ReactNode } from 'react';
import { SelectableValue } from '@grafana/data';
import { InlineField, RadioButtonGroup } from '@grafana/ui';

import type { DataSource } from '../../datasource';
import { FORMAT_OPTIONS, GROUP_BY_LABELS, RESOLUTION_OPTIONS, ViewSpec, offeredMetrics } from '../../queryTypes';
import { DEFAULT_METRICS, EditorField, FastlyQuery, GroupBy, MetricInfo, Resolution } from '../../types';
import { MetricPicker } from '../MetricPicker';
import { HostPicker, PopPicker, RegionPicker } from '../OptionPickers';
import { FieldErrors } from '../QueryErrors';
import { ServicePicker } from '../ServicePicker';
import { LABEL_WIDTH } from '../layout';
import { selectors } from '../selectors';

/** What every field of a query view needs: the query, how to change it, and its errors. */
export interface FieldContext {
  query: FastlyQuery;
  datasource: DataSource;
  /** The fields, groupings and legend labels of the view shown (its type, Live, POP map). */
  view: ViewSpec;
  /** The catalog of the query's type (empty while it loads, or when the type takes no metrics). */
  catalog: MetricInfo[];
  /** Changes the query and runs it. */
  apply: (patch: Partial<FastlyQuery>) => void;
  /** Switches Live on or off, keeping what the other view can use. */
  switchLive: (on: boolean) => void;
  /** Errors of the last run, by the field they are about. */
  errors: FieldErrors;
}

/** Props of a field's InlineField: its test id and, after a failed run, the errors about it. */
export function fieldProps(errors: FieldErrors, field: EditorField) {
  const messages = errors[field];
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

/** One labelled field of the query: its label, tooltip, test id and errors around a control. */
export function Labelled(props: {
  ctx: FieldContext;
  field: EditorField;
  label: string;
  tooltip: string;
  grow?: boolean;
  disabled?: boolean;
  children: ComponentProps<typeof InlineField>['children'];
}) {
  const { ctx, field, label, tooltip, grow, disabled, children } = props;
  return (
    <InlineField
      label={label}
      labelWidth={LABEL_WIDTH}
      tooltip={tooltip}
      grow={grow}
      disabled={disabled}
      {...fieldProps(ctx.errors, field)}
    >
      {children}
    </InlineField>
  );
}

/**
 * The test-id box around a control: InlineField hands its child `invalid`, `disabled` and
 * `loading`, which must not land on a plain div as DOM attributes.
 */
export function Box({ testId, children }: { testId: string; children: ReactNode; invalid?: boolean }) {
  return <div data-testid={testId}>{children}</div>;
}

/** The service picker; where a type needs none, an empty choice reads as the whole account. */
export function ServicesField({ ctx, inputId = 'fastly-query-services' }: { ctx: FieldContext; inputId?: string }) {
  return (
    <Labelled
      ctx={ctx}
      field="services"
      label="Services"
      grow
      tooltip="Search by service name or id. All services sums every service the token can see; $variables are expanded when the query runs."
    >
      <ServicePicker
        datasource={ctx.datasource}
        inputId={inputId}
        testId={selectors.query.services}
        value={ctx.query.services}
        onChange={(services) => ctx.apply({ services })}
        placeholder={ctx.view.spec.servicesOptional ? 'Whole account, or choose services' : undefined}
      />
    </Labelled>
  );
}

/**
 * The metric picker. Where a type starts with no metrics (usage), none means all of them, which
 * its placeholder names.
 */
export function MetricsField({ ctx }: { ctx: FieldContext }) {
  const all = ctx.view.spec.defaultMetrics.length === 0 && ctx.catalog.length > 0;
  const labels = ctx.catalog.map((m) => m.label);
  return (
    <Labelled
      ctx={ctx}
      field="metrics"
      label="Metrics"
      grow
      tooltip="Common metrics come first; type words of a name, label or description to search all of them. Ratios such as hit ratio are computed by the plugin."
    >
      <MetricPicker
        datasource={ctx.datasource}
        queryType={ctx.query.queryType}
        live={ctx.view.live}
        popMap={ctx.view.popMap}
        placeholder={all ? `All: ${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}` : undefined}
        inputId="fastly-query-metrics"
        testId={selectors.query.metrics}
        value={ctx.query.metrics}
        onChange={(metrics) => ctx.apply({ metrics })}
        width={70}
      />
    </Labelled>
  );
}

/** A field of a few choices side by side. */
function RadioField<T extends string>(props: {
  ctx: FieldContext;
  field: 'resolution' | 'format' | 'groupBy';
  label: string;
  tooltip: string;
  options: Array<SelectableValue<T>>;
  value: T;
  onChange: (value: T) => void;
}) {
  const { ctx, field, label, tooltip, options, value, onChange } = props;
  return (
    <Labelled ctx={ctx} field={field} label={label} tooltip={tooltip}>
      <Box testId={selectors.query[field]}>
        <RadioButtonGroup<T>
          options={options}
          value={value}
          onChange={onChange}
          invalid={ctx.errors[field] !== undefined}
        />
      </Box>
    </Labelled>
  );
}

export const ResolutionField = ({ ctx }: { ctx: FieldContext }) => (
  <RadioField<string>
    ctx={ctx}
    field="resolution"
    label="Resolution"
    tooltip="Bucket size. Auto picks minute, hour or day from the time range and how long Fastly keeps each."
    options={RESOLUTION_OPTIONS}
    value={ctx.query.resolution}
    onChange={(resolution) => ctx.apply({ resolution: resolution as Resolution })}
  />
);

/** What an option picker of the data source's lists takes. */
interface PickerProps<V> {
  datasource: DataSource;
  inputId: string;
  testId: string;
  value: V;
  onChange: (value: V) => void;
}

/** A field chosen from one of the data source's lists: its ids and value follow from its name. */
function OptionField<F extends 'region' | 'pops'>(props: {
  ctx: FieldContext;
  field: F;
  label: string;
  tooltip: string;
  Picker: ComponentType<PickerProps<FastlyQuery[F]>>;
}) {
  const { ctx, field, label, tooltip, Picker } = props;
  return (
    <Labelled ctx={ctx} field={field} label={label} tooltip={tooltip}>
      <Picker
        datasource={ctx.datasource}
        inputId={`fastly-query-${field}`}
        testId={selectors.query[field]}
        value={ctx.query[field]}
        onChange={(value) => ctx.apply({ [field]: value })}
      />
    </Labelled>
  );
}

export const RegionField = ({ ctx }: { ctx: FieldContext }) => (
  <OptionField
    ctx={ctx}
    field="region"
    label="Region"
    tooltip="Only traffic served in this Fastly region"
    Picker={RegionPicker}
  />
);

export const PopsField = ({ ctx }: { ctx: FieldContext }) => (
  <OptionField
    ctx={ctx}
    field="pops"
    label="POPs"
    tooltip="Only these points of presence; empty keeps all"
    Picker={PopPicker}
  />
);

/**
 * Time series or a POP map. A POP map is one row per POP: it groups by POP and keeps only the
 * metrics that are one value per POP.
 */
export function FormatField({ ctx }: { ctx: FieldContext }) {
  const onFormat = (popMap: boolean) => {
    if (!popMap) {
      // a type may have no POP grouping outside a map: back to its default
      const groupBy = ctx.view.spec.groupBy.includes(ctx.query.groupBy)
        ? ctx.query.groupBy
        : ctx.view.spec.startGroupBy;
      ctx.apply({ format: undefined, groupBy });
      return;
    }
    const kept = new Set(offeredMetrics(ctx.catalog, ctx.view.live, true).map((m) => m.name));
    const metrics = ctx.query.metrics.filter((m) => kept.has(m) || !ctx.catalog.some((c) => c.name === m));
    ctx.apply({
      format: 'popmap',
      groupBy: 'pop',
      top: undefined, // a map has a row per POP, not a top list of services
      metrics: metrics.length > 0 ? metrics : [...DEFAULT_METRICS[ctx.query.queryType]],
    });
  };
  return (
    <RadioField<string>
      ctx={ctx}
      field="format"
      label="Format"
      tooltip="POP map: one row per POP with its name, latitude and longitude, which the Geomap panel places on a map"
      options={FORMAT_OPTIONS}
      value={ctx.view.popMap ? 'popmap' : ''}
      onChange={(v) => onFormat(v === 'popmap')}
    />
  );
}

export const GroupByField = ({ ctx }: { ctx: FieldContext }) => (
  <RadioField<GroupBy>
    ctx={ctx}
    field="groupBy"
    label="Group by"
    tooltip="One series per value of this dimension"
    options={ctx.view.groupBy.map((g) => ({ value: g, label: GROUP_BY_LABELS[g] }))}
    value={ctx.query.groupBy}
    onChange={(groupBy) => ctx.apply({ groupBy })}
  />
);

/** Origin hosts (Origin Inspector) or domains (Domain Inspector) of the chosen services. */
function HostsField({ ctx, kind }: { ctx: FieldContext; kind: 'origins' | 'domains' }) {
  const what = kind === 'origins' ? 'origin hosts' : 'domains';
  return (
    <Labelled
      ctx={ctx}
      field={kind}
      label={kind === 'origins' ? 'Origins' : 'Domains'}
      tooltip={`Only these ${what} of the chosen services; empty keeps all`}
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
    </Labelled>
  );
}

export const OriginsField = ({ ctx }: { ctx: FieldContext }) => <HostsField ctx={ctx} kind="origins" />;
export const DomainsField = ({ ctx }: { ctx: FieldContext }) => <HostsField ctx={ctx} kind="domains" />;
