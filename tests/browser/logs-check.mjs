// Browser check of the sampled-log query types (run.mjs calls it with the page on the harness):
// the ranking picker with its descriptions, the filter builder, and a screenshot of the top-URL
// table as Grafana's table renders the insights frame.
import { isDeepStrictEqual } from 'node:util';

import { fieldLabels } from './editors-check.mjs';
import { checkAddFilterSize, checkLabelWidths } from './looks-check.mjs';

/** Reads the query editor's current JSON. */
async function queryJson(page) {
  return JSON.parse(await page.locator('#query-json').textContent());
}

/** Waits until the query JSON satisfies pred (a function of the query, run in the page). */
async function waitForQuery(page, pred) {
  await page.waitForFunction(`(${pred})(JSON.parse(document.querySelector('#query-json').textContent))`);
}

/**
 * Switches the editor to Top lists, picks a ranking by its description, then to Logs and builds
 * a filter. Returns failure messages (empty when all is well).
 */
export async function checkLogsEditor(page, base) {
  const failures = [];
  await page.locator('#fastly-query-type').click();
  await page.getByText('Top lists', { exact: true }).click();
  await waitForQuery(page, (q) => q.queryType === 'insights');
  let query = await queryJson(page);
  const expectedInsights = { ...base, queryType: 'insights', metrics: [], pops: [] };
  if (!isDeepStrictEqual(query, expectedInsights)) {
    failures.push(
      `after switching to Top lists\n  expected ${JSON.stringify(expectedInsights)}\n  got      ${JSON.stringify(query)}`
    );
  }
  for (const selector of ['#fastly-query-metrics', '[data-testid="fastly-query-legend-format"]']) {
    if ((await page.locator(selector).count()) > 0) {
      failures.push(`a Top lists query should not show ${selector}`);
    }
  }

  // The ranking menu shows each ranking with its description.
  await page.locator('#fastly-query-insight').click();
  await page.getByText('Requests by HTTP status code', { exact: false }).waitFor();
  await page.getByText('Status codes', { exact: true }).click();
  await waitForQuery(page, (q) => q.insight === 'response-status-codes');

  // Logs: the ranking goes, the filter builder comes.
  await page.locator('#fastly-query-type').click();
  await page.getByText('Logs', { exact: true }).click();
  await waitForQuery(page, (q) => q.queryType === 'logs');
  await page.locator('[data-testid="fastly-query-add-filter"]').click();
  const row = page.locator('[data-testid="fastly-query-filter-0"]');
  await row.getByLabel('Filter 1 field').click();
  await page.getByText('response_status', { exact: true }).click();
  await row.getByLabel('Filter 1 operator').click();
  await page.getByText('at least', { exact: true }).click();
  await row.getByLabel('Filter 1 value').fill('500');
  await page.locator('#query-editor h3').click();
  await waitForQuery(page, (q) => q.filters?.[0]?.value === '500');
  query = await queryJson(page);
  const expectedLogs = {
    ...base,
    queryType: 'logs',
    metrics: [],
    pops: [],
    filters: [{ field: 'response_status', op: 'gte', value: '500' }],
  };
  if (!isDeepStrictEqual(query, expectedLogs)) {
    failures.push(
      `after building a filter\n  expected ${JSON.stringify(expectedLogs)}\n  got      ${JSON.stringify(query)}`
    );
  } else {
    console.log(`ok: logs query with a filter ${JSON.stringify(query)}`);
  }
  const requests = await page.evaluate(() => window.harness.requests);
  if (!requests.includes('logs-catalog')) {
    failures.push(`the editor never asked the backend for logs-catalog (asked: ${requests.join(', ')})`);
  }
  failures.push(...(await checkAddFilterSize(page)));
  failures.push(...(await checkLogSeries(page, expectedLogs)));
  return failures;
}

/**
 * Logs over time: what it counts, what it splits by, the limit and the filters, which the
 * switch from Logs keeps; choosing an aggregation and a split changes the query.
 */
async function checkLogSeries(page, logs) {
  const failures = [];
  await page.locator('#fastly-query-type').click();
  await page.getByText('Logs over time', { exact: true }).click();
  await waitForQuery(page, (q) => q.queryType === 'logseries');
  const labels = await fieldLabels(page, '#query-editor');
  const want = ['Query type', 'Services', 'Series', 'Split by', 'Limit', 'Filters'];
  if (!isDeepStrictEqual(labels, want)) {
    failures.push(`Logs over time should show ${JSON.stringify(want)}, got ${JSON.stringify(labels)}`);
  }
  await page.locator('#fastly-query-series').click();
  const series = await page.getByRole('option').allInnerTexts();
  if (!isDeepStrictEqual(series.slice(0, 2), ['avg[response_time]', 'p99[response_time]'])) {
    failures.push(
      `the series menu should offer avg[response_time] and p99[response_time] first, got ${JSON.stringify(series)}`
    );
  }
  await page.getByRole('option').getByText('p99[response_time]', { exact: true }).click();
  await page.locator('#fastly-query-dimension').click();
  await page.getByRole('option').getByText('request_path', { exact: true }).click();
  await waitForQuery(page, (q) => q.dimension === 'request_path');
  const query = await queryJson(page);
  const expected = { ...logs, queryType: 'logseries', series: 'p99[response_time]', dimension: 'request_path' };
  if (!isDeepStrictEqual(query, expected)) {
    failures.push(
      `Logs over time with a split\n  expected ${JSON.stringify(expected)}\n  got      ${JSON.stringify(query)}`
    );
  } else {
    console.log(`ok: logs over time ${JSON.stringify(query)}`);
  }
  failures.push(...(await checkLabelWidths(page, ['#query-editor'])));
  return failures;
}

/** Saves a screenshot of the top-URL table; fails when the table shows no URL. */
export async function screenshotTopUrls(page, path) {
  const section = page.locator('#top-urls');
  await section.getByText('/static/app.js', { exact: true }).waitFor();
  await section.screenshot({ path });
  return [];
}
