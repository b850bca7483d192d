import { expect, test } from '@grafana/plugin-e2e';

import { PROVISIONED, SHOP, pick } from './helpers';

test('an annotation query of configuration changes runs', async ({
  annotationEditPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource(PROVISIONED);
  await annotationEditPage.datasource.set(ds.name);
  const editor = page.getByTestId('fastly-annotation-editor');
  await pick(page, editor, 'fastly-annotation-services', 'shop', SHOP.name);
  // the version activations and purges a dashboard wants by default
  await expect(editor.getByTestId('fastly-annotation-default-events')).toBeVisible();
  await expect(annotationEditPage.runQuery()).toBeOK();
});
