import React from 'react';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BackendSrv, TemplateSrv, setBackendSrv, setTemplateSrv } from '@grafana/runtime';

import { AnnotationQueryEditor } from './AnnotationQueryEditor';
import { selectors } from './selectors';
import { fakeBackend, fakeTemplateSrv, makeDataSource } from '../testing/fakes';
import { DEFAULT_ANNOTATION_QUERY, DEFAULT_EVENT_TYPES, FastlyQuery } from '../types';

beforeEach(() => {
  setBackendSrv({ fetch: fakeBackend().fetch } as unknown as BackendSrv);
  setTemplateSrv(fakeTemplateSrv() as unknown as TemplateSrv);
});

async function setup(query: Partial<FastlyQuery>) {
  const onChange = jest.fn();
  render(
    <AnnotationQueryEditor
      query={query as FastlyQuery}
      onChange={onChange}
      onRunQuery={jest.fn()}
      datasource={makeDataSource()}
    />
  );
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
  return { onChange };
}

describe('AnnotationQueryEditor', () => {
  it('shows the service picker and the event types, the defaults chosen', async () => {
    await setup({ ...DEFAULT_ANNOTATION_QUERY, refId: 'Anno' });
    expect(screen.getByTestId(selectors.query.services)).toHaveTextContent('All services');
    const picker = screen.getByTestId(selectors.annotation.eventTypes);
    for (const label of ['Version activated', 'Version deactivated', 'Purge all']) {
      expect(picker).toHaveTextContent(label);
    }
    expect(screen.getByTestId(selectors.annotation.defaults)).toHaveTextContent(
      'Version activated, Version deactivated and Purge all are chosen unless you remove them'
    );
    expect(screen.queryByTestId(selectors.annotation.noEventTypes)).toBeNull();
    expect(screen.queryByTestId(selectors.query.metrics)).toBeNull();
    expect(screen.queryByTestId(selectors.query.queryType)).toBeNull();
  });

  it('offers the event types not chosen yet', async () => {
    const user = userEvent.setup();
    await setup({ ...DEFAULT_ANNOTATION_QUERY, refId: 'Anno', excludeEventTypes: ['service.purge_all'] });
    await user.click(document.getElementById('fastly-annotation-event-types')!);
    const menu = await screen.findByLabelText('Select options menu');
    const offered = within(menu)
      .getAllByRole('option')
      .map((o) => o.textContent ?? '');
    for (const label of ['Purge all', 'Version created', 'Service deleted']) {
      expect(offered.some((o) => o.startsWith(label))).toBe(true);
    }
    expect(offered.some((o) => o.startsWith('Version activated'))).toBe(false);
  });

  it('adds an event type to an events query', async () => {
    const user = userEvent.setup();
    const { onChange } = await setup({ ...DEFAULT_ANNOTATION_QUERY, refId: 'Anno' });
    const input = document.getElementById('fastly-annotation-event-types')!;
    await user.click(input);
    await user.type(input, 'version created');
    await user.keyboard('{Enter}');
    expect(onChange).toHaveBeenLastCalledWith({
      ...DEFAULT_ANNOTATION_QUERY,
      refId: 'Anno',
      eventTypes: ['version.create'],
      excludeEventTypes: [],
    });
  });

  it('turns a default event type off', async () => {
    const user = userEvent.setup();
    const { onChange } = await setup({ ...DEFAULT_ANNOTATION_QUERY, refId: 'Anno' });
    const chip = within(screen.getByTestId(selectors.annotation.eventTypes)).getByText('Purge all').parentElement!;
    await user.click(within(chip).getByRole('button', { name: 'Remove' }));
    expect(onChange).toHaveBeenLastCalledWith({
      ...DEFAULT_ANNOTATION_QUERY,
      refId: 'Anno',
      eventTypes: [],
      excludeEventTypes: ['service.purge_all'],
    });
  });

  it('says what happens when no event type is left', async () => {
    await setup({ ...DEFAULT_ANNOTATION_QUERY, refId: 'Anno', excludeEventTypes: [...DEFAULT_EVENT_TYPES] });
    expect(screen.getByTestId(selectors.annotation.eventTypes)).toHaveTextContent('None: no events');
    expect(screen.getByTestId(selectors.annotation.noEventTypes)).toHaveTextContent(
      'No event types chosen: this query shows no events. Choose at least one'
    );
    expect(screen.queryByTestId(selectors.annotation.defaults)).toBeNull();
  });

  it('still shows what an older query added, with the defaults', async () => {
    await setup({ ...DEFAULT_ANNOTATION_QUERY, refId: 'Anno', eventTypes: ['version.activate', 'version.create'] });
    const picker = screen.getByTestId(selectors.annotation.eventTypes);
    expect(picker).toHaveTextContent('Version activated');
    expect(picker).toHaveTextContent('Purge all');
    expect(picker).toHaveTextContent('Version created');
  });

  it('turns an empty annotation target into an events query when a service replaces All services', async () => {
    const user = userEvent.setup();
    const { onChange } = await setup({ refId: 'Anno' });
    const input = document.getElementById('fastly-annotation-services')!;
    await user.click(input);
    await user.type(input, 'www');
    await user.keyboard('{Enter}');
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({
        queryType: 'events',
        services: ['SU1Z0isxPaozGVKXdv0eY'],
        eventTypes: [],
        metrics: [],
      })
    );
  });
});
