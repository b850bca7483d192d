import React, { ComponentType } from 'react';
import { InlineFieldRow } from '@grafana/ui';

import { QUERY_TYPES } from '../../queryTypes';
import { QUERY_TYPE_NAMES } from '../../queryModel.generated';
import { QueryType } from '../../types';
import { EventTypesField } from '../EventTypesField';
import { LogsQueryFields } from '../LogsQueryFields';
import {
  FieldContext,
  FormatField,
  LABEL_WIDTH,
  GroupByField,
  HostsField,
  isPOPMap,
  LegendField,
  LiveField,
  MetricsField,
  PerSecondField,
  PopsField,
  fieldProps,
  RegionField,
  ResolutionField,
  TopField,
} from './fields';
import { hasLegend } from './switchView';

/** What a query type's view gets: the shared field context and the Live switch's handler. */
export interface ViewProps {
  ctx: FieldContext;
  onLive: (on: boolean) => void;
}

/** Labels every metric series carries, for the legend tooltip. */
const SERIES_LABELS = ['label', 'metric', 'service_name', 'service'];

/** Whether a stats query may cover several services: a top list only means something then. */
const manyServices = (ctx: FieldContext) =>
  ctx.query.services.length > 1 || ctx.query.services.some((s) => s === '*' || s.includes('$')) || !!ctx.query.top;

/**
 * Historical stats: resolution, region and per-second rates, one series per metric or service;
 * or a POP map (one row per POP over the range), which has POPs to pick but no top list or legend.
 */
function HistoricalView({ ctx }: ViewProps) {
  const map = isPOPMap(ctx);
  return (
    <>
      <InlineFieldRow>
        <MetricsField ctx={ctx} />
      </InlineFieldRow>
      <InlineFieldRow>
        <ResolutionField ctx={ctx} />
        <RegionField ctx={ctx} />
      </InlineFieldRow>
      <InlineFieldRow>
        <FormatField ctx={ctx} />
        <GroupByField ctx={ctx} />
        {map && <PopsField ctx={ctx} />}
        <PerSecondField ctx={ctx} />
        {!map && manyServices(ctx) && <TopField ctx={ctx} />}
      </InlineFieldRow>
      {!map && (
        <InlineFieldRow>
          <LegendField ctx={ctx} placeholders={SERIES_LABELS} />
        </InlineFieldRow>
      )}
    </>
  );
}

/**
 * A type without a view of its own (real-time, and a new type until it needs one): the shared
 * fields its spec says it takes, from its registration. Real-time has per-second data already,
 * so no resolution or per-second switch, and POPs to split or filter.
 */
function GenericView({ ctx, onLive }: ViewProps) {
  const { spec, query } = ctx;
  const type = query.queryType;
  const dimensions = spec.groupBy.filter((g) => g !== '');
  return (
    <>
      {spec.metrics && (
        <InlineFieldRow>
          <MetricsField ctx={ctx} />
        </InlineFieldRow>
      )}
      {(QUERY_TYPES[type].live || spec.resolution || spec.region) && (
        <InlineFieldRow>
          {QUERY_TYPES[type].live && <LiveField ctx={ctx} onLive={onLive} />}
          {spec.resolution && <ResolutionField ctx={ctx} />}
          {spec.region && <RegionField ctx={ctx} />}
        </InlineFieldRow>
      )}
      <InlineFieldRow>
        <FormatField ctx={ctx} />
        {spec.groupBy.length > 1 && <GroupByField ctx={ctx} />}
        {spec.pops && <PopsField ctx={ctx} />}
        {spec.perSecond && <PerSecondField ctx={ctx} />}
      </InlineFieldRow>
      {hasLegend(spec, type) && (
        <InlineFieldRow>
          <LegendField ctx={ctx} placeholders={[...SERIES_LABELS, ...dimensions]} />
        </InlineFieldRow>
      )}
    </>
  );
}

/** Origin and Domain Inspector: history by origin or domain, or live per second. */
function InspectorView({ ctx, onLive }: ViewProps) {
  const kind = ctx.query.queryType === 'origins' ? 'origins' : 'domains';
  const host = kind === 'origins' ? 'origin' : 'domain';
  return (
    <>
      <InlineFieldRow>
        <MetricsField ctx={ctx} />
      </InlineFieldRow>
      <InlineFieldRow>
        <LiveField ctx={ctx} onLive={onLive} />
        {!ctx.live && <ResolutionField ctx={ctx} />}
      </InlineFieldRow>
      <InlineFieldRow>
        <FormatField ctx={ctx} />
        <GroupByField ctx={ctx} />
        {!ctx.live && <PerSecondField ctx={ctx} />}
      </InlineFieldRow>
      <InlineFieldRow>
        <PopsField ctx={ctx} />
        {!ctx.live && <HostsField ctx={ctx} kind={kind} />}
      </InlineFieldRow>
      <InlineFieldRow>
        <LegendField
          ctx={ctx}
          placeholders={ctx.live ? [...SERIES_LABELS, 'pop'] : [...SERIES_LABELS, host, 'pop', 'region']}
        />
      </InlineFieldRow>
    </>
  );
}

/** Billing usage: a table of totals per region or service; nothing chosen means all three. */
function UsageView({ ctx }: ViewProps) {
  return (
    <>
      <InlineFieldRow>
        <MetricsField ctx={ctx} placeholder="All: bandwidth, requests and Compute requests" />
      </InlineFieldRow>
      <InlineFieldRow>
        <RegionField ctx={ctx} />
        <GroupByField ctx={ctx} />
      </InlineFieldRow>
    </>
  );
}

/** The sampled-log types: their own fields (LogsQueryFields), and POPs for top lists. */
function LogsView({ ctx }: ViewProps) {
  const kind = ctx.spec.logFields;
  if (kind === '') {
    return null;
  }
  return (
    <>
      <LogsQueryFields
        datasource={ctx.datasource}
        kind={kind}
        query={ctx.query}
        apply={ctx.apply}
        fieldProps={(field) => fieldProps(ctx, field)}
      />
      {ctx.spec.pops && (
        <InlineFieldRow>
          <PopsField ctx={ctx} />
        </InlineFieldRow>
      )}
    </>
  );
}

/** Events (annotations as a table, e.g. in Explore): which event types to show. */
function EventsView({ ctx }: ViewProps) {
  return (
    <InlineFieldRow>
      <EventTypesField value={ctx.query} onChange={(fields) => ctx.apply(fields)} labelWidth={LABEL_WIDTH} />
    </InlineFieldRow>
  );
}

/** The types with a view of their own, for fields or a layout their spec cannot say. */
const OWN_VIEWS: Partial<Record<QueryType, ComponentType<ViewProps>>> = {
  stats: HistoricalView,
  origins: InspectorView,
  domains: InspectorView,
  usage: UsageView,
  events: EventsView,
  insights: LogsView,
  logs: LogsView,
  logseries: LogsView,
};

/** The view of each query type: its own, or the generic one built from its spec. */
export const VIEWS = Object.fromEntries(QUERY_TYPE_NAMES.map((t) => [t, OWN_VIEWS[t] ?? GenericView])) as Record<
  QueryType,
  ComponentType<ViewProps>
>;
