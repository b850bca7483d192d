import type { Locator, Page } from '@playwright/test';

/** The provisioned data source (provisioning/datasources/fastly.yaml), which scripts/run.sh points at the simulator. */
export const PROVISIONED = { fileName: 'fastly.yaml', name: 'Fastly' };

/** The simulator's busiest service (pkg/fastlysim: ShopServiceID). */
export const SHOP = { id: 'SU1Z0isxPaozGVKXdv0eY', name: 'www.example-shop.com' };

/** Types into one of the editor's pickers (an input id, e.g. fastly-query-services) and picks the option. */
export async function pick(page: Page, scope: Locator, inputId: string, text: string, option: string | RegExp) {
  const input = scope.locator(`#${inputId}`);
  await input.click();
  await input.pressSequentially(text);
  await page.getByRole('option', { name: option }).first().click();
  await page.keyboard.press('Escape');
}
