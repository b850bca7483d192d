/*
 * One provisioned dashboard panel drawn with @grafana/ui's own visualisations: TimeSeries,
 * BigValue (the stat panel's), Table and BarGauge. Panel types whose visualisation lives in
 * Grafana itself rather than in @grafana/ui are drawn with the nearest one and say so in their
 * header: geomap as a table of the same frame (no map tiles offline), bar chart as bar gauges,
 * heatmap as stacked bars per bucket.
 */
import React from 'react';
import {
  DataFrame,
  DataFrameJSON,
  FieldType,
  GrafanaTheme2,
  TimeRange,
  VizOrientation,
  getFieldDisplayValues,
} from '@grafana/data';
import { BarGaugeDisplayMode, LegendDisplayMode } from '@grafana/schema';
import {
  BarGauge,
  BigValue,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  PanelChrome,
  Table,
  TimeSeries,
} from '@grafana/ui';

import { PanelModel, fieldConfigFor, preparePanelData } from './dashboards-fields';

/** How a panel type is drawn here: the visualisation used and the note shown when it differs. */
const standIns: Record<string, { as: string; note: string }> = {
  geomap: { as: 'table', note: 'geomap drawn as a table of its frame (no map tiles offline)' },
  barchart: { as: 'barchart', note: 'bar chart drawn with BarGauge' },
  heatmap: { as: 'timeseries', note: 'heatmap drawn as stacked bars per latency bucket (ms)' },
};

// The heatmap's buckets as stacked bars.
const heatmapAsBars = {
  defaults: {
    custom: { drawStyle: 'bars', fillOpacity: 90, lineWidth: 0, stacking: { mode: 'normal', group: 'A' } },
  },
  overrides: [],
};

interface Props {
  panel: PanelModel;
  answers: Record<string, DataFrameJSON[]>;
  width: number;
  height: number;
  theme: GrafanaTheme2;
  timeRange: TimeRange;
  replaceVariables: (s: string) => string;
}

/** A panel: its chrome (title, stand-in note) around its visualisation of the plugin's answers. */
export function DashboardPanel({ panel, answers, width, height, theme, timeRange, replaceVariables }: Props) {
  const standIn = standIns[panel.type];
  const drawAs = standIn?.as ?? panel.type;
  const [frames, setFrames] = React.useState<DataFrame[] | undefined>();
  const [error, setError] = React.useState<string | undefined>();
  React.useEffect(() => {
    const json = (panel.targets ?? []).flatMap((t) => answers[`${panel.id}/${t.refId}`] ?? []);
    // A geomap's field config (colour scale, one unit) means nothing to a table of its frame.
    const own = panel.type === 'geomap' ? undefined : panel.type === 'heatmap' ? heatmapAsBars : panel.fieldConfig;
    preparePanelData(json, panel.transformations ?? [], fieldConfigFor(drawAs, own), theme, replaceVariables).then(
      setFrames,
      (e: Error) => setError(e.message)
    );
  }, [panel, answers, drawAs, theme, replaceVariables]);
  const note = standIn ? (
    <span style={{ color: theme.colors.text.disabled, fontSize: 12 }}>({standIn.note})</span>
  ) : null;
  // dashboards.mjs takes the picture once every panel has its data
  return (
    <div data-panel={panel.id} data-panel-ready={frames || error ? 'yes' : undefined} data-panel-error={error}>
      <PanelChrome
        title={replaceVariables(panel.title)}
        titleItems={note}
        width={width}
        height={height}
        statusMessage={error}
      >
        {(w, h) =>
          error ? (
            <pre style={{ whiteSpace: 'pre-wrap' }}>{error}</pre>
          ) : (
            frames && (
              <Visualisation
                type={drawAs}
                panel={panel}
                frames={frames}
                width={w}
                height={h}
                theme={theme}
                timeRange={timeRange}
                replaceVariables={replaceVariables}
              />
            )
          )
        }
      </PanelChrome>
    </div>
  );
}

interface VizProps {
  type: string;
  panel: PanelModel;
  frames: DataFrame[];
  width: number;
  height: number;
  theme: GrafanaTheme2;
  timeRange: TimeRange;
  replaceVariables: (s: string) => string;
}

function Visualisation(props: VizProps) {
  const { type, panel, frames, width, height, theme, timeRange } = props;
  const options = panel.options ?? {};
  switch (type) {
    case 'timeseries': {
      // a heatmap's legend options ({ show }) are not a time series' ones: take what applies
      const legend = options.legend ?? {};
      return (
        <TimeSeries
          frames={frames}
          timeRange={timeRange}
          timeZone="utc"
          width={width}
          height={height}
          legend={{
            calcs: legend.calcs ?? [],
            displayMode: legend.displayMode ?? LegendDisplayMode.List,
            placement: legend.placement ?? 'bottom',
            showLegend: legend.showLegend ?? legend.show ?? true,
          }}
          options={options}
        />
      );
    }
    case 'stat':
      return <Stat {...props} />;
    case 'table':
      return frames[0] ? (
        <Table
          data={frames[0]}
          width={width}
          height={height}
          initialSortBy={options.sortBy}
          cellHeight={options.cellHeight}
        />
      ) : null;
    case 'barchart':
      return <Bars frames={frames} xField={options.xField} width={width} height={height} theme={theme} />;
    default:
      return <div>no stand-in for {type}</div>;
  }
}

/** The stat panel: the reduced value of each field, with its sparkline, in BigValue. */
function Stat({ panel, frames, width, height, theme, timeRange, replaceVariables }: VizProps) {
  const options = panel.options ?? {};
  const values = getFieldDisplayValues({
    data: frames,
    reduceOptions: options.reduceOptions ?? { calcs: ['lastNotNull'] },
    fieldConfig: fieldConfigFor('stat', panel.fieldConfig),
    replaceVariables,
    theme,
    timeZone: 'utc',
    sparkline: options.graphMode !== 'none',
  });
  const each = Math.floor(width / Math.max(values.length, 1));
  return (
    <div style={{ display: 'flex' }}>
      {values.map((v, i) => (
        <BigValue
          key={i}
          value={v.display}
          sparkline={v.sparkline ? { ...v.sparkline, timeRange } : undefined}
          width={each}
          height={height}
          theme={theme}
          count={values.length}
          colorMode={(options.colorMode as BigValueColorMode) ?? BigValueColorMode.Value}
          graphMode={(options.graphMode as BigValueGraphMode) ?? BigValueGraphMode.Area}
          textMode={(options.textMode as BigValueTextMode) ?? BigValueTextMode.Auto}
        />
      ))}
    </div>
  );
}

/** A horizontal bar chart as one BarGauge per category, scaled to the largest value. */
function Bars({
  frames,
  xField,
  width,
  height,
  theme,
}: {
  frames: DataFrame[];
  xField?: string;
  width: number;
  height: number;
  theme: GrafanaTheme2;
}) {
  const frame = frames[0];
  const x = frame?.fields.find((f) => f.name === xField) ?? frame?.fields.find((f) => f.type === FieldType.string);
  const y = frame?.fields.find((f) => f.type === FieldType.number);
  if (!frame || !x || !y?.display) {
    return null;
  }
  const max = Math.max(...y.values.filter((v): v is number => v !== null));
  const rowHeight = Math.floor(height / frame.length);
  return (
    <div>
      {y.values.map((v, i) => (
        // a BarGauge's title line can be a pixel taller than asked: keep each row to its share
        <div key={i} style={{ height: rowHeight, overflow: 'hidden' }}>
          <BarGauge
            value={{ ...y.display!(v), title: String(x.values[i]) }}
            field={{ ...y.config, min: 0, max }}
            display={y.display}
            width={width}
            height={rowHeight}
            orientation={VizOrientation.Horizontal}
            displayMode={BarGaugeDisplayMode.Basic}
            theme={theme}
            isOverflow={false}
          />
        </div>
      ))}
    </div>
  );
}
