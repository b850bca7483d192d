import React from 'react';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FieldType, LoadingState, PanelData, dateTime, toDataFrame } from '@grafana/data';
import { BackendSrv, TemplateSrv, setBackendSrv, setTemplateSrv } from '@grafana/runtime';

import { QueryEditor } from './QueryEditor';
import { selectors } from './selectors';
import { fakeBackend, fakeTemplateSrv, makeDataSource } from '../testing/fakes';
import { fieldErrorCase, panelDataOf } from '../testing/fieldErrors';
import { DEFAULT_QUERY, FastlyQuery, QueryType } from '../types';

let backend: ReturnType<typeof fakeBackend>;

beforeEach(() => {
  backend = fakeBackend();
  setBackendSrv({ fetch: backend.fetch } as unknown as BackendSrv);
  setTemplateSrv(fakeTemplateSrv() as unknown as TemplateSrv);
});

function setup(over: Partial<FastlyQuery> = {}, data?: PanelData) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const datasource = makeDataSource();
  const query: FastlyQuery = { ...DEFAULT_QUERY, refId: 'A', ...over };
  const utils = render(
    <QueryEditor query={query} onChange={onChange} onRunQuery={onRunQuery} datasource={datasource} data={data} />
  );
  // rerender with what the editor asked for, as Grafana does
  onChange.mockImplementation((q: FastlyQuery) =>
    utils.rerender(
      <QueryEditor query={q} onChange={onChange} onRunQuery={onRunQuery} datasource={datasource} data={data} />
    )
  );
  return { onChange, onRunQuery, datasource, ...utils };
}

const shown = (id: string) => screen.queryByTestId(id) !== null;

/** Waits until every resource request the editor started has been answered. */
async function settle() {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
}

describe('QueryEditor fields per query type', () => {
  const q = selectors.query;
  const cases: Array<[QueryType, string[], string[]]> = [
    ['stats', [q.resolution, q.region, q.perSecond, q.groupBy], [q.pops, q.origins, q.domains]],
    // real-time data is per second already
    ['realtime', [q.pops, q.groupBy], [q.resolution, q.region, q.perSecond, q.origins, q.domains]],
    ['origins', [q.resolution, q.pops, q.origins, q.groupBy, q.perSecond], [q.region, q.domains]],
    ['domains', [q.resolution, q.pops, q.domains, q.groupBy, q.perSecond], [q.region, q.origins]],
    // usage answers a table: no series to name
    ['usage', [q.region, q.groupBy], [q.resolution, q.perSecond, q.pops, q.origins, q.domains, q.legendFormat]],
  ];

  it.each(cases)('%s shows only its fields', async (queryType, visible, hidden) => {
    setup({ queryType });
    await settle();
    for (const id of [q.queryType, q.services, q.metrics, ...visible]) {
      expect({ id, shown: shown(id) }).toEqual({ id, shown: true });
    }
    for (const id of hidden) {
      expect({ id, shown: shown(id) }).toEqual({ id, shown: false });
    }
  });

  const groupByLabels = () =>
    Array.from(screen.getByTestId(selectors.query.groupBy).querySelectorAll('label')).map((l) => l.textContent?.trim());

  it.each<[QueryType, string[]]>([
    ['stats', ['Total', 'Service']],
    ['origins', ['Total', 'Service', 'Origin', 'POP', 'Region']],
    ['domains', ['Total', 'Service', 'Domain', 'POP', 'Region']],
    ['usage', ['Total', 'Region', 'Service']],
  ])('offers the group-by choices of %s', async (queryType, labels) => {
    setup({ queryType });
    await settle();
    expect(groupByLabels()).toEqual(labels);
  });

  it('asks the backend for the metrics of the query type', async () => {
    setup({ queryType: 'realtime' });
    await settle();
    expect(backend.calls).toContainEqual({ path: 'metrics', params: { queryType: 'realtime' } });
  });
});

describe('QueryEditor choices', () => {
  it('picks a service by name and two metrics, then runs the query', async () => {
    const user = userEvent.setup();
    const { onChange, onRunQuery } = setup({ metrics: [] });
    await settle();

    const services = document.getElementById('fastly-query-services')!;
    await user.click(services);
    await user.type(services, 'shop');
    await user.keyboard('{Enter}');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ services: ['7i6HN3TK9wS159v2gPAZ8A'] }));

    const metrics = document.getElementById('fastly-query-metrics')!;
    await user.click(metrics);
    await user.type(metrics, 'hit ratio');
    await user.keyboard('{Enter}');
    await user.type(metrics, 'bandwidth');
    await user.keyboard('{Enter}');

    expect(onChange).toHaveBeenLastCalledWith({
      ...DEFAULT_QUERY,
      refId: 'A',
      services: ['7i6HN3TK9wS159v2gPAZ8A'],
      metrics: ['hit_ratio', 'bandwidth'],
    });
    expect(onRunQuery).toHaveBeenCalledTimes(3);
  });

  it('finds a service by its id', async () => {
    const user = userEvent.setup();
    const { onChange } = setup();
    await settle();
    const services = document.getElementById('fastly-query-services')!;
    await user.click(services);
    await user.type(services, '2mMCKx');
    await user.keyboard('{Enter}');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ services: ['2mMCKxEgkbfmzBNxqXZK'] }));
  });

  it('accepts a template variable typed into the service picker', async () => {
    const user = userEvent.setup();
    const { onChange } = setup();
    await settle();
    const services = document.getElementById('fastly-query-services')!;
    await user.click(services);
    await user.type(services, '$custom_var');
    await user.keyboard('{Enter}');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ services: ['$custom_var'] }));
  });

  it('offers dashboard variables and All services in the service picker', async () => {
    const user = userEvent.setup();
    setup();
    await settle();
    await user.click(document.getElementById('fastly-query-services')!);
    expect(await screen.findByText('$service')).toBeInTheDocument();
    expect(screen.getByText('All services')).toBeInTheDocument();
    expect(screen.getByText('www.example.com')).toBeInTheDocument();
  });

  it('switching type keeps metrics the new type has and a group-by it allows', async () => {
    const user = userEvent.setup();
    const { onChange, onRunQuery } = setup({ services: ['*'], metrics: ['requests', 'hit_ratio'], region: 'europe' });
    await settle();
    const type = document.getElementById('fastly-query-type')!;
    await user.click(type);
    await user.click(await screen.findByText('Origins'));
    // neither metric is an origins metric: the origins default; Total is an origins grouping;
    // the region, which origins queries do not show, is cleared rather than filtering unseen
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith({
        ...DEFAULT_QUERY,
        refId: 'A',
        queryType: 'origins',
        services: ['*'],
        metrics: ['all_responses'],
        groupBy: '',
        region: '',
      })
    );
    expect(onRunQuery).toHaveBeenCalled();
  });
  it('toggles per second and sets the legend on blur', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({ services: ['*'] });
    await settle();
    await user.click(screen.getByTestId(selectors.query.perSecond));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ perSecond: true }));
    const legend = screen.getByTestId(selectors.query.legendFormat);
    await user.type(legend, '{{{{service_name}}');
    expect(onChange).toHaveBeenCalledTimes(1);
    await user.tab();
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ legendFormat: '{{service_name}}' }));
  });

  it('shows origin hosts of the chosen services', async () => {
    const user = userEvent.setup();
    setup({ queryType: 'origins', services: ['SU1Z0isxPaozGVKXdv0eY'], metrics: ['responses'] });
    await settle();
    await user.click(document.getElementById('fastly-query-origins')!);
    expect(await screen.findByText('origin-SU1Z0isxPaozGVKXdv0eY.example.net')).toBeInTheDocument();
  });
});

describe('QueryEditor errors', () => {
  const data = (over: Partial<PanelData>): PanelData => ({
    state: LoadingState.Error,
    series: [],
    timeRange: { from: dateTime(0), to: dateTime(1), raw: { from: 'now-1h', to: 'now' } },
    ...over,
  });

  it('shows the error of its own refId only', async () => {
    setup(
      { services: ['*'] },
      data({
        errors: [
          { refId: 'A', message: 'unknown metric "hits_ratio"' },
          { refId: 'B', message: 'token lacks global:read' },
        ],
      })
    );
    await settle();
    const box = screen.getByTestId(selectors.query.errors);
    expect(box).toHaveTextContent('unknown metric "hits_ratio"');
    expect(box).not.toHaveTextContent('global:read');
  });

  it('shows warning notices of its frames', async () => {
    const frame = toDataFrame({
      refId: 'A',
      fields: [{ name: 'time', type: FieldType.time, values: [1] }],
      meta: { notices: [{ severity: 'warning', text: 'the last 2 minutes may still change' }] },
    });
    setup({ services: ['*'] }, data({ state: LoadingState.Done, series: [frame] }));
    await settle();
    expect(screen.getByTestId(selectors.query.errors)).toHaveTextContent('the last 2 minutes may still change');
  });

  /** The messages shown on editor fields, by field test id. */
  const fieldMessages = () =>
    Array.from(document.querySelectorAll('[data-testid^="fastly-query-field-"]')).flatMap((field) =>
      within(field as HTMLElement)
        .queryAllByRole('alert')
        .map((alert) => `${field.getAttribute('data-testid')}: ${alert.textContent}`)
    );

  // the backend's real answers to bad queries (src/testing/fieldErrors.generated.json)
  const runCase = (name: string, extra: Partial<PanelData> = {}) => {
    const c = fieldErrorCase(name);
    const panel = panelDataOf(c);
    setup(c.query, { ...panel, ...extra, series: [...panel.series, ...(extra.series ?? [])] });
    return c.response.results.A.error;
  };

  it('shows an unknown metric next to the metric picker', async () => {
    const message = runCase('unknown metric');
    await settle();
    const field = screen.getByTestId(selectors.query.field('metrics'));
    expect(within(field).getByTestId(selectors.query.metrics)).toBeInTheDocument();
    expect(within(field).getByRole('alert')).toHaveTextContent(message);
    expect(fieldMessages()).toEqual([`${selectors.query.field('metrics')}: ${message}`]);
    expect(screen.queryByTestId(selectors.query.errors)).toBeNull();
  });

  it('shows a service error next to the service picker', async () => {
    const message = runCase('no service');
    await settle();
    const field = screen.getByTestId(selectors.query.field('services'));
    expect(within(field).getByTestId(selectors.query.services)).toBeInTheDocument();
    expect(within(field).getByRole('alert')).toHaveTextContent(message);
    expect(fieldMessages()).toEqual([`${selectors.query.field('services')}: ${message}`]);
    expect(screen.queryByTestId(selectors.query.errors)).toBeNull();
  });

  it('shows a Fastly failure in the general block, on no field', async () => {
    const message = runCase('Fastly failed');
    await settle();
    expect(screen.getByTestId(selectors.query.errors)).toHaveTextContent(message);
    expect(fieldMessages()).toEqual([]);
  });

  it('puts the error on its field and keeps warnings general', async () => {
    const warning = 'the last 2 minutes may still change';
    const errorSpy = jest.spyOn(console, 'error');
    const frame = toDataFrame({
      refId: 'A',
      fields: [{ name: 'time', type: FieldType.time, values: [1] }],
      meta: { notices: [{ severity: 'warning', text: warning }] },
    });
    const message = runCase('unknown region', { series: [frame] });
    await settle();
    expect(fieldMessages()).toEqual([`${selectors.query.field('region')}: ${message}`]);
    const box = screen.getByTestId(selectors.query.errors);
    expect(box).toHaveTextContent(warning);
    expect(box).not.toHaveTextContent(message);
    // InlineField hands `invalid` to its child: no control may pass it on to the DOM
    const logged = errorSpy.mock.calls.map((c) => String(c[0]));
    errorSpy.mockRestore();
    expect(logged).not.toContainEqual(expect.stringContaining('attribute'));
  });

  it('keeps an error about a field the view does not show in the general block', async () => {
    // a live Origin Inspector panel has no region field
    const message = runCase('region live');
    await settle();
    expect(screen.queryByTestId(selectors.query.field('region'))).toBeNull();
    expect(screen.getByTestId(selectors.query.errors)).toHaveTextContent(message);
    expect(fieldMessages()).toEqual([]);
  });

  it('shows nothing when the query ran cleanly', async () => {
    setup({ services: ['*'] }, data({ state: LoadingState.Done, errors: [{ refId: 'B', message: 'other' }] }));
    await settle();
    expect(screen.queryByTestId(selectors.query.errors)).toBeNull();
  });
});

describe('QueryEditor with an events query', () => {
  it('keeps the Events type selectable and hides the metric picker', async () => {
    setup({ queryType: 'events', services: ['*'], metrics: [], eventTypes: ['version.activate'] });
    await settle();
    expect(screen.getByTestId(selectors.query.queryType)).toHaveTextContent('Events');
    expect(screen.queryByTestId(selectors.query.metrics)).toBeNull();
  });

  it('offers the event types, as the annotation editor does', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({ queryType: 'events', services: ['*'], metrics: [], eventTypes: [] });
    await settle();
    expect(screen.getByTestId(selectors.annotation.eventTypes)).toHaveTextContent('Version activated');
    await user.click(document.getElementById('fastly-annotation-event-types')!);
    await user.click(await screen.findByText('Version created'));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ eventTypes: ['version.create'], excludeEventTypes: [] })
    );
  });
});

describe('QueryEditor live inspector queries', () => {
  const q = selectors.query;

  it.each<QueryType>(['stats', 'realtime', 'usage'])('%s has no Live switch', async (queryType) => {
    setup({ queryType, services: ['*'] });
    await settle();
    expect(shown(q.live)).toBe(false);
  });

  it('turning Live on for origins hides the historical fields and resets what live cannot use', async () => {
    const user = userEvent.setup();
    const { onChange, onRunQuery } = setup({
      queryType: 'origins',
      services: ['SU1Z0isxPaozGVKXdv0eY'],
      metrics: ['responses', 'origin_latency_heatmap'],
      groupBy: 'origin',
      origins: ['origin-SU1Z0isxPaozGVKXdv0eY.example.net'],
      resolution: 'minute',
    });
    await settle();
    for (const id of [q.live, q.resolution, q.origins, q.groupBy, q.pops, q.perSecond]) {
      expect({ id, shown: shown(id) }).toEqual({ id, shown: true });
    }

    await user.click(screen.getByTestId(q.live));
    expect(onChange).toHaveBeenLastCalledWith({
      ...DEFAULT_QUERY,
      refId: 'A',
      queryType: 'origins',
      services: ['SU1Z0isxPaozGVKXdv0eY'],
      metrics: ['all_responses'],
      // remembered by the editor for when live is turned off again
      resolution: 'auto',
      groupBy: '',
      live: true,
    });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    await settle();
    // live data is per second already
    for (const id of [q.resolution, q.region, q.origins, q.domains, q.perSecond]) {
      expect({ id, shown: shown(id) }).toEqual({ id, shown: false });
    }
    for (const id of [q.live, q.pops, q.groupBy, q.metrics]) {
      expect({ id, shown: shown(id) }).toEqual({ id, shown: true });
    }
    const labels = Array.from(screen.getByTestId(q.groupBy).querySelectorAll('label')).map((l) =>
      l.textContent?.trim()
    );
    expect(labels).toEqual(['Total', 'Service', 'POP']);
  });

  it('turning Live on keeps a POP grouping and clears the domain filter', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({
      queryType: 'domains',
      services: ['*'],
      metrics: ['edge_requests'],
      groupBy: 'pop',
      pops: ['AMS'],
      domains: ['www.example.com'],
    });
    await settle();
    await user.click(screen.getByTestId(q.live));
    const sent = onChange.mock.lastCall[0] as FastlyQuery;
    expect(sent).toEqual(expect.objectContaining({ live: true, groupBy: 'pop', pops: ['AMS'] }));
    expect(sent).not.toHaveProperty('domains');
  });

  it('turning Live off brings the historical fields back', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({
      queryType: 'origins',
      services: ['*'],
      metrics: ['responses'],
      groupBy: 'pop',
      live: true,
    });
    await settle();
    expect(shown(q.resolution)).toBe(false);
    await user.click(screen.getByTestId(q.live));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ live: false, groupBy: 'pop' }));
    await settle();
    expect(shown(q.resolution)).toBe(true);
    expect(shown(q.origins)).toBe(true);
  });

  it('keeps live when switching between origins and domains, and drops it for other types', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({ queryType: 'origins', services: ['*'], metrics: ['responses'], live: true });
    await settle();
    await user.click(document.getElementById('fastly-query-type')!);
    await user.click(await screen.findByText('Domains'));
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ queryType: 'domains', live: true, metrics: ['edge_requests'], groupBy: '' })
      )
    );
    await user.click(document.getElementById('fastly-query-type')!);
    await user.click(await screen.findByText('Real-time'));
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ queryType: 'realtime' })));
    expect(onChange.mock.lastCall[0]).not.toHaveProperty('live');
  });
});

describe('QueryEditor metrics per query type', () => {
  /** Opens the metric menu and returns the option labels it shows. */
  async function menuLabels(user: ReturnType<typeof userEvent.setup>) {
    await user.click(document.getElementById('fastly-query-metrics')!);
    const menu = await screen.findByLabelText('Select options menu');
    return within(menu)
      .queryAllByRole('option')
      .map((o) => o.textContent ?? '');
  }

  it('offers the latency heatmap for historical origins queries, with what it is for', async () => {
    const user = userEvent.setup();
    setup({ queryType: 'origins', services: ['*'], metrics: ['responses'] });
    await settle();
    const labels = await menuLabels(user);
    const heatmap = labels.find((l) => l.includes('Origin latency heatmap'));
    expect(heatmap).toContain('Responses per latency bucket');
    expect(labels.filter((l) => l.includes('Origin latency heatmap'))).toHaveLength(1);
  });

  it.each<[string, Partial<FastlyQuery>]>([
    ['domains', { queryType: 'domains', metrics: ['edge_requests'] }],
    ['live origins', { queryType: 'origins', metrics: ['responses'], live: true }],
    ['stats', { queryType: 'stats', metrics: ['requests'] }],
  ])('does not offer the heatmap for %s', async (_name, over) => {
    const user = userEvent.setup();
    setup({ services: ['*'], ...over });
    await settle();
    const labels = await menuLabels(user);
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.some((l) => l.includes('heatmap'))).toBe(false);
  });

  it('switching type in the editor replaces metrics the new type lacks', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({ services: ['*'], metrics: ['hit_ratio'], groupBy: 'service' });
    await settle();
    await user.click(document.getElementById('fastly-query-type')!);
    await user.click(await screen.findByText('Domains'));
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ queryType: 'domains', metrics: ['edge_requests'], groupBy: 'service' })
      )
    );
  });
});

describe('QueryEditor usage queries', () => {
  const q = selectors.query;

  it('runs without services or metrics, which mean the whole account and every total', async () => {
    setup({ queryType: 'usage', services: [], metrics: [], groupBy: 'region' });
    await settle();
    expect(backend.calls).toContainEqual({ path: 'metrics', params: { queryType: 'usage' } });
    expect(screen.getByTestId(q.metrics)).toHaveTextContent('All: Bandwidth, Requests, Requests (VCL) and Compute requests');
    expect(screen.getByTestId(q.services)).toHaveTextContent('Whole account, or choose services');
    expect(shown(q.live)).toBe(false);
    expect(shown(q.resolution)).toBe(false);
  });

  it('picks a usage metric and groups by nothing, service or region', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({ queryType: 'usage', services: [], metrics: [], groupBy: 'region' });
    await settle();
    const metrics = document.getElementById('fastly-query-metrics')!;
    await user.click(metrics);
    await user.type(metrics, 'compute');
    await user.keyboard('{Enter}');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ metrics: ['compute_requests'] }));
    await user.keyboard('{Escape}');

    await user.click(within(screen.getByTestId(q.groupBy)).getByText('Total'));
    expect(onChange).toHaveBeenLastCalledWith({
      ...DEFAULT_QUERY,
      refId: 'A',
      queryType: 'usage',
      services: [],
      metrics: ['compute_requests'],
      groupBy: '',
    });
    await user.click(within(screen.getByTestId(q.groupBy)).getByText('Service'));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ groupBy: 'service' }));
  });

  it('switching from stats to usage defaults to all metrics when none is a usage metric', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({ services: ['*'], metrics: ['hit_ratio'] });
    await settle();
    await user.click(document.getElementById('fastly-query-type')!);
    await user.click(await screen.findByText('Usage'));
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ queryType: 'usage', metrics: [], groupBy: '' })
      )
    );
  });
});

describe('QueryEditor type switches', () => {
  const q = selectors.query;

  it('switches at once, with the services just chosen, even while metric lists load', async () => {
    const user = userEvent.setup();
    // the metric lists never arrive: nothing may wait for them
    backend.answer.mockImplementation(() => new Promise(() => {}));
    const { onChange } = setup({ services: [], metrics: ['requests'] });
    await user.click(document.getElementById('fastly-query-services')!);
    await user.keyboard('$service{Enter}{Escape}');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ services: ['$service'] }));
    await user.click(document.getElementById('fastly-query-type')!);
    await user.click(await screen.findByText('Real-time'));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ queryType: 'realtime', services: ['$service'], metrics: ['requests'] })
    );
  });

  it('says what a switch dropped and restores it when switching back', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({ services: ['*'], metrics: ['hit_ratio'], region: 'europe' });
    await settle();
    await user.click(document.getElementById('fastly-query-type')!);
    await user.click(await screen.findByText('Origins'));
    expect(screen.getByTestId(q.switchNotice)).toHaveTextContent(
      'Not kept: Metrics Hit ratio (they mean something else here); Region. Switch back to Historical to restore them.'
    );
    await user.click(document.getElementById('fastly-query-type')!);
    await user.click(await screen.findByText('Historical'));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ queryType: 'stats', metrics: ['hit_ratio'], region: 'europe' })
    );
    expect(screen.queryByTestId(q.switchNotice)).toBeNull();
  });

  it.each<[Partial<FastlyQuery>, string]>([
    [{ services: [], metrics: ['requests'] }, 'Choose at least one service (or All services) to run this query.'],
    [{ services: ['*'], metrics: [] }, 'Choose at least one metric to run this query.'],
    [{ queryType: 'logs', services: [], metrics: [] }, 'Choose a service to run this query.'],
  ])('says why %j does not run', async (over, hint) => {
    setup(over);
    await settle();
    expect(screen.getByTestId(q.hint)).toHaveTextContent(hint);
  });

  it('shows no hint for a query that runs, such as usage without services or metrics', async () => {
    setup({ queryType: 'usage', services: [], metrics: [] });
    await settle();
    expect(screen.queryByTestId(q.hint)).toBeNull();
  });
});

describe('QueryEditor real-time service limit', () => {
  it('says before running that the account has too many services for All services', async () => {
    const many = Array.from({ length: 45 }, (_, i) => ({ id: `svc${i}`, name: `s${i}.example.com`, type: 'vcl' }));
    const answer = backend.answer.getMockImplementation()!;
    backend.answer.mockImplementation(async (path, params) => (path === 'services' ? many : answer(path, params)));
    setup({ queryType: 'realtime', services: ['*'] });
    await settle();
    expect(screen.getByTestId(selectors.query.liveLimit)).toHaveTextContent(
      'Real-time queries stream at most 10 services, and All services is 45 here'
    );
  });

  it('says nothing when All services fits', async () => {
    setup({ queryType: 'realtime', services: ['*'] });
    await settle();
    expect(screen.queryByTestId(selectors.query.liveLimit)).toBeNull();
  });
});

describe('QueryEditor POP map format', () => {
  const q = selectors.query;
  const lastQuery = (onChange: jest.Mock): FastlyQuery => onChange.mock.calls[onChange.mock.calls.length - 1][0];

  it.each<QueryType>(['stats', 'realtime', 'origins', 'domains'])(
    '%s can answer a POP map, grouped by POP',
    async (queryType) => {
      const user = userEvent.setup();
      const { onChange, onRunQuery } = setup({ queryType, services: ['*'], metrics: ['requests'], groupBy: '' });
      await settle();
      await user.click(within(screen.getByTestId(q.format)).getByText('POP map'));
      expect(lastQuery(onChange)).toEqual(expect.objectContaining({ format: 'popmap', groupBy: 'pop' }));
      expect(onRunQuery).toHaveBeenCalled();
      expect(shown(q.groupBy)).toBe(false);

      await user.click(within(screen.getByTestId(q.format)).getByText('Time series'));
      expect(lastQuery(onChange).format).toBeUndefined();
      expect(shown(q.groupBy)).toBe(true);
    }
  );

  it('usage has no POP map: Fastly does not split it by POP', async () => {
    setup({ queryType: 'usage' });
    await settle();
    expect(shown(q.format)).toBe(false);
  });

  it('a historical query back to time series leaves the POP grouping, which only a map has', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({
      queryType: 'stats',
      services: ['*'],
      metrics: ['requests'],
      format: 'popmap',
      groupBy: 'pop',
    });
    await settle();
    expect(shown(q.pops)).toBe(true);
    expect(shown(q.top)).toBe(false);
    await user.click(within(screen.getByTestId(q.format)).getByText('Time series'));
    expect(lastQuery(onChange)).toEqual(expect.objectContaining({ format: undefined, groupBy: '' }));
  });

  it('leaves the latency heatmap out of an origins POP map', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({
      queryType: 'origins',
      services: ['*'],
      metrics: ['origin_latency_heatmap', 'responses'],
    });
    await settle();
    await user.click(within(screen.getByTestId(q.format)).getByText('POP map'));
    expect(lastQuery(onChange).metrics).toEqual(['responses']);
  });

  it('switching to a type without POP maps drops the format, and says so', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({
      queryType: 'realtime',
      services: ['*'],
      metrics: ['requests'],
      format: 'popmap',
      groupBy: 'pop',
    });
    await settle();
    await user.click(document.getElementById('fastly-query-type')!);
    await user.click(await screen.findByText('Usage'));
    await waitFor(() => expect(lastQuery(onChange)).toEqual(expect.objectContaining({ queryType: 'usage' })));
    expect(lastQuery(onChange)).not.toHaveProperty('format');
    expect(screen.getByTestId(q.switchNotice)).toHaveTextContent('Format (POP map)');
  });
});

describe('QueryEditor top services', () => {
  const q = selectors.query;
  const lastQuery = (onChange: jest.Mock): FastlyQuery => onChange.mock.calls[onChange.mock.calls.length - 1][0];

  it('offers Top only where a stats query may cover several services', async () => {
    setup({ queryType: 'stats', services: ['SU1Z0isxPaozGVKXdv0eY'] });
    await settle();
    expect(shown(q.top)).toBe(false);
  });

  it('keeps the N services with the most, capped at 100, and clears back to every service', async () => {
    const user = userEvent.setup();
    const { onChange, onRunQuery } = setup({ queryType: 'stats', services: ['*'], metrics: ['requests'] });
    await settle();
    await user.type(screen.getByTestId(q.top), '10{Enter}');
    expect(lastQuery(onChange).top).toBe(10);
    expect(onRunQuery).toHaveBeenCalled();

    await user.clear(screen.getByTestId(q.top));
    await user.type(screen.getByTestId(q.top), '500{Enter}');
    expect(lastQuery(onChange).top).toBe(100);

    await user.clear(screen.getByTestId(q.top));
    await user.tab();
    expect(lastQuery(onChange).top).toBeUndefined();
  });

  it('drops Top when switching away from stats, and says so', async () => {
    const user = userEvent.setup();
    const { onChange } = setup({ queryType: 'stats', services: ['*'], metrics: ['requests'], top: 5 });
    await settle();
    await user.click(document.getElementById('fastly-query-type')!);
    await user.click(await screen.findByText('Real-time'));
    await waitFor(() => expect(lastQuery(onChange)).toEqual(expect.objectContaining({ queryType: 'realtime' })));
    expect(lastQuery(onChange)).not.toHaveProperty('top');
    expect(screen.getByTestId(q.switchNotice)).toHaveTextContent('Top services');
  });
});
