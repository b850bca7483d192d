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
  it('shows the service picker, the extra event types and the defaults the backend always adds', async () => {
    await setup({ ...DEFAULT_ANNOTATION_QUERY, refId: 'Anno' });
    expect(screen.getByTestId(selectors.query.services)).toHaveTextContent('All services');
    expect(screen.getByTestId(selectors.annotation.eventTypes)).toHaveTextContent('None: only the events below');
    const defaults = screen.getByTestId(selectors.annotation.defaults);
    for (const type of DEFAULT_EVENT_TYPES) {
      expect(defaults).toHaveTextContent(type);
    }
    expect(defaults).toHaveTextContent('Version activated');
    expect(defaults).toHaveTextContent('Purge all');
    expect(screen.queryByTestId(selectors.query.metrics)).toBeNull();
    expect(screen.queryByTestId(selectors.query.queryType)).toBeNull();
  });

  it('offers only event types beyond the defaults', async () => {
    const user = userEvent.setup();
    await setup({ ...DEFAULT_ANNOTATION_QUERY, refId: 'Anno' });
    await user.click(document.getElementById('fastly-annotation-event-types')!);
    const menu = await screen.findByLabelText('Select options menu');
    const offered = within(menu)
      .getAllByRole('option')
      .map((o) => o.textContent ?? '');
    expect(offered.some((o) => o.startsWith('Version created'))).toBe(true);
    expect(offered.some((o) => o.startsWith('Service deleted'))).toBe(true);
    for (const always of ['Version activated', 'Version deactivated', 'Purge all']) {
      expect(offered.some((o) => o.startsWith(always))).toBe(false);
    }
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
    });
  });

  it('still shows a default event type an older query listed', async () => {
    await setup({ ...DEFAULT_ANNOTATION_QUERY, refId: 'Anno', eventTypes: ['version.activate'] });
    expect(screen.getByTestId(selectors.annotation.eventTypes)).toHaveTextContent('Version activated');
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
