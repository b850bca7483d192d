import React from 'react';
import { InlineField, MultiSelect, Text } from '@grafana/ui';

import { EVENT_TYPES } from '../types';
import { DEFAULT_EVENT_LABELS, EventTypeFields, eventTypeFields, shownEventTypes } from './eventTypes';
import { matchOption, selected, values } from './options';
import { selectors } from './selectors';

const HELP = `${DEFAULT_EVENT_LABELS} are chosen unless you remove them. Each annotation has the event's time, a title, a text saying who did what to which service, and tags (the event type and the service name).`;

/** Said in place of the help when nothing is chosen, so an empty panel is never a surprise. */
export const NO_EVENT_TYPES = `No event types chosen: this query shows no events. Choose at least one; ${DEFAULT_EVENT_LABELS} are the usual ones.`;

/**
 * The event types an events query (an annotation, or an Events panel query) shows: the
 * defaults are chosen to begin with, and each can be removed like any other type.
 */
export function EventTypesField({
  value,
  onChange,
  labelWidth,
}: {
  value: EventTypeFields;
  onChange: (fields: Required<EventTypeFields>) => void;
  labelWidth: number;
}) {
  const shown = shownEventTypes(value);
  return (
    <>
      <InlineField
        label="Event types"
        labelWidth={labelWidth}
        grow
        tooltip={`The Fastly events that become annotations. ${DEFAULT_EVENT_LABELS} are chosen by default; remove any of them to turn it off.`}
      >
        <div data-testid={selectors.annotation.eventTypes}>
          <MultiSelect<string>
            inputId="fastly-annotation-event-types"
            aria-label="Event types"
            options={EVENT_TYPES}
            value={selected(shown, EVENT_TYPES)}
            onChange={(items) => onChange(eventTypeFields(values(items)))}
            filterOption={matchOption}
            allowCustomValue
            placeholder="None: no events"
            width={50}
          />
        </div>
      </InlineField>
      {shown.length === 0 ? (
        <div data-testid={selectors.annotation.noEventTypes}>
          <Text element="p" color="warning" variant="bodySmall">
            {NO_EVENT_TYPES}
          </Text>
        </div>
      ) : (
        <div data-testid={selectors.annotation.defaults}>
          <Text element="p" color="secondary" variant="bodySmall">
            {HELP}
          </Text>
        </div>
      )}
    </>
  );
}
