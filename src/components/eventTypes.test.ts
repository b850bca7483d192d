import { DEFAULT_EVENT_LABELS, eventTypeFields, shownEventTypes } from './eventTypes';

describe('event types of an events query', () => {
  it('shows the defaults when a query chose nothing, as queries saved before the choice did', () => {
    expect(shownEventTypes({})).toEqual(['version.activate', 'version.deactivate', 'service.purge_all']);
    expect(shownEventTypes({ eventTypes: [] })).toEqual([
      'version.activate',
      'version.deactivate',
      'service.purge_all',
    ]);
  });

  it('adds the types of eventTypes to the defaults, as the backend does', () => {
    expect(shownEventTypes({ eventTypes: ['version.create', 'version.activate'] })).toEqual([
      'version.activate',
      'version.deactivate',
      'service.purge_all',
      'version.create',
    ]);
  });

  it('leaves out what excludeEventTypes turns off, even a type eventTypes lists', () => {
    expect(
      shownEventTypes({
        eventTypes: ['version.create', 'service.purge_all'],
        excludeEventTypes: ['service.purge_all', 'version.activate'],
      })
    ).toEqual(['version.deactivate', 'version.create']);
    expect(
      shownEventTypes({ excludeEventTypes: ['version.activate', 'version.deactivate', 'service.purge_all'] })
    ).toEqual([]);
  });

  it('writes a choice as the types added and the defaults turned off, and reads it back', () => {
    for (const chosen of [
      [],
      ['service.purge_all'],
      ['version.create'],
      ['version.activate', 'version.deactivate', 'service.purge_all'],
      ['version.activate', 'service.delete', 'token.create'],
    ]) {
      const fields = eventTypeFields(chosen);
      expect([...shownEventTypes(fields)].sort()).toEqual([...chosen].sort());
    }
    expect(eventTypeFields(['service.purge_all', 'version.create'])).toEqual({
      eventTypes: ['version.create'],
      excludeEventTypes: ['version.activate', 'version.deactivate'],
    });
  });

  it('names the defaults as the picker does', () => {
    expect(DEFAULT_EVENT_LABELS).toBe('Version activated, Version deactivated and Purge all');
  });
});
