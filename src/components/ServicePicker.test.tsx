import React from 'react';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BackendSrv, TemplateSrv, setBackendSrv, setTemplateSrv } from '@grafana/runtime';

import { ServicePicker, exclusiveAll } from './ServicePicker';
import { fakeBackend, fakeTemplateSrv, makeDataSource } from '../testing/fakes';
import { ServiceInfo } from '../types';

let backend: ReturnType<typeof fakeBackend>;

beforeEach(() => {
  backend = fakeBackend();
  setBackendSrv({ fetch: backend.fetch } as unknown as BackendSrv);
  setTemplateSrv(fakeTemplateSrv() as unknown as TemplateSrv);
});

async function setup(value: string[]) {
  const onChange = jest.fn();
  render(<ServicePicker datasource={makeDataSource()} value={value} onChange={onChange} inputId="services" />);
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
  return { onChange, input: document.getElementById('services')! };
}

describe('exclusiveAll', () => {
  it('keeps lists without the all-services marker', () => {
    expect(exclusiveAll(['a'], ['a', 'b'])).toEqual(['a', 'b']);
  });
  it('replaces services with All services when it is chosen', () => {
    expect(exclusiveAll(['a', 'b'], ['a', 'b', '*'])).toEqual(['*']);
  });
  it('replaces All services when a service is chosen after it', () => {
    expect(exclusiveAll(['*'], ['*', 'a'])).toEqual(['a']);
  });
});

describe('ServicePicker', () => {
  it('shows chosen services by name', async () => {
    await setup(['7i6HN3TK9wS159v2gPAZ8A', '$service']);
    expect(screen.getByText('shop.example.com')).toBeInTheDocument();
    expect(screen.getByText('$service')).toBeInTheDocument();
  });

  it('shows an unknown id as it is', async () => {
    await setup(['deletedServiceId']);
    expect(screen.getByText('deletedServiceId')).toBeInTheDocument();
  });

  it('searches by id as well as by name, case-insensitively', async () => {
    const user = userEvent.setup();
    const { input } = await setup([]);
    await user.click(input);
    await user.type(input, 'su1z0');
    expect(screen.getByText('www.example.com')).toBeInTheDocument();
    expect(screen.queryByText('shop.example.com')).toBeNull();
  });

  it('handles a thousand services and loads them once', async () => {
    const many: ServiceInfo[] = Array.from({ length: 1000 }, (_, i) => ({
      id: `id${i}`,
      name: `tenant-${i}.example.net`,
      type: 'vcl',
    }));
    backend.answer.mockResolvedValueOnce(many);
    const user = userEvent.setup();
    const { input, onChange } = await setup([]);
    await user.click(input);
    await user.type(input, 'tenant-987.');
    await user.keyboard('{Enter}');
    expect(onChange).toHaveBeenCalledWith(['id987']);
    expect(backend.calls.filter((c) => c.path === 'services')).toHaveLength(1);
  });

  it('says when services could not be loaded, and still accepts a typed id', async () => {
    backend.answer.mockRejectedValueOnce({ status: 401, data: { message: 'invalid Fastly API token' } });
    const user = userEvent.setup();
    const { input, onChange } = await setup([]);
    expect(screen.getByText('Could not load services: invalid Fastly API token')).toBeInTheDocument();
    await user.type(input, 'SU1Z0isxPaozGVKXdv0eY');
    await user.keyboard('{Enter}');
    expect(onChange).toHaveBeenCalledWith(['SU1Z0isxPaozGVKXdv0eY']);
  });
});
