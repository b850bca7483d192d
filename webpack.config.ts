/*
 * The manifest lives at the repository root (Magefile.go and the Go build read it there), but
 * the scaffold's bundler in .config/ looks for src/plugin.json. This file points the scaffold's
 * plugin.json lookup, entry and copy step at the root manifest without editing .config/, so
 * `npx @grafana/create-plugin update` can keep rewriting .config/.
 */
import fs from 'fs';
import path from 'path';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';

const ROOT = process.cwd();
const rootPluginJson = () => JSON.parse(fs.readFileSync(path.join(ROOT, 'plugin.json'), 'utf8'));

// The scaffold's modules read the manifest through these exported helpers at call time; replace
// them before the scaffold's webpack config is loaded (ts-node compiles both to CommonJS).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundlerUtils = require('./.config/bundler/utils.ts');
bundlerUtils.getPluginJson = rootPluginJson;
bundlerUtils.getEntries = async () => ({ module: path.join(ROOT, 'src', 'module.ts') });
bundlerUtils.hasReadme = () => false;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const scaffold = require('./.config/webpack/webpack.config.ts');

type Env = Record<string, unknown>;

const config = async (env: Env): Promise<Configuration> => {
  const base: Configuration = await scaffold.default(env);
  const pluginJson = rootPluginJson();
  const logos = Array.from(new Set([pluginJson.info?.logos?.large, pluginJson.info?.logos?.small])).filter(Boolean);
  // The catalog's screenshots are the README's pictures (docs/img/x.png ships as img/x.png), and
  // the dashboards the Dashboards tab imports are the provisioned ones (provisioning/dashboards/
  // x.json ships as dashboards/x.json): one copy of each file in the repository.
  const screenshots: string[] = (pluginJson.info?.screenshots ?? []).map((s: { path: string }) => s.path);
  const dashboards: string[] = (pluginJson.includes ?? [])
    .filter((i: { type: string }) => i.type === 'dashboard')
    .map((i: { path: string }) => i.path);

  // Same files as the scaffold's copy step, but plugin.json, README, LICENSE and CHANGELOG come
  // from the root (the last three are optional). Paths are relative to the `src` context.
  const copy = new CopyWebpackPlugin({
    patterns: [
      { from: '../plugin.json', to: '.' },
      { from: '../README.md', to: '.', force: true, noErrorOnMissing: true },
      { from: '../LICENSE', to: '.', noErrorOnMissing: true },
      { from: '../CHANGELOG.md', to: '.', force: true, noErrorOnMissing: true },
      { from: '**/query_help.md', to: '.', noErrorOnMissing: true },
      { from: 'img', to: 'img' },
      ...logos.map((p) => ({ from: p, to: p, force: true })),
      ...screenshots.map((p) => ({ from: `../docs/${p}`, to: p, force: true })),
      ...dashboards.map((p) => ({ from: `../provisioning/${p}`, to: p, force: true })),
    ],
  });

  return {
    ...base,
    plugins: [...(base.plugins ?? []).filter((p) => !(p instanceof CopyWebpackPlugin)), copy],
  };
};

export default config;
