import React from 'react';
import { InlineField, MultiSelect, Text } from '@grafana/ui';

import { DEFAULT_EVENT_TYPES, EVENT_TYPES } from '../types';
import { matchOption, selected, values } from './options';
import { selectors } from './selectors';

const label = (type: string) => EVENT_TYPES.find((e) => e.value === type)?.label ?? type;

/** The event types the backend always asks for, as the editor names them. */
export const ALWAYS = DEFAULT_EVENT_TYPES.map((t) => `${label(t)} (${t})`).join(', ');

/** What the picker offers: the defaults need no choosing. */
const EXTRA_EVENT_TYPES = EVENT_TYPES.filter((e) => !DEFAULT_EVENT_TYPES.includes(e.value));

/**
 * The event types an events query (an annotation, or an Events panel query) adds to the ones
 * the backend always reads, with those named below it.
 */
export function EventTypesField({
  value,
  onChange,
  labelWidth,
}: {
  value: string[];
  onChange: (eventTypes: string[]) => void;
  labelWidth: number;
}) {
  return (
    <>
      <InlineField
        label="More events"
        labelWidth={labelWidth}
        grow
        tooltip={`Fastly events of these types become annotations too. ${ALWAYS} are always included.`}
      >
        <div data-testid={selectors.annotation.eventTypes}>
          <MultiSelect<string>
            inputId="fastly-annotation-event-types"
            aria-label="Event types"
            options={EXTRA_EVENT_TYPES}
            value={selected(value, EVENT_TYPES)}
            onChange={(items) => onChange(values(items))}
            filterOption={matchOption}
            allowCustomValue
            placeholder="None: only the events below"
            width={50}
          />
        </div>
      </InlineField>
      <div data-testid={selectors.annotation.defaults}>
        <Text element="p" color="secondary" variant="bodySmall">
          {`Always shown: ${ALWAYS}. Each annotation has the event's time, a title, a text saying who did what to which service, and tags (the event type and the service name).`}
        </Text>
      </div>
    </>
  );
}
