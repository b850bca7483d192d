import { DataFrame, DataQueryResponse, Labels } from '@grafana/data';

/**
 * Renders a legend format exactly as the backend does (renderLegend in pkg/frames/legend.go):
 * each `{{key}}` (spaces inside the braces allowed) becomes the series' label `key`, or the
 * metric's catalog label for `{{label}}`; anything else stays as written, and a value is never
 * expanded again. Both renderers are held to pkg/frames/testdata/legend_cases.json.
 */
export function renderLegend(format: string, labels: Labels, metricLabel: string): string {
  let out = '';
  let rest = format;
  for (;;) {
    const open = rest.indexOf('{{');
    if (open < 0) {
      break;
    }
    out += rest.slice(0, open);
    rest = rest.slice(open);
    const close = rest.indexOf('}}', 2);
    if (close < 0) {
      break;
    }
    const key = rest.slice(2, close).replace(/^ +| +$/g, '');
    // own properties only: `{{constructor}}` is not a label
    let value = Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
    if (value === undefined && key === 'label') {
      value = metricLabel;
    }
    if (value === undefined) {
      // not a placeholder: keep it and look again one character on
      out += '{';
      rest = rest.slice(1);
      continue;
    }
    out += value;
    rest = rest.slice(close + 2);
  }
  return out + rest;
}

/**
 * Names every series of a live query's response by the query's legend: the fields with a
 * `metric` label, which every real-time series has (the time field and POP map columns have
 * none). The frames stay as they are (a streaming frame's fields and length are live views of
 * its buffer), but each named field gets a config of its own: Grafana hands every panel on a
 * channel the same config objects, and another panel on the channel may have another legend.
 * A metric missing from `metricLabels` (the catalog could not be read) shows its name.
 */
export function nameSeries(
  response: DataQueryResponse,
  legend: string,
  metricLabels: ReadonlyMap<string, string>
): DataQueryResponse {
  for (const frame of (response.data ?? []) as DataFrame[]) {
    for (const field of frame.fields ?? []) {
      const labels = field.labels;
      const metric = labels?.metric;
      if (labels === undefined || metric === undefined) {
        continue;
      }
      const displayNameFromDS = renderLegend(legend, labels, metricLabels.get(metric) ?? metric);
      field.config = { ...field.config, displayNameFromDS };
    }
  }
  return response;
}
