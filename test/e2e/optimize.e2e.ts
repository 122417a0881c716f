import type { Browser } from 'playwright';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { launchChromium, openPage, screenshot } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

it('optimizes the SMA crossover on the embedded S&P 500: a grid of the 11 of 12 points with fast < slow, ranked table and heatmap', async () => {
  const { page, errors } = await openPage(browser, inject('baseUrl'));
  await expect.poll(() => page.getByRole('textbox', { name: 'Universe symbols' }).inputValue()).toBe('SPX');
  await page.getByRole('link', { name: 'Optimize' }).click();
  await page.getByRole('heading', { name: 'Optimize' }).waitFor();
  // The template's full space (1,725 of 1,960 with fast < slow) exceeds the budget, so the page starts on random search.
  await page.getByLabel('Parameter constraints').filter({ hasText: '$fast < $slow' }).waitFor();
  await page.getByRole('combobox', { name: 'Method' }).selectOption('grid');
  for (const [name, min, max, step] of [['fast', 5, 20, 5], ['slow', 20, 60, 20]] as const) {
    await page.getByLabel(`$${name} min`).fill(String(min));
    await page.getByLabel(`$${name} max`).fill(String(max));
    await page.getByLabel(`$${name} step`).fill(String(step));
  }
  // fast 5…20 × slow 20…60: fast 20, slow 20 breaks the template's fast < slow and is never run.
  await page.getByText('Grid search: 11 combinations (1 excluded by the constraints)').waitFor();
  await page.getByRole('button', { name: 'Run optimization' }).click();
  const table = page.getByRole('table', { name: 'Top candidates' });
  await table.waitFor({ timeout: 60_000 });

  expect(await table.locator('tbody tr').count()).toBe(11);
  const pairs = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [Number(r.children[1]!.textContent), Number(r.children[2]!.textContent)]));
  expect(pairs.every(([fast, slow]) => fast! < slow!)).toBe(true);
  // Ranked by the objective (Sharpe): it never increases down the table, and undefined ones ("—", no trades) come last.
  const scores = (await table.locator('tbody tr td:nth-child(4)').allTextContents())
    .map((t) => (/\d/.test(t) ? Number(t.replace('\u2212', '-').replace(/[^\d.-]/g, '')) : NaN));
  const defined = scores.filter((x) => !Number.isNaN(x));
  expect(defined.length).toBeGreaterThan(6);
  expect(scores.slice(0, defined.length)).toEqual([...defined].sort((a, b) => b - a));
  expect(await page.getByText(/^11 evaluations of 11 combinations \(1 excluded by the parameter constraints\) in/).count()).toBe(1);
  const cells = page.locator('figure.heatmap td');
  expect(await cells.count()).toBe(12);
  expect(await page.getByLabel('$fast 20, $slow 20: excluded by a parameter constraint').count()).toBe(1);
  expect(await cells.first().getAttribute('aria-label')).toMatch(/^\$fast 5, \$slow 20: sharpe -?\d/);

  await screenshot(page, 'optimize-grid.png');
  expect(errors).toEqual([]);
  await page.context().close();
});
