/**
 * Issue #12's builder controls in the built app: a time exit at the session close and "close positions still
 * open at the end" are set with the builder's own controls, the JSON editor shows them, and a run on the
 * embedded S&P 500 says in the trade table that those rules closed trades ("time", "end").
 */
import type { Page } from 'playwright';
import { expect, inject, it } from 'vitest';
import type { StrategyDocument } from '../../src/schema/index.ts';
import { chromiumForFile, openPage } from './browser.ts';

const browser = chromiumForFile();

const stats = (page: Page) => page.getByRole('table', { name: 'Statistics', exact: true });
const json = async (page: Page) => JSON.parse(await page.getByRole('textbox', { name: 'Strategy document (JSON)' }).inputValue()) as StrategyDocument;

async function runAndWait(page: Page): Promise<void> {
  // Validation may run once typing pauses (#10): run only the valid, edited document.
  await page.getByText('valid', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Run backtest', exact: true }).click();
  await page.waitForURL(/#\/results$/);
  await stats(page).waitFor({ timeout: 60_000 });
}

/** The trade table's "Exit by" column, in the table's (entry time) order; every page shown. */
async function exitBy(page: Page): Promise<string[]> {
  const table = page.getByRole('table', { name: /^Trades/ });
  await table.waitFor();
  const more = page.getByRole('button', { name: /^Show .*more/ });
  while (await more.count() > 0) await more.first().click();
  return table.evaluate((t) => {
    const i = [...t.querySelectorAll('thead th')].findIndex((th) => th.textContent?.startsWith('Exit by'));
    return [...t.querySelectorAll('tbody tr')].map((r) => (r as HTMLTableRowElement).cells[i]?.textContent ?? '');
  });
}

it('builder: a time exit at the session close is in the JSON and closes trades with reason "time"', async () => {
  const { page, errors } = await openPage(browser(), inject('baseUrl'));
  const exits = page.getByRole('group', { name: 'Action 1 exits' });
  await exits.getByRole('checkbox', { name: 'time exit' }).check();
  await page.getByRole('combobox', { name: 'Action 1 time exit when' }).selectOption('sessionClose');
  await expect.poll(async () => (await json(page)).strategies[0]!.action).toEqual({ type: 'setWeight', weight: 1, exits: { timeExit: { sessionClose: true } } });
  await runAndWait(page);
  const reasons = await exitBy(page);
  // Daily bars: each long bought at an open is sold at that day's close; shorts still end by a signal.
  expect(reasons.filter((r) => r === 'time').length).toBeGreaterThan(10);
  expect(reasons.every((r) => r === 'time' || r === 'signal')).toBe(true);
  expect(errors).toEqual([]);
  await page.context().close();
});

it('builder: "close positions still open at the end" is in the JSON and books the last trade with reason "end"', async () => {
  const { page, errors } = await openPage(browser(), inject('baseUrl'));
  await page.getByRole('checkbox', { name: /close positions still open at the last close/ }).check();
  await expect.poll(async () => (await json(page)).settings.closeAtEnd).toBe(true);
  await runAndWait(page);
  const reasons = await exitBy(page);
  // The document is always in the market: the position open at the end becomes the last trade.
  expect(reasons.at(-1)).toBe('end');
  expect(reasons.filter((r) => r === 'end')).toHaveLength(1);
  await page.getByRole('link', { name: 'Strategy', exact: true }).click();
  await page.getByRole('checkbox', { name: /close positions still open at the last close/ }).uncheck();
  await expect.poll(async () => (await json(page)).settings.closeAtEnd).toBeUndefined();
  await runAndWait(page);
  expect(await exitBy(page)).not.toContain('end');
  expect(errors).toEqual([]);
  await page.context().close();
});
