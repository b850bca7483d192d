import React, { useMemo, useRef, useState } from 'react';
import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { Alert, InlineField, InlineFieldRow, Select } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrations';
import { PANEL_QUERY_TYPES, QUERY_TYPES, incompleteHint, streams, viewOfQuery } from '../queryTypes';
import { FastlyOptions, FastlyQuery, MetricInfo, QueryType, ServiceInfo } from '../types';
import { QueryErrors, placeProblems, queryProblems } from './QueryErrors';
import { LABEL_WIDTH } from './layout';
import { Box, FieldContext, ServicesField, fieldProps } from './query/fields';
import { liveServicesWarning } from './query/liveLimit';
import { View, ViewMemory, droppedNotice, switchView, viewOf } from './query/switchView';
import { QueryFields } from './query/views';
import { selectors } from './selectors';
import { useLoader } from './useLoader';

type Props = QueryEditorProps<DataSource, FastlyQuery, FastlyOptions>;

const typeOptions: Array<SelectableValue<QueryType>> = PANEL_QUERY_TYPES.map((t) => ({
  value: t,
  label: QUERY_TYPES[t].label,
  description: QUERY_TYPES[t].description,
}));

/**
 * The panel query editor: the query type and services, then the fields the type shows
 * (query/views.tsx). Switching type or Live goes through switchView, which keeps what still
 * applies, remembers the rest for switching back, and says what it dropped.
 */
export function QueryEditor({ query: raw, onChange, onRunQuery, datasource, data }: Props) {
  const query = useMemo(() => migrateQuery(raw), [raw]);
  const view = viewOfQuery(query);
  const takesMetrics = view.spec.fields.includes('metrics');
  const memory = useRef<ViewMemory>(new Map());
  const [notice, setNotice] = useState('');
  // the current type's catalog says where each chosen metric exists, so a switch needs no wait
  const catalog = useLoader<MetricInfo[]>(
    () => (takesMetrics ? datasource.getMetrics(query.queryType) : Promise.resolve([])),
    [],
    [datasource, query.queryType, takesMetrics]
  );
  const services = useLoader<ServiceInfo[] | undefined>(() => datasource.getServices(), undefined, [datasource]);
  const streaming = streams(query);
  const liveWarning = liveServicesWarning(
    query,
    streaming ? datasource.resolveServiceIds(query.services) : undefined,
    services.value?.length
  );
  // an error about a field the view does not show stays general
  const problems = placeProblems(queryProblems(data, query.refId), new Set(view.fields));

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

  const ctx: FieldContext = {
    query,
    datasource,
    view,
    catalog: catalog.value,
    apply,
    switchLive: (on) => switchTo({ type: query.queryType, live: on }),
    errors: problems.fields,
  };
  const hint = incompleteHint(query);

  return (
    <div data-testid={selectors.query.editor}>
      <InlineFieldRow>
        <InlineField
          label="Query type"
          labelWidth={LABEL_WIDTH}
          tooltip="Which Fastly API the query reads"
          {...fieldProps(problems.fields, 'queryType')}
        >
          <Box testId={selectors.query.queryType}>
            <Select<QueryType>
              inputId="fastly-query-type"
              aria-label="Query type"
              options={
                // a type the panel editor does not offer (annotations, e.g. opened in Explore) is still named
                PANEL_QUERY_TYPES.includes(query.queryType)
                  ? typeOptions
                  : [...typeOptions, { value: query.queryType, label: view.spec.label }]
              }
              value={query.queryType}
              onChange={(v) => v.value && switchTo({ type: v.value, live: QUERY_TYPES[v.value].live && view.live })}
              width={28}
              invalid={problems.fields.queryType !== undefined}
            />
          </Box>
        </InlineField>
        <ServicesField ctx={ctx} />
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

      <QueryFields ctx={ctx} />

      {hint !== '' && (
        <div data-testid={selectors.query.hint}>
          <Alert severity="info" title={hint} bottomSpacing={1} topSpacing={1} />
        </div>
      )}
      <QueryErrors problems={problems.general} />
    </div>
  );
}
