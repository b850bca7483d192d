import React from 'react';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BackendSrv, TemplateSrv, setBackendSrv, setTemplateSrv } from '@grafana/runtime';

import { AnnotationQueryEditor } from './AnnotationQueryEditor';
import { selectors } from './selectors';
import { fakeBackend, fakeTemplateSrv, makeDataSource } from '../testing/fakes';
import { DEFAULT_ANNOTATION_QUERY, FastlyQuery } from '../types';

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
  it('shows the service picker and the event types, and no metric fields', async () => {
    await setup({ ...DEFAULT_ANNOTATION_QUERY, refId: 'Anno' });
    expect(screen.getByTestId(selectors.query.services)).toHaveTextContent('All services');
    expect(screen.getByTestId(selectors.annotation.eventTypes)).toHaveTextContent('Version activated');
    expect(screen.queryByTestId(selectors.query.metrics)).toBeNull();
    expect(screen.queryByTestId(selectors.query.queryType)).toBeNull();
  });

  it('adds an event type to an events query', async () => {
    const user = userEvent.setup();
    const { onChange } = await setup({ ...DEFAULT_ANNOTATION_QUERY, refId: 'Anno' });
    const input = document.getElementById('fastly-annotation-event-types')!;
    await user.click(input);
    await user.type(input, 'purge');
    await user.keyboard('{Enter}');
    expect(onChange).toHaveBeenLastCalledWith({
      ...DEFAULT_ANNOTATION_QUERY,
      refId: 'Anno',
      eventTypes: ['version.activate', 'service.purge_all'],
    });
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
        eventTypes: ['version.activate'],
        metrics: [],
      })
    );
  });
});
