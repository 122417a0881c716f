/**
 * Issue #16, run history you can use: label a saved run, reload, reopen it by its label (its results and its
 * document come back), and identical runs keep one row. After labelling, a row's controls are named by the
 * label ("Reopen baseline, …"), which is how a user finds it again.
 */
import type { Page } from 'playwright';
import { expect, inject, it } from 'vitest';
import { chromiumForFile, openPage, screenshot } from './browser.ts';

const browser = chromiumForFile();
const stats = (page: Page) => page.getByRole('table', { name: 'Statistics', exact: true });
const historyTable = (page: Page) => page.getByRole('table', { name: /^Run history \(/ });

async function statRows(page: Page): Promise<[string, string][]> {
  return stats(page).locator('tbody tr:not(.group)').evaluateAll((rows) =>
    rows.map((r) => [r.querySelector('th')?.textContent ?? '', r.querySelector('td')?.textContent ?? ''] as [string, string]));
}

it('run history: a labelled run survives a reload and reopens with its results and document; identical runs keep one row', async () => {
  const { page, errors } = await openPage(browser(), inject('baseUrl'), 'light', { firstVisit: 'keep' });
  // The first visit runs the template (fast 10) by itself.
  await page.waitForURL(/#\/results$/, { timeout: 60_000 });
  await stats(page).waitFor({ timeout: 60_000 });
  const baseline = await statRows(page);
  const sharpe = baseline.find(([k]) => k === 'Sharpe ratio')![1];

  // A second, different run (fast 12).
  await page.getByRole('link', { name: 'Strategy', exact: true }).click();
  await page.getByRole('textbox', { name: 'Parameter fast default' }).fill('12');
  await expect.poll(() => page.getByRole('textbox', { name: 'Strategy document (JSON)' }).inputValue()).toContain('"default": 12');
  await page.getByText('valid', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Run backtest', exact: true }).click();
  await page.waitForURL(/#\/results$/);
  await historyTable(page).filter({ hasText: 'Run history (2)' }).waitFor({ timeout: 60_000 });
  const edited = await statRows(page);
  expect(edited).not.toEqual(baseline);

  // Label the first run: its row is the one with the baseline's Sharpe.
  const row = historyTable(page).locator('tbody tr').filter({ has: page.locator('td.n', { hasText: new RegExp(`^${sharpe.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
  expect(await row.count()).toBe(1);
  await row.getByRole('textbox', { name: /^Label for / }).fill('baseline');
  await row.getByRole('textbox', { name: /^Label for / }).press('Enter');
  // Now the row's controls carry the label.
  await page.getByRole('button', { name: /^Reopen baseline, / }).waitFor();

  await page.reload();
  await page.goto(`${inject('baseUrl')}#/results`);
  await historyTable(page).filter({ hasText: 'Run history (2)' }).waitFor({ timeout: 60_000 });
  expect(await page.getByRole('textbox', { name: /^Label for baseline, / }).inputValue()).toBe('baseline');
  await page.getByRole('button', { name: /^Reopen baseline, / }).click();
  await stats(page).waitFor({ timeout: 60_000 });
  await expect.poll(() => statRows(page), { timeout: 60_000 }).toEqual(baseline);
  // Reopening re-ran an identical run: still two rows, the label kept.
  expect(await historyTable(page).locator('caption').textContent()).toMatch(/^Run history \(2\)/);
  await page.getByRole('button', { name: /^Reopen baseline, / }).waitFor();
  await screenshot(page, 'run-history-reopened.png');

  // The document is back: fast 10 on the Strategy page.
  await page.getByRole('link', { name: 'Strategy', exact: true }).click();
  expect(await page.getByRole('textbox', { name: 'Parameter fast default' }).inputValue()).toBe('10');
  expect(errors).toEqual([]);
  await page.context().close();
});
