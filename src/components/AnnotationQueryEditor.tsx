import React, { useMemo } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow, MultiSelect, Text } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrations';
import { DEFAULT_ANNOTATION_QUERY, DEFAULT_EVENT_TYPES, EVENT_TYPES, FastlyOptions, FastlyQuery } from '../types';
import { ServicePicker } from './ServicePicker';
import { matchOption, selected, values } from './options';
import { selectors } from './selectors';

type Props = QueryEditorProps<DataSource, FastlyQuery, FastlyOptions>;

const label = (type: string) => EVENT_TYPES.find((e) => e.value === type)?.label ?? type;

/** The event types the backend always asks for, as the editor names them. */
const ALWAYS = DEFAULT_EVENT_TYPES.map((t) => `${label(t)} (${t})`).join(', ');

/** What the picker offers: the defaults need no choosing. */
const EXTRA_EVENT_TYPES = EVENT_TYPES.filter((e) => !DEFAULT_EVENT_TYPES.includes(e.value));

/**
 * Annotations from Fastly events of the chosen services: the backend always reads version
 * activations and deactivations and purge-alls; the picker adds more event types to them.
 */
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
        <InlineField
          label="More events"
          labelWidth={14}
          grow
          tooltip={`Fastly events of these types become annotations too. ${ALWAYS} are always included.`}
        >
          <div data-testid={selectors.annotation.eventTypes}>
            <MultiSelect<string>
              inputId="fastly-annotation-event-types"
              aria-label="Event types"
              options={EXTRA_EVENT_TYPES}
              value={selected(eventTypes, EVENT_TYPES)}
              onChange={(items) => onChange({ ...query, eventTypes: values(items) })}
              filterOption={matchOption}
              allowCustomValue
              placeholder="None: only the events below"
              width={50}
            />
          </div>
        </InlineField>
      </InlineFieldRow>
      <div data-testid={selectors.annotation.defaults}>
        <Text element="p" color="secondary" variant="bodySmall">
          {`Always shown: ${ALWAYS}. Each annotation has the event's time, a title, a text saying who did what to which service, and tags (the event type and the service name).`}
        </Text>
      </div>
    </div>
  );
}
