import React, { useMemo, useRef, useState } from 'react';
import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { Alert, InlineField, InlineFieldRow, Select } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrations';
import { PANEL_QUERY_TYPES, QUERY_TYPES, QueryTypeSpec, incompleteHint, isLive, specFor } from '../queryTypes';
import { FastlyOptions, FastlyQuery, MetricInfo, QueryType, ServiceInfo } from '../types';
import { EditorField, QueryErrors, placeProblems, queryProblems } from './QueryErrors';
import { LABEL_WIDTH } from './layout';
import { FieldContext, ServicesField, fieldProps } from './query/fields';
import { liveServicesWarning } from './query/liveLimit';
import { View, ViewMemory, droppedNotice, switchView, viewOf } from './query/switchView';
import { VIEWS } from './query/views';
import { selectors } from './selectors';
import { useLoader } from './useLoader';

type Props = QueryEditorProps<DataSource, FastlyQuery, FastlyOptions>;

const typeOptions: Array<SelectableValue<QueryType>> = PANEL_QUERY_TYPES.map((t) => ({
  value: t,
  label: QUERY_TYPES[t].label,
  description: QUERY_TYPES[t].description,
}));

/** The fields the editor shows for a query: errors about any other field stay general. */
export function shownFields(spec: QueryTypeSpec, query: FastlyQuery): Set<EditorField> {
  const shown = new Set<EditorField>(['queryType', 'services']);
  const optional: Array<[EditorField, boolean]> = [
    ['metrics', spec.metrics],
    ['resolution', spec.resolution],
    ['region', spec.region],
    ['groupBy', spec.groupBy.length > 1],
    ['pops', spec.pops || query.format === 'popmap'], // a historical map picks its POPs
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
 * The panel query editor: the query type and services, then the view of the chosen type
 * (query/views.tsx). Switching type or Live goes through switchView, which keeps what still
 * applies, remembers the rest for switching back, and says what it dropped.
 */
export function QueryEditor({ query: raw, onChange, onRunQuery, datasource, data }: Props) {
  const query = useMemo(() => migrateQuery(raw), [raw]);
  const live = isLive(query);
  const spec = specFor(query.queryType, live);
  const memory = useRef<ViewMemory>(new Map());
  const [notice, setNotice] = useState('');
  // the current type's catalog says where each chosen metric exists, so a switch needs no wait
  const catalog = useLoader<MetricInfo[]>(
    () => (spec.metrics ? datasource.getMetrics(query.queryType) : Promise.resolve([])),
    [],
    [datasource, query.queryType, spec.metrics]
  );
  const services = useLoader<ServiceInfo[] | undefined>(() => datasource.getServices(), undefined, [datasource]);
  const streams = query.queryType === 'realtime' || live;
  const liveWarning = liveServicesWarning(
    query,
    streams,
    streams ? datasource.resolveServiceIds(query.services) : [],
    services.value?.length
  );
  const problems = placeProblems(queryProblems(data, query.refId), shownFields(spec, query));

  const apply = (patch: Partial<FastlyQuery>) => {
    setNotice('');
    onChange({ ...query, ...patch });
    onRunQuery();
  };

  const switchTo = (to: View) => {
    const from = viewOf(query);
    const { query: next, dropped } = switchView(query, to, memory.current, catalog.value);
    setNotice(droppedNotice(dropped, from));
    // the whole query, not a patch: fields the new view lacks must go
    onChange(next);
    onRunQuery();
  };

  const ctx: FieldContext = { query, datasource, spec, live, catalog: catalog.value, apply, errors: problems.fields };
  const TypeView = VIEWS[query.queryType];
  const hint = incompleteHint(query);

  return (
    <div data-testid={selectors.query.editor}>
      <InlineFieldRow>
        <InlineField
          label="Query type"
          labelWidth={LABEL_WIDTH}
          tooltip="Which Fastly API the query reads"
          {...fieldProps(ctx, 'queryType')}
        >
          <div data-testid={selectors.query.queryType}>
            <Select<QueryType>
              inputId="fastly-query-type"
              aria-label="Query type"
              options={
                query.queryType === 'events'
                  ? [...typeOptions, { value: 'events', label: QUERY_TYPES.events.label }]
                  : typeOptions
              }
              value={query.queryType}
              onChange={(v) => v.value && switchTo({ type: v.value, live: QUERY_TYPES[v.value].live && live })}
              width={28}
              invalid={problems.fields.queryType !== undefined}
            />
          </div>
        </InlineField>
        <ServicesField ctx={ctx} placeholder={spec.services ? undefined : 'Whole account, or choose services'} />
      </InlineFieldRow>

      {notice !== '' && (
        <div data-testid={selectors.query.switchNotice}>
          <Alert severity="info" title={notice} onRemove={() => setNotice('')} bottomSpacing={1} topSpacing={1} />
        </div>
      )}

      {liveWarning !== '' && (
        <div data-testid={selectors.query.liveLimit}>
          <Alert severity="warning" title={liveWarning} bottomSpacing={1} topSpacing={1} />
        </div>
      )}

      <TypeView ctx={ctx} onLive={(on) => switchTo({ type: query.queryType, live: on })} />

      {hint !== '' && (
        <div data-testid={selectors.query.hint}>
          <Alert severity="info" title={hint} bottomSpacing={1} topSpacing={1} />
        </div>
      )}
      <QueryErrors problems={problems.general} />
    </div>
  );
}
