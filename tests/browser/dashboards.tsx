/*
 * Dashboard pictures for the README: lays out one provisioned dashboard's panels by their
 * gridPos, as Grafana's grid does, and draws each with @grafana/ui from the plugin's real answers
 * against the simulator (pkg/plugin TestWriteDashboardFrames writes them). ?d=<file name without
 * .json> picks the dashboard; window.shots.ready tells dashboards.mjs when it is drawn.
 */
import React from 'react';
import { createRoot } from 'react-dom/client';
import { DataFrameJSON, GrafanaTheme2, TimeRange, createTheme, dateTime } from '@grafana/data';
import { GlobalStyles, ThemeContext } from '@grafana/ui';

import { PanelModel } from './dashboards-fields';
import { DashboardPanel } from './dashboards-panels';

declare global {
  interface Window {
    shots: { ready: boolean; error?: string };
  }
}

/** What TestWriteDashboardFrames writes for one dashboard. */
interface Answers {
  from: string;
  to: string;
  service: string;
  serviceName: string;
  frames: Record<string, DataFrameJSON[]>;
}

interface Dashboard {
  title: string;
  panels: PanelModel[];
}

// Grafana's grid: 24 columns, 30 px rows, 8 px between panels.
const pageWidth = 1280;
const cellHeight = 30;
const margin = 8;
const columnWidth = (pageWidth - 23 * margin) / 24;

function box(p: PanelModel) {
  return {
    left: p.gridPos.x * (columnWidth + margin),
    top: p.gridPos.y * (cellHeight + margin),
    width: p.gridPos.w * columnWidth + (p.gridPos.w - 1) * margin,
    height: p.gridPos.h * cellHeight + (p.gridPos.h - 1) * margin,
  };
}

/** Every panel and row header to draw: a row's own panels (collapsed or not) after it. */
function flatten(panels: PanelModel[]): PanelModel[] {
  return panels.flatMap((p) => (p.type === 'row' ? [p, ...(p.panels ?? [])] : [p]));
}

function DashboardView({ dash, answers, theme }: { dash: Dashboard; answers: Answers; theme: GrafanaTheme2 }) {
  const timeRange: TimeRange = React.useMemo(() => {
    const from = dateTime(answers.from);
    const to = dateTime(answers.to);
    return { from, to, raw: { from, to } };
  }, [answers]);
  const replaceVariables = React.useCallback(
    (s: string) =>
      s.replace(/\$\{service:text\}/g, answers.serviceName).replace(/\$\{service\}|\$service\b/g, answers.service),
    [answers]
  );
  const panels = flatten(dash.panels);
  const bottom = Math.max(...panels.map((p) => box(p).top + box(p).height));
  const range = `${answers.from.replace('T', ' ').slice(0, 16)} to ${answers.to.replace('T', ' ').slice(0, 16)} UTC`;
  return (
    <div id="dashboard" style={{ padding: 16, width: pageWidth + 32, background: theme.colors.background.canvas }}>
      <div style={{ display: 'flex', gap: 24, alignItems: 'baseline', marginBottom: 12 }}>
        <h2 style={{ margin: 0 }}>{dash.title}</h2>
        <span style={{ color: theme.colors.text.secondary }}>
          service = {answers.serviceName} ({answers.service}) · {range} · simulator data
        </span>
      </div>
      <div style={{ position: 'relative', height: bottom }}>
        {panels.map((p) => {
          const b = box(p);
          if (p.type === 'row') {
            return (
              <h3
                key={p.id}
                data-row={p.title}
                style={{ position: 'absolute', ...b, margin: 0, lineHeight: `${b.height}px`, fontSize: 18 }}
              >
                {p.title}
              </h3>
            );
          }
          return (
            <div key={p.id} style={{ position: 'absolute', left: b.left, top: b.top }}>
              <DashboardPanel
                panel={p}
                answers={answers.frames}
                width={b.width}
                height={b.height}
                theme={theme}
                timeRange={timeRange}
                replaceVariables={replaceVariables}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}

async function load(name: string): Promise<[Dashboard, Answers]> {
  const get = async (url: string) => {
    const r = await fetch(url);
    if (!r.ok) {
      throw new Error(`${url}: ${r.status}`);
    }
    return r.json();
  };
  return Promise.all([get(`/dashboards/${name}.json`), get(`/frames/${name}.frames.json`)]);
}

window.shots = { ready: false };
const name = new URLSearchParams(window.location.search).get('d') ?? 'fastly-overview';
load(name).then(
  ([dash, answers]) => {
    const theme = createTheme({ colors: { mode: 'dark' } });
    createRoot(document.getElementById('root')!).render(
      <ThemeContext.Provider value={theme}>
        <GlobalStyles />
        <DashboardView dash={dash} answers={answers} theme={theme} />
      </ThemeContext.Provider>
    );
    window.shots.ready = true;
  },
  (err: Error) => {
    window.shots.error = err.message;
  }
);
