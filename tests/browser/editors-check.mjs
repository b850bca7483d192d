// Browser checks of what a dashboard author sees in each editor (run.mjs calls them with the
// page on the harness): the hint of a query that cannot run, the metric picker's first options
// and search on the real catalog, the variables each picker offers, the fields of every query
// type, an Events query in the panel editor, the variable editor (with the values a Services or
// POPs variable lists) and the annotation editor, and the config editor's connection settings.
// Each returns failure messages (empty when all is well).
import { isDeepStrictEqual } from 'node:util';

/** The fields of an Origins or Domains query with Live off; `hosts` is its host filter. */
function inspectorFields(hosts) {
  return [
    'Query type',
    'Services',
    'Metrics',
    'Live',
    'Resolution',
    'Format',
    'Group by',
    'Per second',
    'POPs',
    hosts,
    'Legend',
  ];
}

const TYPE_FIELDS = {
  Historical: [
    'Query type',
    'Services',
    'Metrics',
    'Resolution',
    'Region',
    'Format',
    'Group by',
    'Per second',
    'Legend',
  ],
  'Real-time': ['Query type', 'Services', 'Metrics', 'Format', 'Group by', 'POPs', 'Legend'],
  Origins: inspectorFields('Origins'),
  Domains: inspectorFields('Domains'),
  Usage: ['Query type', 'Services', 'Metrics', 'Region', 'Group by'],
};

/** The labels of the fields shown in a section, in order (not those of radio buttons). */
export async function fieldLabels(page, section) {
  const labels = page.locator(`${section} label`).filter({ hasNot: page.locator('input') });
  const texts = await labels.evaluateAll((els) =>
    els.filter((l) => !l.closest('[role="radiogroup"]')).map((l) => l.textContent.trim())
  );
  return texts.filter(Boolean);
}

/** The texts of the options in the open menu. */
async function menuOptions(page) {
  await page.getByRole('option').first().waitFor();
  return (await page.getByRole('option').allInnerTexts()).map((t) => t.split('\n')[0].trim());
}

/** A fresh editor: the hint, the first metric options, search, and the variables offered. */
export async function checkFirstLook(page) {
  const failures = [];
  const hint = await page.locator('[data-testid="fastly-query-hint"]').innerText();
  if (hint !== 'Choose at least one service (or All services) to run this query.') {
    failures.push(`a query without services should say why it does not run, got "${hint}"`);
  }

  const metrics = page.locator('#fastly-query-metrics');
  await metrics.click();
  const first = (await menuOptions(page)).slice(0, 5);
  // Requests, the first common metric, is the default query's and so not offered again
  const wantFirst = ['Hit ratio', '5xx ratio', '4xx+5xx ratio', 'Status 5xx', 'Status 4xx'];
  if (!isDeepStrictEqual(first, wantFirst)) {
    failures.push(`the metric menu should open on ${JSON.stringify(wantFirst)}, got ${JSON.stringify(first)}`);
  }
  await metrics.pressSequentially('error ratio');
  const found = (await menuOptions(page)).slice(0, 2);
  if (!isDeepStrictEqual(found, ['5xx ratio', '4xx+5xx ratio'])) {
    failures.push(`"error ratio" should find the 5xx ratios first, got ${JSON.stringify(found)}`);
  }
  const description = await page.getByRole('option').first().innerText();
  if (!description.includes('percent ·')) {
    failures.push(`the unit should read "percent", got "${description}"`);
  }
  await page.keyboard.press('Escape');
  await page.locator('#query-editor h3').click();

  // the long service list is virtualised: search for the variables
  const services = page.locator('#fastly-query-services');
  await services.click();
  await services.pressSequentially('$');
  const offered = await menuOptions(page);
  if (!offered.includes('$service') || offered.includes('$pop')) {
    failures.push(`the service picker should offer $service and not the POP variable $pop, got ${offered.slice(0, 4)}`);
  }
  await page.keyboard.press('Escape');
  await page.locator('#query-editor h3').click();
  if (failures.length === 0) {
    console.log(`ok: hint, first metrics ${JSON.stringify(first)}, "error ratio" finds ${JSON.stringify(found)}`);
  }
  return failures;
}

/** Each metric query type shows its own fields. */
export async function checkEachType(page) {
  const failures = [];
  for (const [label, want] of Object.entries(TYPE_FIELDS)) {
    await page.locator('#fastly-query-type').click();
    await page.getByRole('option').getByText(label, { exact: true }).click();
    await page.getByTestId('fastly-query-type').getByText(label, { exact: true }).waitFor();
    const got = await fieldLabels(page, '#query-editor');
    if (!isDeepStrictEqual(got, want)) {
      failures.push(`${label} should show ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
  }
  if (failures.length === 0) {
    console.log(`ok: the fields of ${Object.keys(TYPE_FIELDS).join(', ')}`);
  }
  return failures;
}

/** Waits until the variable editor's preview reads `want`; a failure message if it never does. */
async function previewReads(page, want) {
  const preview = page.locator('#variable-values');
  try {
    await page.waitForFunction((w) => document.querySelector('#variable-values')?.textContent === w, want, {
      timeout: 5000,
    });
    return [];
  } catch {
    return [`the variable preview should read "${want}", got "${await preview.textContent()}"`];
  }
}

/**
 * The variable editor: the values a Services and a POPs variable list, by name (what a dashboard
 * viewer picks from), then the kinds and, for metrics, the query type; the annotation editor's
 * events.
 */
export async function checkVariableAndAnnotationEditors(page) {
  const failures = [];
  // the harness's services: three named ones, then 300 tenants
  failures.push(
    ...(await previewReads(page, 'Preview of values: www.example.com, shop.example.com, api.example.com and 300 more'))
  );
  await page.locator('#fastly-variable-kind').click();
  const kinds = await menuOptions(page);
  if (!isDeepStrictEqual(kinds, ['Services', 'POPs', 'Regions', 'Metrics', 'Top list'])) {
    failures.push(`the variable kinds should be listed, got ${JSON.stringify(kinds)}`);
  }
  await page.getByRole('option').getByText('POPs', { exact: true }).click();
  failures.push(...(await previewReads(page, 'Preview of values: Amsterdam (AMS), Frankfurt (FRA), Ashburn (IAD)')));
  await page.locator('#fastly-variable-kind').click();
  await page.getByRole('option').getByText('Metrics', { exact: true }).click();
  const variable = JSON.parse(await page.locator('#variable-json').textContent());
  if (!isDeepStrictEqual(variable, { refId: 'V', kind: 'metrics', queryType: 'stats' })) {
    failures.push(`a metrics variable should default to historical metrics, got ${JSON.stringify(variable)}`);
  }
  const labels = await fieldLabels(page, '#variable-editor');
  if (!isDeepStrictEqual(labels, ['List', 'Query type'])) {
    failures.push(`the metrics variable should show List and Query type, got ${JSON.stringify(labels)}`);
  }

  failures.push(...(await checkEventTypes(page)));
  if (failures.length === 0) {
    console.log('ok: variable editor (Services and POPs values, kinds) and annotation editor');
  }
  return failures;
}

/**
 * An Events query in the panel editor (a table of events, or one opened in Explore): the type
 * picker names it, its fields are the services and the event-type picker, and a type chosen
 * there is added to the query.
 */
export async function checkEventsInPanelEditor(page) {
  const failures = [];
  const editor = page.locator('#events-editor');
  const type = await editor.getByTestId('fastly-query-type').innerText();
  if (type.trim() !== 'Events') {
    failures.push(`the panel editor should name an events query's type "Events", got "${type}"`);
  }
  const labels = await fieldLabels(page, '#events-editor');
  if (!isDeepStrictEqual(labels, ['Query type', 'Services', 'Event types'])) {
    failures.push(`an Events query should show Query type, Services and Event types, got ${JSON.stringify(labels)}`);
  }
  const chips = await editor.getByTestId('fastly-annotation-event-types').innerText();
  for (const text of ['Version activated', 'Version deactivated', 'Purge all']) {
    if (!chips.includes(text)) {
      failures.push(`the Events query's event types should start with "${text}", got "${chips}"`);
    }
  }
  const picker = editor.locator('#fastly-annotation-event-types');
  await picker.click();
  await picker.pressSequentially('created');
  await page.getByRole('option').getByText('Version created', { exact: true }).click();
  await page.keyboard.press('Escape');
  await editor.locator('h3').click();
  const query = JSON.parse(await page.locator('#events-json').textContent());
  const want = { queryType: 'events', services: ['*'], eventTypes: ['version.create'], excludeEventTypes: [] };
  const got = Object.fromEntries(Object.keys(want).map((k) => [k, query[k]]));
  if (!isDeepStrictEqual(got, want)) {
    failures.push(
      `choosing Version created in the panel editor should give ${JSON.stringify(want)}, got ${JSON.stringify(got)}`
    );
  }
  if (failures.length === 0) {
    console.log(`ok: Events in the panel editor gave ${JSON.stringify(got)}`);
  }
  return failures;
}

/**
 * The annotation editor's event types: the defaults chosen, each one removable; with none left
 * the editor says no events will show, and the query turns the defaults off.
 */
async function checkEventTypes(page) {
  const failures = [];
  const editor = page.locator('#annotation-editor');
  const annotation = await editor.innerText();
  for (const text of [
    'Services',
    'All services',
    'Event types',
    'Version activated',
    'Purge all',
    'are chosen unless you remove them',
  ]) {
    if (!annotation.includes(text)) {
      failures.push(`the annotation editor should show "${text}"`);
    }
  }
  const picker = editor.locator('[data-testid="fastly-annotation-event-types"]');
  for (let left = 3; left > 0; left--) {
    await picker.getByRole('button', { name: 'Remove' }).first().click();
  }
  const hint = editor.locator('[data-testid="fastly-annotation-no-event-types"]');
  if (
    !(await hint.isVisible()) ||
    !(await hint.innerText()).startsWith('No event types chosen: this query shows no events.')
  ) {
    failures.push('with every event type removed, the annotation editor should say no events will show');
  }
  const query = JSON.parse(await page.locator('#annotation-json').textContent());
  const off = ['version.activate', 'version.deactivate', 'service.purge_all'];
  if (!isDeepStrictEqual(query.excludeEventTypes, off) || !isDeepStrictEqual(query.eventTypes, [])) {
    failures.push(`removing the defaults should turn them off, got ${JSON.stringify(query)}`);
  }
  return failures;
}

/** The config editor's Connection section: Grafana's TLS switches, custom headers, a timeout. */
export async function checkConnectionSettings(page) {
  const failures = [];
  await page.getByText('Connection', { exact: true }).click();
  const shown = await page.locator('#config-editor').innerText();
  for (const text of ['Timeout', 'With CA certificate', 'Client certificate', 'Skip TLS verify', 'Add header']) {
    if (!shown.includes(text)) {
      failures.push(`the Connection section should show "${text}"`);
    }
  }
  await page.locator('#fastly-config-timeout').fill('60');
  await page.locator('[data-testid="fastly-config-tlsAuthWithCACert"]').check({ force: true });
  await page.getByText('CA Cert', { exact: true }).waitFor();
  const config = JSON.parse(await page.locator('#config-json').textContent());
  const want = { apiUrl: 'http://127.0.0.1:8080', timeout: 60, tlsAuthWithCACert: true };
  if (!isDeepStrictEqual(config.jsonData, want)) {
    failures.push(`connection settings JSON: expected ${JSON.stringify(want)}, got ${JSON.stringify(config.jsonData)}`);
  }
  if (failures.length === 0) {
    console.log(`ok: connection settings gave ${JSON.stringify(config.jsonData)}`);
  }
  return failures;
}
