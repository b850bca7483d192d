import { expect, test } from '@grafana/plugin-e2e';

import { PROVISIONED, SHOP } from './helpers';

test('a Services variable lists the simulator services by name', async ({
  variableEditPage,
  readProvisionedDataSource,
}) => {
  const ds = await readProvisionedDataSource(PROVISIONED);
  await variableEditPage.setVariableType('Query');
  await variableEditPage.datasource.set(ds.name);
  // Services is the editor's first kind
  await variableEditPage.runQuery();
  await expect(variableEditPage).toDisplayPreviews([SHOP.name, 'api.example.com']);
});

test('a POPs variable lists Fastly POPs', async ({ variableEditPage, readProvisionedDataSource, page }) => {
  const ds = await readProvisionedDataSource(PROVISIONED);
  await variableEditPage.setVariableType('Query');
  await variableEditPage.datasource.set(ds.name);
  await page.locator('#fastly-variable-kind').click();
  await page.getByRole('option', { name: 'POPs' }).click();
  await variableEditPage.runQuery();
  await expect(variableEditPage).toDisplayPreviews([/\(FRA\)/]);
});
