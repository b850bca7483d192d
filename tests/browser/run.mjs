// Browser check of the built plugin: builds dist/ and the harness, serves them on a free local
// port, drives Chromium (Debian's, through playwright-core) to pick a service and two metrics in
// the real query editor and a token in the config editor, and compares the JSON they produce
// with what is expected. Saves screenshots to tests/browser/.build/ (the README's pictures in
// docs/img/ with UPDATE_SCREENSHOT=1). Exits non-zero on any failure.
//
// `--packages tests/grafana-13` hosts the plugin with that package set's @grafana/* and React
// (Grafana 13.2, React 19) instead of the root's, as Grafana 13 would.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

import {
  checkConnectionSettings,
  checkEachType,
  checkEventsInPanelEditor,
  checkFirstLook,
  checkVariableAndAnnotationEditors,
} from './editors-check.mjs';
import { checkLabelWidths, checkPerSecond } from './looks-check.mjs';
import { checkLogsEditor, screenshotTopUrls } from './logs-check.mjs';
import { startStaticServer } from './static-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const packagesFlag = process.argv.indexOf('--packages');
const packageSet = packagesFlag > 0 ? process.argv[packagesFlag + 1] : undefined;
const packagesDir = packageSet ? resolve(root, packageSet) : root;
if (packageSet && !existsSync(join(packagesDir, 'node_modules'))) {
  console.error(`browser check FAILED: ${packageSet} is not installed: run \`npm ci --prefix ${packageSet}\``);
  process.exit(1);
}
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const screenshot = process.env.UPDATE_SCREENSHOT
  ? join(root, 'docs', 'img', 'query-editor.png')
  : join(root, 'tests', 'browser', '.build', 'query-editor.png');
const configShot = process.env.UPDATE_SCREENSHOT
  ? join(root, 'docs', 'img', 'config-editor.png')
  : join(root, 'tests', 'browser', '.build', 'config-editor.png');
const tableShot = process.env.UPDATE_SCREENSHOT
  ? join(root, 'docs', 'img', 'top-urls-table.png')
  : join(root, 'tests', 'browser', '.build', 'top-urls-table.png');

function fail(message) {
  console.error(`browser check FAILED: ${message}`);
  process.exitCode = 1;
}

if (!existsSync(chromiumPath)) {
  console.error(
    `browser check FAILED: no Chromium at ${chromiumPath}. Install it with \`apt-get install -y chromium\` ` +
      '(or set CHROMIUM_PATH to a Chromium binary).'
  );
  process.exit(1);
}

function run(cmd, args) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const env = packageSet ? { ...process.env, PACKAGE_SET: packageSet } : process.env;
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`browser check FAILED: \`${cmd} ${args.join(' ')}\` exited with ${r.status}`);
    process.exit(1);
  }
}

const webpack = join(root, 'node_modules', '.bin', 'webpack');
if (!process.env.SKIP_BUILD) {
  run(webpack, ['-c', './webpack.config.ts', '--env', 'production']);
}
run(webpack, ['-c', './tests/browser/webpack.config.js', '--no-stats']);

/** URL prefix -> directory. Anything else is the harness bundle's output. */
const mounts = [
  ['/dist/', join(root, 'dist')],
  ['/public/build/img/icons/', join(packagesDir, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons')],
  ['/', join(here, '.build')],
];

const expectedQuery = {
  refId: 'A',
  queryType: 'stats',
  services: ['7i6HN3TK9wS159v2gPAZ8A'],
  metrics: ['hit_ratio', 'bandwidth'],
  resolution: 'auto',
  region: '',
  pops: [],
  groupBy: '',
  perSecond: false,
  legendFormat: '',
};

const { server, base } = await startStaticServer(join(here, 'index.html'), mounts);
const profile = mkdtempSync(join(tmpdir(), 'fastly-browser-check-'));
const { chromium } = await import('playwright-core');
let context;

try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1100, height: 620 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // Grafana's web fonts are not in any npm package; the page falls back to system fonts.
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().includes('/public/fonts/')) {
      console.warn(`warning: ${r.status()} for ${r.url()}`);
    }
  });
  // the page may only talk to the local server
  await page.route('**/*', (route) =>
    route.request().url().startsWith(base) ? route.continue() : route.abort('blockedbyclient')
  );

  await page.goto(base, { waitUntil: 'load' });
  await page.waitForFunction(() => window.harness?.ready || window.harness?.error, null, { timeout: 30000 });
  const loadError = await page.evaluate(() => window.harness.error);
  if (loadError) {
    throw new Error(`the built plugin did not load: ${loadError}`);
  }
  const queryJson = async () => JSON.parse(await page.locator('#query-json').textContent());

  for (const failure of await checkFirstLook(page)) {
    fail(failure);
  }

  // Service: type part of the name, pick it from the menu.
  const services = page.locator('#fastly-query-services');
  await services.click();
  await services.pressSequentially('shop');
  await page.getByText('shop.example.com', { exact: true }).click();
  await page.keyboard.press('Escape');

  // Metrics: remove the default (requests), then pick Hit ratio by clicking and Bandwidth by
  // typing and Enter.
  const metrics = page.locator('#fastly-query-metrics');
  await metrics.click();
  await page.keyboard.press('Backspace');
  await metrics.pressSequentially('hit');
  await page.getByText('Hit ratio', { exact: true }).click();
  await metrics.pressSequentially('bandw');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.locator('#query-editor h3').click();

  const query = await queryJson();
  if (!isDeepStrictEqual(query, expectedQuery)) {
    fail(`query JSON differs\n  expected ${JSON.stringify(expectedQuery)}\n  got      ${JSON.stringify(query)}`);
  } else {
    console.log(`ok: query editor produced ${JSON.stringify(query)}`);
  }
  const harness = await page.evaluate(() => window.harness);
  if (harness.runs < 3) {
    fail(`expected the query to run after each choice (3 runs), got ${harness.runs}`);
  } else {
    console.log(`ok: query ran ${harness.runs} times`);
  }
  for (const route of ['services', 'metrics?queryType=stats']) {
    if (!harness.requests.includes(route)) {
      fail(`the editor never asked the backend for ${route} (asked: ${harness.requests.join(', ')})`);
    }
  }
  const chips = await page.locator('#query-editor').innerText();
  for (const text of ['shop.example.com', 'Hit ratio', 'Bandwidth']) {
    if (!chips.includes(text)) {
      fail(`the query editor does not show "${text}"`);
    }
  }

  // Screenshot with the metric menu open: the common metrics, units and descriptions.
  await metrics.click();
  await page.getByText('Common', { exact: true }).waitFor();
  const box = await page.locator('#query-editor').boundingBox();
  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, clip: { x: 0, y: 0, width: box.width + 2 * box.x, height: 560 } });
  await page.keyboard.press('Escape');
  console.log(`ok: screenshot saved to ${screenshot.slice(root.length + 1)}`);
  await page.locator('#query-editor h3').click();
  for (const failure of await checkPerSecond(page)) {
    fail(failure);
  }

  // Switching to Origins drops the edge metrics (an origin's metrics mean something else) for
  // the origins default (every source's responses) and says so, keeps the grouping (Total:
  // Origins has it too) and shows the Live switch and the POP and origin filters instead of
  // the region.
  await page.locator('#fastly-query-type').click();
  await page.getByText('Origins', { exact: true }).click();
  await page.waitForFunction(
    () => JSON.parse(document.querySelector('#query-json').textContent).queryType === 'origins'
  );
  const switched = await queryJson();
  const expectedSwitch = { ...expectedQuery, queryType: 'origins', metrics: ['all_responses'], groupBy: '' };
  const notice = await page.locator('[data-testid="fastly-query-switch-notice"]').innerText();
  const wantNotice =
    'Not kept: Metrics Hit ratio, Bandwidth (they mean something else here). Switch back to Historical to restore them.';
  if (!notice.includes(wantNotice)) {
    fail(`after switching to Origins the editor should say "${wantNotice}", got "${notice}"`);
  }
  if (!isDeepStrictEqual(switched, expectedSwitch)) {
    fail(
      `after switching to Origins\n  expected ${JSON.stringify(expectedSwitch)}\n  got      ${JSON.stringify(switched)}`
    );
  } else {
    console.log(`ok: switching to Origins gave ${JSON.stringify(switched)}`);
  }
  const fields = {
    '#fastly-query-pops': true,
    '#fastly-query-origins': true,
    '#fastly-query-region': false,
    '[data-testid="fastly-query-live"]': true,
    '[data-testid="fastly-query-resolution"]': true,
  };
  for (const [selector, want] of Object.entries(fields)) {
    if ((await page.locator(selector).count()) > 0 !== want) {
      fail(`after switching to Origins, ${selector} should ${want ? '' : 'not '}be shown`);
    }
  }

  // Live on: the query streams, and the historical-only fields go.
  await page.locator('[data-testid="fastly-query-live"]').check({ force: true });
  await page.waitForFunction(() => JSON.parse(document.querySelector('#query-json').textContent).live === true);
  const live = await queryJson();
  const expectedLive = { ...expectedSwitch, live: true };
  if (!isDeepStrictEqual(live, expectedLive)) {
    fail(`after turning Live on\n  expected ${JSON.stringify(expectedLive)}\n  got      ${JSON.stringify(live)}`);
  } else {
    console.log(`ok: turning Live on gave ${JSON.stringify(live)}`);
  }
  const liveFields = {
    '#fastly-query-pops': true,
    '#fastly-query-origins': false,
    '[data-testid="fastly-query-resolution"]': false,
  };
  for (const [selector, want] of Object.entries(liveFields)) {
    if ((await page.locator(selector).count()) > 0 !== want) {
      fail(`with Live on, ${selector} should ${want ? '' : 'not '}be shown`);
    }
  }

  // Sampled logs: the ranking picker and the filter builder; the top-URL table's picture.
  for (const failure of await checkLogsEditor(page, expectedQuery)) {
    fail(failure);
  }
  for (const failure of [
    ...(await checkEachType(page)),
    ...(await checkVariableAndAnnotationEditors(page)),
    ...(await checkLabelWidths(page, ['#query-editor', '#variable-editor', '#annotation-editor'])),
  ]) {
    fail(failure);
  }
  await screenshotTopUrls(page, tableShot);
  console.log(`ok: top-URL table screenshot saved to ${tableShot.slice(root.length + 1)}`);

  // Config editor: a token goes to secureJsonData, the API URL to jsonData.
  await page.getByPlaceholder('Fastly API token').fill('test-token');
  await page.getByText('Advanced', { exact: true }).click();
  await page.getByPlaceholder('https://api.fastly.com').fill('http://127.0.0.1:8080');
  const config = JSON.parse(await page.locator('#config-json').textContent());
  const expectedConfig = { jsonData: { apiUrl: 'http://127.0.0.1:8080' }, secureJsonData: { apiToken: 'test-token' } };
  if (!isDeepStrictEqual(config, expectedConfig)) {
    fail(`config JSON differs\n  expected ${JSON.stringify(expectedConfig)}\n  got      ${JSON.stringify(config)}`);
  } else {
    console.log(`ok: config editor produced ${JSON.stringify(config)}`);
  }
  await page.locator('#config-editor').screenshot({ path: configShot });
  console.log(`ok: config editor screenshot saved to ${configShot.slice(root.length + 1)}`);
  for (const failure of await checkConnectionSettings(page)) {
    fail(failure);
  }
  // last: the Events query editor takes the place of the query editor
  await page.locator('#show-events').click();
  for (const failure of [
    ...(await checkEventsInPanelEditor(page)),
    ...(await checkLabelWidths(page, ['#events-editor', '#variable-editor'])),
  ]) {
    fail(failure);
  }

  if (pageErrors.length > 0) {
    fail(`errors in the page:\n  ${pageErrors.join('\n  ')}`);
  }
} catch (err) {
  fail(err?.stack ?? String(err));
} finally {
  await context?.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}

const against = packageSet ? ` (${packageSet})` : '';
console.log(`browser check${against}: ${process.exitCode ? '0 passed, 1 failed' : '1 passed, 0 failed'}`);
