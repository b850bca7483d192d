import { expect, test } from '@grafana/plugin-e2e';

import { PROVISIONED } from './helpers';

test('Save & test passes for the provisioned data source, its token kept secret', async ({
  readProvisionedDataSource,
  gotoDataSourceConfigPage,
  page,
}) => {
  const ds = await readProvisionedDataSource(PROVISIONED);
  const configPage = await gotoDataSourceConfigPage(ds.uid);
  // a saved token shows as configured, never its value
  await expect(page.getByPlaceholder('Fastly API token')).toHaveValue('configured');
  await expect(configPage.saveAndTest()).toBeOK();
  await expect(configPage).toHaveAlert('success', { hasText: /works/ });
});

test('Save & test without a token says what is missing', async ({ createDataSourceConfigPage }) => {
  const configPage = await createDataSourceConfigPage({ type: 'opsdeck-fastly-datasource' });
  await expect(configPage.saveAndTest()).not.toBeOK();
  await expect(configPage).toHaveAlert('error', { hasText: /token/i });
});
