/*
 * Browser harness: loads the BUILT plugin (dist/module.js, an AMD module with @grafana/*, React
 * and rxjs as externals) the way Grafana does, handing it this bundle's copies of those
 * libraries, and renders its query and config editors outside Grafana against a fake backend.
 * The page shows the editors' current JSON in #query-json and #config-json for run.mjs to read.
 */
import React, { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import * as rxjs from 'rxjs';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import {
  CoreApp,
  DataFrameJSON,
  DataQueryRequest,
  MetricFindValue,
  GrafanaTheme2,
  applyFieldOverrides,
  createTheme,
  dataFrameFromJSON,
} from '@grafana/data';
import { BackendSrv, TemplateSrv, setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { GlobalStyles, Table, ThemeContext } from '@grafana/ui';

import { RESOURCES } from './resources';
import { TOP_URLS_FRAME, configSettings, instanceSettings } from '../../src/testing/fixtures';
// type only: the harness never bundles src/, it loads the built dist/module.js
import type { plugin as builtPlugin } from '../../src/module';
import type { FastlyQuery, FastlyVariableQuery } from '../../src/types';

type Plugin = typeof builtPlugin;

declare global {
  interface Window {
    define?: AmdDefine;
    __grafana_public_path__?: string;
    harness: { ready: boolean; runs: number; requests: string[]; error?: string };
  }
}
type AmdDefine = ((deps: string[], factory: (...mods: unknown[]) => unknown) => void) & { amd?: object };

window.harness = { ready: false, runs: 0, requests: [] };
window.__grafana_public_path__ = '/public/';

// Resource routes answered like the Go backend would, from canned data.
setBackendSrv({
  fetch: (req: { url: string; params?: Record<string, string> }) => {
    const path = req.url.replace(/^.*\/resources\//, '');
    window.harness.requests.push(path + (req.params?.queryType ? `?queryType=${req.params.queryType}` : ''));
    const route = path === 'metrics' ? RESOURCES.metrics[req.params?.queryType ?? 'stats'] : RESOURCES[path];
    if (route === undefined) {
      return rxjs.throwError(() => ({ status: 404, data: { message: `no route ${path}` } }));
    }
    return rxjs.of({ data: route, status: 200, ok: true }).pipe(rxjs.delay(20));
  },
} as unknown as BackendSrv);

setTemplateSrv({
  // a custom variable (any picker) and a Fastly POP variable (the POP picker only)
  getVariables: () => [
    { name: 'service', type: 'custom' },
    { name: 'pop', type: 'query', datasource: { type: 'opsdeck-fastly-datasource' }, query: { kind: 'pops' } },
  ],
  replace: (s?: string) => s ?? '',
  containsTemplate: (s?: string) => !!s?.includes('$'),
  updateTimeRange: () => {},
} as unknown as TemplateSrv);

/** Loads dist/module.js through a one-module AMD `define`. */
function loadPlugin(): Promise<Plugin> {
  const libs: Record<string, unknown> = {
    '@grafana/data': grafanaData,
    '@grafana/runtime': grafanaRuntime,
    '@grafana/ui': grafanaUi,
    react: React,
    rxjs,
    module: { uri: '/dist/module.js' },
  };
  return new Promise((resolve, reject) => {
    const define: AmdDefine = (deps, factory) => {
      const missing = deps.filter((d) => !(d in libs));
      if (missing.length > 0) {
        reject(new Error(`built module needs ${missing.join(', ')}`));
        return;
      }
      const exported = factory(...deps.map((d) => libs[d])) as { plugin: Plugin };
      resolve(exported.plugin);
    };
    define.amd = {};
    window.define = define;
    const script = document.createElement('script');
    script.src = '/dist/module.js';
    script.onerror = () => reject(new Error('could not load /dist/module.js'));
    document.head.appendChild(script);
  });
}

const harnessSettings = instanceSettings('fastly-harness', '/dist/module.js');

/** The top-URL frame as Grafana's table panel shows it (units and display names applied). */
function TopUrlsTable({ theme }: { theme: GrafanaTheme2 }) {
  const frame = React.useMemo(
    () =>
      applyFieldOverrides({
        data: [dataFrameFromJSON(TOP_URLS_FRAME as unknown as DataFrameJSON)],
        fieldConfig: { defaults: {}, overrides: [] },
        replaceVariables: (s: string) => s,
        theme,
        timeZone: 'utc',
      })[0],
    [theme]
  );
  return <Table data={frame} width={900} height={412} />;
}

type Datasource = InstanceType<Plugin['DataSourceClass']>;

/**
 * The values a variable query lists, as Grafana's variable editor previews them: the query runs
 * through the data source's variable support, and the texts of the first values show.
 */
function VariablePreview({ datasource, variable }: { datasource: Datasource; variable: FastlyVariableQuery }) {
  const [texts, setTexts] = useState<string[]>([]);
  useEffect(() => {
    const request = { targets: [variable], scopedVars: {}, requestId: 'preview' };
    const support = datasource.variables as unknown as {
      query: (r: DataQueryRequest<FastlyVariableQuery>) => rxjs.Observable<{ data: MetricFindValue[] }>;
    };
    const sub = support
      .query(request as unknown as DataQueryRequest<FastlyVariableQuery>)
      .subscribe((rsp) => setTexts(rsp.data.map((v) => String(v.text))));
    return () => sub.unsubscribe();
  }, [datasource, variable]);
  return (
    <p id="variable-values" data-count={texts.length}>
      Preview of values: {texts.slice(0, 3).join(', ')}
      {texts.length > 3 ? ` and ${texts.length - 3} more` : ''}
    </p>
  );
}

function App({ plugin, theme }: { plugin: Plugin; theme: GrafanaTheme2 }) {
  const datasource = React.useMemo(() => new plugin.DataSourceClass(harnessSettings), [plugin]);
  const [query, setQuery] = useState(
    () => ({ ...datasource.getDefaultQuery(CoreApp.Dashboard), refId: 'A' }) as FastlyQuery
  );
  const [settings, setSettings] = useState(configSettings({ uid: 'fastly-harness' }));
  const [variable, setVariable] = useState<FastlyVariableQuery>({ refId: 'V', kind: 'services' });
  const [annotation, setAnnotation] = useState(
    () => ({ ...datasource.annotations!.getDefaultQuery!(), refId: 'Anno' }) as FastlyQuery
  );
  // an Events query in the panel editor (from Explore, or a table of events)
  const [events, setEvents] = useState(
    () => ({ ...datasource.annotations!.getDefaultQuery!(), refId: 'E', queryType: 'events' }) as FastlyQuery
  );
  // the two query editors share their inputs' ids: one at a time, the events one on demand
  const [showEvents, setShowEvents] = useState(false);
  const QueryEditor = plugin.components.QueryEditor!;
  const ConfigEditor = plugin.components.ConfigEditor!;
  const VariableEditor = (datasource.variables as unknown as { editor: typeof QueryEditor }).editor;
  const AnnotationEditor = datasource.annotations!.QueryEditor!;
  const box = { padding: 16, maxWidth: 1000 };
  return (
    <>
      {!showEvents && (
        <section id="query-editor" style={box}>
          <h3>Query editor</h3>
          <QueryEditor
            datasource={datasource}
            query={query}
            onChange={setQuery}
            onRunQuery={() => {
              window.harness.runs++;
            }}
          />
          <pre id="query-json">{JSON.stringify(query)}</pre>
        </section>
      )}
      {showEvents && (
        <section id="events-editor" style={box}>
          <h3>Events query in the panel editor</h3>
          <QueryEditor datasource={datasource} query={events} onChange={setEvents} onRunQuery={() => {}} />
          <pre id="events-json">{JSON.stringify(events)}</pre>
        </section>
      )}
      <section id="variable-editor" style={box}>
        <h3>Variable editor</h3>
        <VariableEditor
          datasource={datasource}
          query={variable as unknown as FastlyQuery}
          onChange={(q) => setVariable(q as unknown as FastlyVariableQuery)}
          onRunQuery={() => {}}
        />
        <VariablePreview datasource={datasource} variable={variable} />
        <pre id="variable-json">{JSON.stringify(variable)}</pre>
      </section>
      <section id="annotation-editor" style={box}>
        <h3>Annotation editor</h3>
        <AnnotationEditor datasource={datasource} query={annotation} onChange={setAnnotation} onRunQuery={() => {}} />
        <pre id="annotation-json">{JSON.stringify(annotation)}</pre>
      </section>
      <section id="top-urls" style={box}>
        <h3>Top URLs by requests (www.example-shop.com, sampled logs)</h3>
        <TopUrlsTable theme={theme} />
      </section>
      <section id="config-editor" style={box}>
        <h3>Config editor</h3>
        <ConfigEditor options={settings} onOptionsChange={setSettings} />
        <pre id="config-json">
          {JSON.stringify({ jsonData: settings.jsonData, secureJsonData: settings.secureJsonData })}
        </pre>
      </section>
      <button id="show-events" onClick={() => setShowEvents(true)}>
        Edit an Events query in the panel editor instead of the query above
      </button>
    </>
  );
}

loadPlugin().then(
  (plugin) => {
    const theme = createTheme({ colors: { mode: 'dark' } });
    createRoot(document.getElementById('root')!).render(
      <ThemeContext.Provider value={theme}>
        <GlobalStyles />
        <App plugin={plugin} theme={theme} />
      </ThemeContext.Provider>
    );
    window.harness.ready = true;
  },
  (err: Error) => {
    window.harness.error = err.message;
  }
);
