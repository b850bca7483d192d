// Browser checks of how the editors look (run.mjs calls them with the page on the harness): one
// label width across every editor, controls of one size, and a Per second switch that says why it
// is off where it would change nothing. Each returns failure messages (empty when all is well).

/** The widths, in pixels, of the field labels of a section (not those of radio buttons). */
async function labelWidths(page, section) {
  const labels = page.locator(`${section} label`).filter({ hasNot: page.locator('input') });
  return labels.evaluateAll((els) =>
    els
      .filter((l) => !l.closest('[role="radiogroup"]') && l.textContent.trim() !== '')
      .map((l) => ({ text: l.textContent.trim(), width: Math.round(l.getBoundingClientRect().width) }))
  );
}

/** Every field label of the sections is as wide as the first one of the first section. */
export async function checkLabelWidths(page, sections) {
  const failures = [];
  const [first] = await labelWidths(page, sections[0]);
  for (const section of sections) {
    for (const { text, width } of await labelWidths(page, section)) {
      if (width !== first.width) {
        failures.push(`${section}: the label "${text}" is ${width}px wide, not ${first.width}px like "${first.text}"`);
      }
    }
  }
  if (failures.length === 0) {
    console.log(`ok: every label of ${sections.join(', ')} is ${first.width}px wide`);
  }
  return failures;
}

/** The Add filter button is as tall as the inputs beside it (Grafana's normal size, not sm). */
export async function checkAddFilterSize(page) {
  const button = await page.locator('[data-testid="fastly-query-add-filter"]').boundingBox();
  const input = await page.getByLabel('Filter 1 value').boundingBox();
  if (Math.round(button.height) !== Math.round(input.height)) {
    return [`the Add filter button is ${button.height}px tall, the filter's value box ${input.height}px`];
  }
  console.log(`ok: the Add filter button is ${button.height}px tall, like the inputs`);
  return [];
}

/**
 * Per second with Hit ratio and Bandwidth chosen works (bandwidth is a count); with Hit ratio
 * alone it is off, and its tooltip says why. Bandwidth is chosen again afterwards.
 */
export async function checkPerSecond(page) {
  const failures = [];
  const toggle = page.locator('[data-testid="fastly-query-per-second"]');
  if (await toggle.isDisabled()) {
    failures.push('Per second should work with Bandwidth, a count, among the metrics');
  }
  await page.locator('[data-testid="fastly-query-metrics"]').getByRole('button', { name: 'Remove' }).last().click();
  await page.locator('#query-editor h3').click();
  await page.waitForFunction(() => JSON.parse(document.querySelector('#query-json').textContent).metrics.length === 1);
  if (!(await toggle.isDisabled())) {
    failures.push('Per second should be off with only Hit ratio, a ratio, chosen');
  }
  const label = page.locator('#query-editor label').filter({ hasText: 'Per second' });
  await label.locator('svg').hover();
  const why = 'Per second divides counts by the bucket length; ratios are not counts, so it would change nothing.';
  try {
    await page.getByRole('tooltip').filter({ hasText: why }).waitFor({ timeout: 5000 });
  } catch {
    failures.push(`the disabled Per second should say "${why}" when hovered`);
  }
  await page.mouse.move(0, 0);
  const metrics = page.locator('#fastly-query-metrics');
  await metrics.click();
  await metrics.pressSequentially('bandw');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.locator('#query-editor h3').click();
  await page.waitForFunction(() => JSON.parse(document.querySelector('#query-json').textContent).metrics.length === 2);
  if (failures.length === 0) {
    console.log('ok: Per second is off, and says why, with only a ratio chosen');
  }
  return failures;
}
