import React, { useMemo } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow, MultiSelect } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrations';
import { DEFAULT_ANNOTATION_QUERY, EVENT_TYPES, FastlyOptions, FastlyQuery } from '../types';
import { ServicePicker } from './ServicePicker';
import { matchOption, selected, values } from './options';
import { selectors } from './selectors';

type Props = QueryEditorProps<DataSource, FastlyQuery, FastlyOptions>;

/** Annotations from Fastly events (version activations, purges) of the chosen services. */
export function AnnotationQueryEditor({ query: raw, onChange, datasource }: Props) {
  const query = useMemo(
    () => migrateQuery({ ...DEFAULT_ANNOTATION_QUERY, ...raw, queryType: 'events', refId: raw?.refId ?? 'Anno' }),
    [raw]
  );
  const eventTypes = query.eventTypes ?? [];

  return (
    <div data-testid={selectors.annotation.editor}>
      <InlineFieldRow>
        <InlineField
          label="Services"
          labelWidth={14}
          grow
          tooltip="Events of these services; All services for every one"
        >
          <ServicePicker
            datasource={datasource}
            inputId="fastly-annotation-services"
            testId={selectors.query.services}
            value={query.services}
            onChange={(services) => onChange({ ...query, services })}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField label="Event types" labelWidth={14} grow tooltip="Which Fastly events become annotations">
          <div data-testid={selectors.annotation.eventTypes}>
            <MultiSelect<string>
              inputId="fastly-annotation-event-types"
              aria-label="Event types"
              options={EVENT_TYPES}
              value={selected(eventTypes, EVENT_TYPES)}
              onChange={(items) => onChange({ ...query, eventTypes: values(items) })}
              filterOption={matchOption}
              allowCustomValue
              width={50}
            />
          </div>
        </InlineField>
      </InlineFieldRow>
    </div>
  );
}
