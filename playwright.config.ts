/*
 * End-to-end tests with @grafana/plugin-e2e (tests/e2e), for a Grafana that runs the built
 * plugin with the provisioned data source pointed at the Fastly simulator: `scripts/run.sh`
 * gives one (docker compose, as create-plugin sets it up), then `npm run e2e`. GRAFANA_URL
 * points them at another Grafana. scripts/test.sh only type-checks them: no Grafana runs there.
 */
import { dirname } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import type { PluginOptions } from '@grafana/plugin-e2e';

const pluginE2eAuth = `${dirname(require.resolve('@grafana/plugin-e2e'))}/auth`;

export default defineConfig<PluginOptions>({
  testDir: './tests/e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 2 : 0,
  reporter: 'html',
  use: {
    baseURL: process.env.GRAFANA_URL || 'http://localhost:3000',
    trace: 'on-first-retry',
  },
  projects: [
    // logs in as admin once and keeps the cookie for the tests
    { name: 'auth', testDir: pluginE2eAuth, testMatch: [/.*\.js/] },
    {
      name: 'run-tests',
      use: { ...devices['Desktop Chrome'], storageState: 'playwright/.auth/admin.json' },
      dependencies: ['auth'],
    },
  ],
});
