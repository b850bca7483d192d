// README pictures of the provisioned dashboards (`npm run screenshots`; not part of the tests):
// runs every panel's targets through the plugin against the simulator (TestWriteDashboardFrames
// in pkg/plugin), bundles tests/browser/dashboards.tsx, and has Chromium draw each dashboard
// with @grafana/ui from those answers, saving docs/img/dashboard-<name>.png.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { recompressPng } from './png-recompress.mjs';
import { startStaticServer } from './static-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const framesDir = join(here, '.build', 'dashboard-frames');
const buildDir = join(here, '.build', 'dashboards');
const dashboardsDir = join(root, 'provisioning', 'dashboards');
const imgDir = join(root, 'docs', 'img');
const sizeLimit = 300 * 1024;

function run(cmd, args) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`screenshots FAILED: \`${cmd} ${args.join(' ')}\` exited with ${r.status}`);
    process.exit(1);
  }
}

if (!existsSync(chromiumPath)) {
  console.error(`screenshots FAILED: no Chromium at ${chromiumPath} (set CHROMIUM_PATH)`);
  process.exit(1);
}
if (!process.env.SKIP_FRAMES) {
  run('go', [
    'test',
    './pkg/plugin',
    '-run',
    '^TestWriteDashboardFrames$',
    '-count=1',
    `-dashboard-frames=${framesDir}`,
  ]);
}
run(join(root, 'node_modules', '.bin', 'webpack'), [
  '-c',
  './tests/browser/dashboards.webpack.config.js',
  '--no-stats',
]);

const mounts = [
  ['/dashboards/', dashboardsDir],
  ['/frames/', framesDir],
  ['/public/build/img/icons/', join(root, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons')],
  ['/', buildDir],
];

/** Lowercase words joined by hyphens: "Which pages?" -> "which-pages". */
function slug(title) {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Saves the dashboard as docs/img/<base>.png; when that is over the size limit and the
 * dashboard has rows, as one picture per row instead (<base>-<row title>.png after the first).
 * Returns [file name, bytes] for each picture.
 */
async function screenshot(page, base) {
  const whole = `${base}.png`;
  const size = await page
    .locator('#dashboard')
    .screenshot({ path: join(imgDir, whole) })
    .then(() => recompressPng(join(imgDir, whole)));
  const { top, bottom, rows } = await page.evaluate(() => {
    const pageY = (el) => el.getBoundingClientRect().top + window.scrollY;
    const dash = document.querySelector('#dashboard');
    const rowEls = [...document.querySelectorAll('[data-row]')];
    return {
      top: pageY(dash),
      bottom: pageY(dash) + dash.getBoundingClientRect().height,
      rows: rowEls.map((el) => ({ title: el.dataset.row, top: pageY(el) })),
    };
  });
  if (size <= sizeLimit || rows.length === 0) {
    return [[whole, size]];
  }
  const { x, width } = await page.locator('#dashboard').boundingBox();
  const edges = [top, ...rows.map((r) => r.top - 4), bottom];
  const parts = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const file = i === 0 ? whole : `${base}-${slug(rows[i - 1].title)}.png`;
    const clip = { x, y: edges[i], width, height: edges[i + 1] - edges[i] };
    await page.screenshot({ path: join(imgDir, file), fullPage: true, clip });
    parts.push([file, recompressPng(join(imgDir, file))]);
  }
  return parts;
}

const { server, base } = await startStaticServer(join(here, 'dashboards.html'), mounts);
const profile = mkdtempSync(join(tmpdir(), 'fastly-screenshots-'));
const { chromium } = await import('playwright-core');
let context;
let failed = false;

try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1320, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/*', (route) =>
    route.request().url().startsWith(base) ? route.continue() : route.abort('blockedbyclient')
  );
  const names = readdirSync(dashboardsDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length));
  for (const name of names) {
    await page.goto(`${base}/?d=${name}`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.shots?.ready || window.shots?.error, null, { timeout: 60000 });
    const error = await page.evaluate(() => window.shots.error);
    if (error) {
      throw new Error(`${name}: ${error}`);
    }
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[data-panel]').length > 0 &&
        document.querySelectorAll('[data-panel]').length === document.querySelectorAll('[data-panel-ready]').length,
      null,
      { timeout: 60000 }
    );
    const panelErrors = await page.evaluate(() =>
      [...document.querySelectorAll('[data-panel-error]')].map(
        (e) => `panel ${e.dataset.panel}: ${e.dataset.panelError}`
      )
    );
    if (panelErrors.length > 0) {
      throw new Error(`${name}: ${panelErrors.join('; ')}`);
    }
    // let uPlot draw its canvases
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    for (const [file, size] of await screenshot(page, `dashboard-${name.replace(/^fastly-/, '')}`)) {
      console.log(`${size > sizeLimit ? 'TOO BIG' : 'ok'}: docs/img/${file} (${Math.round(size / 1024)} KB)`);
      failed ||= size > sizeLimit;
    }
  }
  if (errors.length > 0) {
    throw new Error(`errors in the page:\n  ${errors.join('\n  ')}`);
  }
} catch (err) {
  console.error(`screenshots FAILED: ${err?.stack ?? err}`);
  failed = true;
} finally {
  await context?.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
