import React, { ReactNode, useMemo, useState } from 'react';
import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, InlineSwitch, Input, RadioButtonGroup, Select } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrations';
import {
  FORMAT_OPTIONS,
  GROUP_BY_LABELS,
  HEATMAP_METRIC,
  PANEL_QUERY_TYPES,
  QUERY_TYPES,
  QueryTypeSpec,
  RESOLUTION_OPTIONS,
  isLive,
  offeredMetrics,
  specFor,
} from '../queryTypes';
import { DEFAULT_METRICS, FastlyOptions, FastlyQuery, GroupBy, MetricInfo, QueryType, Resolution } from '../types';
import { MetricPicker } from './MetricPicker';
import { LogsQueryFields, keptLogFields, withoutLogFields } from './LogsQueryFields';
import { HostPicker, PopPicker, RegionPicker } from './OptionPickers';
import { EditorField, QueryErrors, placeProblems, queryProblems } from './QueryErrors';
import { ServicePicker } from './ServicePicker';
import { selectors } from './selectors';

type Props = QueryEditorProps<DataSource, FastlyQuery, FastlyOptions>;

const LABEL = 14;

const typeOptions: Array<SelectableValue<QueryType>> = PANEL_QUERY_TYPES.map((t) => ({
  value: t,
  label: QUERY_TYPES[t].label,
  description: QUERY_TYPES[t].description,
}));

/**
 * Metrics kept when the query type changes: those the new type offers (the backend's list for
 * it, see offeredMetrics) and variables; if none is left, the type's default (DEFAULT_METRICS).
 */
export async function metricsForType(
  datasource: DataSource,
  type: QueryType,
  current: string[],
  live = false
): Promise<string[]> {
  if (!QUERY_TYPES[type].metrics) {
    return [...DEFAULT_METRICS[type]];
  }
  const catalog = await datasource.getMetrics(type).catch((): MetricInfo[] => []);
  const names = offeredMetrics(type, live, catalog).map((m) => m.name);
  const kept = current.filter((m) => m.includes('$') || names.includes(m));
  return kept.length > 0 ? kept : [...DEFAULT_METRICS[type]];
}

/** The fields the editor shows for a query type: errors about any other field stay general. */
export function shownFields(spec: QueryTypeSpec): Set<EditorField> {
  const shown = new Set<EditorField>(['queryType', 'services']);
  const optional: Array<[EditorField, boolean]> = [
    ['metrics', spec.metrics],
    ['resolution', spec.resolution],
    ['region', spec.region],
    ['groupBy', spec.groupBy.length > 1],
    ['pops', spec.pops],
    ['origins', spec.origins],
    ['domains', spec.domains],
    ['insight', spec.logFields === 'insights'],
    ['domain', spec.logFields === 'insights'],
    ['limit', spec.logFields !== ''],
    ['filters', spec.logFields === 'logs' || spec.logFields === 'logseries'],
    ['series', spec.logFields === 'logseries'],
    ['dimension', spec.logFields === 'logseries'],
  ];
  for (const [field, on] of optional) {
    if (on) {
      shown.add(field);
    }
  }
  return shown;
}

/**
 * The test-id box around a control: InlineField hands its child `invalid`, `disabled` and
 * `loading`, which must not land on a plain div as DOM attributes.
 */
function Box({ testId, children }: { testId: string; children: ReactNode; invalid?: boolean }) {
  return <div data-testid={testId}>{children}</div>;
}

/** The panel query editor: only the fields that apply to the chosen query type are shown. */
export function QueryEditor({ query: raw, onChange, onRunQuery, datasource, data }: Props) {
  const query = useMemo(() => migrateQuery(raw), [raw]);
  const live = isLive(query);
  const spec = specFor(query.queryType, live);
  const [legend, setLegend] = useState<string | undefined>(undefined);
  const problems = useMemo(
    () => placeProblems(queryProblems(data, query.refId), shownFields(spec)),
    [data, query.refId, spec]
  );

  /** Props of a field's InlineField: its test id and, after a failed run, the errors about it. */
  const fieldProps = (field: EditorField) => {
    const messages = problems.fields[field];
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
  };

  const apply = (patch: Partial<FastlyQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };

  const onTypeChange = async (type: QueryType) => {
    // live carries over between origins and domains; other types have no live view
    const live = QUERY_TYPES[type].live && isLive(query);
    const next = specFor(type, live);
    const metrics = await metricsForType(datasource, type, query.metrics, live);
    const { origins, domains, live: _wasLive, format, ...withLogFields } = query;
    const rest = withoutLogFields(withLogFields);
    // the whole query, not a patch: fields the new type lacks must go
    onChange({
      ...rest,
      ...keptLogFields(next.logFields, query),
      ...(next.popMap && format ? { format } : {}),
      pops: next.pops ? query.pops : [],
      ...(next.origins && origins ? { origins } : {}),
      ...(next.domains && domains ? { domains } : {}),
      ...(QUERY_TYPES[type].live && query.live !== undefined ? { live: query.live } : {}),
      queryType: type,
      metrics,
      // a region the new type does not show would filter it unseen
      region: next.region ? query.region : '',
      groupBy: next.groupBy.includes(query.groupBy) ? query.groupBy : next.defaultGroupBy,
    });
    onRunQuery();
  };

  /**
   * Live on drops what a live inspector query cannot use (the backend refuses it): grouping by
   * origin, domain or region, origin/domain and region filters, and the heatmap.
   */
  const onLiveChange = (on: boolean) => {
    if (!on) {
      apply({ live: false });
      return;
    }
    const next = specFor(query.queryType, true);
    const { origins: _origins, domains: _domains, ...rest } = query;
    const metrics = query.metrics.filter((m) => m !== HEATMAP_METRIC);
    onChange({
      ...rest,
      live: true,
      region: '',
      groupBy: next.groupBy.includes(query.groupBy) ? query.groupBy : next.defaultGroupBy,
      metrics: metrics.length > 0 ? metrics : [...DEFAULT_METRICS[query.queryType]],
    });
    onRunQuery();
  };

  /** A POP map is one row per POP: it groups by POP and has no latency heatmap (not per POP). */
  const onFormatChange = (popMap: boolean) => {
    const { format: _format, ...rest } = query;
    if (!popMap) {
      onChange(rest);
    } else {
      const metrics = query.metrics.filter((m) => m !== HEATMAP_METRIC);
      onChange({
        ...rest,
        format: 'popmap',
        groupBy: 'pop',
        metrics: metrics.length > 0 ? metrics : [...DEFAULT_METRICS[query.queryType]],
      });
    }
    onRunQuery();
  };
  const popMap = spec.popMap && query.format === 'popmap';

  const groupByOptions = spec.groupBy.map((g) => ({ value: g, label: GROUP_BY_LABELS[g] }));

  return (
    <div data-testid={selectors.query.editor}>
      <InlineFieldRow>
        <InlineField
          label="Query type"
          labelWidth={LABEL}
          tooltip="Which Fastly API the query reads"
          {...fieldProps('queryType')}
        >
          <Box testId={selectors.query.queryType}>
            <Select<QueryType>
              inputId="fastly-query-type"
              aria-label="Query type"
              options={
                query.queryType === 'events'
                  ? [...typeOptions, { value: 'events', label: QUERY_TYPES.events.label }]
                  : typeOptions
              }
              value={query.queryType}
              onChange={(v) => v.value && onTypeChange(v.value)}
              width={20}
              invalid={problems.fields.queryType !== undefined}
            />
          </Box>
        </InlineField>
        <InlineField
          label="Services"
          labelWidth={LABEL}
          grow
          tooltip="Search by service name or id. All services sums every service the token can see; $variables are expanded when the query runs."
          {...fieldProps('services')}
        >
          <ServicePicker
            datasource={datasource}
            inputId="fastly-query-services"
            testId={selectors.query.services}
            value={query.services}
            onChange={(services) => apply({ services })}
            placeholder={spec.services ? undefined : 'Whole account, or choose services'}
          />
        </InlineField>
      </InlineFieldRow>

      {spec.metrics && (
        <InlineFieldRow>
          <InlineField
            label="Metrics"
            labelWidth={LABEL}
            grow
            tooltip="Metrics this query type offers, grouped by category, with their unit. Ratios such as hit ratio are computed by the plugin."
            {...fieldProps('metrics')}
          >
            <MetricPicker
              datasource={datasource}
              queryType={query.queryType}
              live={live}
              placeholder={spec.metricsOptional ? 'All: bandwidth, requests and Compute requests' : undefined}
              inputId="fastly-query-metrics"
              testId={selectors.query.metrics}
              value={query.metrics}
              onChange={(metrics) => apply({ metrics })}
              width={70}
            />
          </InlineField>
        </InlineFieldRow>
      )}

      {spec.logFields !== '' && (
        <LogsQueryFields
          datasource={datasource}
          kind={spec.logFields}
          query={query}
          apply={apply}
          fieldProps={fieldProps}
        />
      )}

      <InlineFieldRow>
        {spec.live && (
          <InlineField
            label="Live"
            labelWidth={LABEL}
            tooltip="Stream per-second data through Grafana Live (the last two minutes, then each new second) instead of reading history. Live shows each service's total or one series per POP; resolution, region, origin or domain filters and grouping, and the latency heatmap are for history only."
          >
            <InlineSwitch
              data-testid={selectors.query.live}
              value={live}
              onChange={(e) => onLiveChange(e.currentTarget.checked)}
            />
          </InlineField>
        )}
        {spec.resolution && (
          <InlineField
            label="Resolution"
            labelWidth={LABEL}
            tooltip="Bucket size. Auto picks minute, hour or day from the time range and how long Fastly keeps each."
            {...fieldProps('resolution')}
          >
            <Box testId={selectors.query.resolution}>
              <RadioButtonGroup<string>
                options={RESOLUTION_OPTIONS}
                value={query.resolution}
                onChange={(resolution) => apply({ resolution: resolution as Resolution })}
                size="sm"
                invalid={problems.fields.resolution !== undefined}
              />
            </Box>
          </InlineField>
        )}
        {spec.region && (
          <InlineField label="Region" tooltip="Only traffic served in this Fastly region" {...fieldProps('region')}>
            <RegionPicker
              datasource={datasource}
              inputId="fastly-query-region"
              testId={selectors.query.region}
              value={query.region}
              onChange={(region) => apply({ region })}
            />
          </InlineField>
        )}
        {spec.perSecond && (
          <InlineField label="Per second" tooltip="Divide counts by the bucket length, so they read as rates">
            <InlineSwitch
              data-testid={selectors.query.perSecond}
              value={query.perSecond}
              onChange={(e) => apply({ perSecond: e.currentTarget.checked })}
            />
          </InlineField>
        )}
        {spec.popMap && (
          <InlineField
            label="Format"
            tooltip="POP map: one row per POP with its name, latitude and longitude, which the Geomap panel places on a map"
          >
            <Box testId={selectors.query.format}>
              <RadioButtonGroup<string>
                options={FORMAT_OPTIONS}
                value={popMap ? 'popmap' : ''}
                onChange={(v) => onFormatChange(v === 'popmap')}
                size="sm"
              />
            </Box>
          </InlineField>
        )}
        {spec.groupBy.length > 1 && !popMap && (
          <InlineField label="Group by" tooltip="One series per value of this dimension" {...fieldProps('groupBy')}>
            <Box testId={selectors.query.groupBy}>
              <RadioButtonGroup<GroupBy>
                options={groupByOptions}
                value={query.groupBy}
                onChange={(groupBy) => apply({ groupBy })}
                size="sm"
                invalid={problems.fields.groupBy !== undefined}
              />
            </Box>
          </InlineField>
        )}
      </InlineFieldRow>

      {(spec.pops || spec.origins || spec.domains) && (
        <InlineFieldRow>
          {spec.pops && (
            <InlineField
              label="POPs"
              labelWidth={LABEL}
              tooltip="Only these points of presence; empty keeps all"
              {...fieldProps('pops')}
            >
              <PopPicker
                datasource={datasource}
                inputId="fastly-query-pops"
                testId={selectors.query.pops}
                value={query.pops}
                onChange={(pops) => apply({ pops })}
              />
            </InlineField>
          )}
          {spec.origins && (
            <InlineField
              label="Origins"
              tooltip="Only these origin hosts of the chosen services; empty keeps all"
              {...fieldProps('origins')}
            >
              <HostPicker
                kind="origins"
                datasource={datasource}
                services={query.services}
                inputId="fastly-query-origins"
                testId={selectors.query.origins}
                value={query.origins ?? []}
                onChange={(origins) => apply({ origins })}
              />
            </InlineField>
          )}
          {spec.domains && (
            <InlineField
              label="Domains"
              tooltip="Only these domains of the chosen services; empty keeps all"
              {...fieldProps('domains')}
            >
              <HostPicker
                kind="domains"
                datasource={datasource}
                services={query.services}
                inputId="fastly-query-domains"
                testId={selectors.query.domains}
                value={query.domains ?? []}
                onChange={(domains) => apply({ domains })}
              />
            </InlineField>
          )}
        </InlineFieldRow>
      )}

      {spec.logFields === '' && (
        <InlineFieldRow>
          <InlineField
            label="Legend"
            labelWidth={LABEL}
            tooltip="Series name template, e.g. {{service_name}} {{pop}}. Empty gives readable default names."
          >
            <Input
              data-testid={selectors.query.legendFormat}
              placeholder="Auto"
              value={legend ?? query.legendFormat}
              onChange={(e) => setLegend(e.currentTarget.value)}
              onBlur={() => {
                if (legend !== undefined && legend !== query.legendFormat) {
                  apply({ legendFormat: legend });
                }
                setLegend(undefined);
              }}
              width={40}
            />
          </InlineField>
        </InlineFieldRow>
      )}

      <QueryErrors problems={problems.general} />
    </div>
  );
}
