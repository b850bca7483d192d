import { DEFAULT_EVENT_TYPES, EVENT_TYPES, FastlyQuery } from '../types';

/** The two fields that decide which events an events query shows. */
export type EventTypeFields = Pick<FastlyQuery, 'eventTypes' | 'excludeEventTypes'>;

/**
 * The event types an events query shows, as the backend reads them: the defaults and the types
 * it adds, less the ones it turns off (which wins when a type is in both).
 */
export function shownEventTypes(q: EventTypeFields): string[] {
  const off = q.excludeEventTypes ?? [];
  return [...new Set([...DEFAULT_EVENT_TYPES, ...(q.eventTypes ?? [])])].filter((t) => !off.includes(t));
}

/**
 * The fields that make a query show exactly `chosen`: defaults left out are turned off, other
 * types added. Two lists rather than one, so queries saved when eventTypes only added to the
 * defaults keep showing them.
 */
export function eventTypeFields(chosen: string[]): Required<EventTypeFields> {
  return {
    eventTypes: chosen.filter((t) => !DEFAULT_EVENT_TYPES.includes(t)),
    excludeEventTypes: DEFAULT_EVENT_TYPES.filter((t) => !chosen.includes(t)),
  };
}

/** The editor's name of an event type, or the type itself for one it does not know. */
export const eventTypeLabel = (type: string) => EVENT_TYPES.find((e) => e.value === type)?.label ?? type;

const defaultLabels = DEFAULT_EVENT_TYPES.map(eventTypeLabel);

/** The default event types as the editor names them: "Version activated, ... and Purge all". */
export const DEFAULT_EVENT_LABELS = `${defaultLabels.slice(0, -1).join(', ')} and ${defaultLabels[defaultLabels.length - 1]}`;
