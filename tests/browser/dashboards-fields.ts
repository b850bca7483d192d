/*
 * What Grafana does to a panel's query answers before its visualisation sees them, done here
 * with @grafana/data outside Grafana: the panel's transformations, then its field config on top
 * of the defaults its panel plugin declares (units, colours, thresholds, table cell types).
 */
import { firstValueFrom } from 'rxjs';
import {
  DataFrame,
  DataFrameJSON,
  DataTransformerConfig,
  FieldConfig,
  FieldConfigOptionsRegistry,
  FieldConfigSource,
  GrafanaTheme2,
  ThresholdsConfig,
  ThresholdsMode,
  applyFieldOverrides,
  dataFrameFromJSON,
  standardTransformers,
  standardTransformersRegistry,
  transformDataFrame,
} from '@grafana/data';

/** The part of a provisioned dashboard's panel this page reads. */
export interface PanelModel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ refId: string }>;
  fieldConfig?: FieldConfigSource;
  options?: Record<string, any>;
  transformations?: DataTransformerConfig[];
  panels?: PanelModel[];
}

// Grafana's defaults for a new panel: green, then red from 80.
const defaultThresholds: ThresholdsConfig = {
  mode: ThresholdsMode.Absolute,
  steps: [
    { color: 'green', value: -Infinity },
    { color: 'red', value: 80 },
  ],
};

// The time series panel's defaults (public/app/plugins/panel/timeseries in Grafana).
const graphDefaults = {
  drawStyle: 'line',
  lineInterpolation: 'linear',
  lineWidth: 1,
  fillOpacity: 0,
  gradientMode: 'none',
  showPoints: 'auto',
  pointSize: 5,
  spanNulls: false,
  barAlignment: 0,
  barWidthFactor: 0.6,
  axisPlacement: 'auto',
  axisBorderShow: false,
  axisCenteredZero: false,
  stacking: { mode: 'none', group: 'A' },
  thresholdsStyle: { mode: 'off' },
};

/** Field config defaults of each panel plugin, as Grafana fills them in when it loads a panel. */
export const pluginDefaults: Record<string, FieldConfig> = {
  timeseries: { color: { mode: 'palette-classic' }, thresholds: defaultThresholds, custom: graphDefaults },
  stat: { color: { mode: 'thresholds' }, thresholds: defaultThresholds },
  table: {
    color: { mode: 'thresholds' },
    thresholds: defaultThresholds,
    custom: { align: 'auto', cellOptions: { type: 'auto' }, inspect: false },
  },
  barchart: { color: { mode: 'palette-classic' }, thresholds: defaultThresholds, min: 0 },
};

// @grafana/data lists some transformers under two names (seriesToColumns is joinByField).
const transformers = [...new Map(Object.values(standardTransformers).map((t) => [t.id, t])).values()];
standardTransformersRegistry.setInit(() =>
  transformers.map((t) => ({
    id: t.id,
    name: t.name,
    description: t.description,
    transformation: t,
    editor: () => null,
    imageDark: '',
    imageLight: '',
  }))
);

/** A dashboard's JSON writes the base threshold as null; Grafana reads it as -Infinity. */
function baseStep(value: unknown): unknown {
  const t = value as ThresholdsConfig | undefined;
  if (!t?.steps) {
    return value;
  }
  return { ...t, steps: t.steps.map((s) => ({ ...s, value: s.value === null ? -Infinity : s.value })) };
}

/**
 * A field config registry that knows every property named in defaults: Grafana's own registry
 * is filled by its panel plugins, which are not in any npm package.
 */
function registryFor(defaults: FieldConfig): FieldConfigOptionsRegistry {
  const item = (id: string) => {
    const isCustom = id.startsWith('custom.');
    return {
      id,
      path: isCustom ? id.slice('custom.'.length) : id,
      isCustom,
      settings: {},
      shouldApply: () => true,
      process: (v: unknown) => (id === 'thresholds' ? baseStep(v) : v),
    };
  };
  const ids = [
    ...Object.keys(defaults).filter((k) => k !== 'custom'),
    ...Object.keys(defaults.custom ?? {}).map((k) => `custom.${k}`),
  ];
  return { list: () => ids.map(item), getIfExists: item } as unknown as FieldConfigOptionsRegistry;
}

/** The panel's field config with its plugin's defaults underneath. */
export function fieldConfigFor(pluginType: string, panel?: FieldConfigSource): FieldConfigSource {
  const plugin = pluginDefaults[pluginType] ?? {};
  const own = panel?.defaults ?? {};
  return {
    defaults: { ...plugin, ...own, custom: { ...plugin.custom, ...own.custom } },
    overrides: panel?.overrides ?? [],
  };
}

/** Runs the panel's transformations and field config over its answers, as Grafana would. */
export async function preparePanelData(
  frames: DataFrameJSON[],
  transformations: DataTransformerConfig[],
  fieldConfig: FieldConfigSource,
  theme: GrafanaTheme2,
  replaceVariables: (s: string) => string
): Promise<DataFrame[]> {
  const transformed = await firstValueFrom(
    transformDataFrame(
      transformations,
      frames.map((f) => dataFrameFromJSON(f))
    )
  );
  return applyFieldOverrides({
    data: transformed,
    fieldConfig,
    fieldConfigRegistry: registryFor(fieldConfig.defaults),
    replaceVariables,
    theme,
    timeZone: 'utc',
  });
}
