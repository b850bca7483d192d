import { expect, test } from '@grafana/plugin-e2e';

import { PROVISIONED, SHOP, pick } from './helpers';

test('a historical query of one service draws its requests', async ({
  panelEditPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource(PROVISIONED);
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow('A');
  await pick(page, row, 'fastly-query-services', 'shop', SHOP.name);
  await expect(row.getByTestId('fastly-query-metrics')).toContainText('Requests');
  await expect(panelEditPage.refreshPanel()).toBeOK();
  await panelEditPage.toggleTableView();
  await expect(panelEditPage.panel.fieldNames).toContainText(['Time']);
  await expect(panelEditPage.panel.data).not.toHaveCount(0);
});

test('a new query says what it needs before it runs', async ({ panelEditPage, readProvisionedDataSource }) => {
  const ds = await readProvisionedDataSource(PROVISIONED);
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow('A');
  // no service chosen yet: the editor says so instead of running an empty query
  await expect(row.getByTestId('fastly-query-hint')).toContainText(/service/i);
});
