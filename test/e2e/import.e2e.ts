import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, inject, it } from 'vitest';
import { chromiumForFile, openPage, screenshot } from './browser.ts';

/** Real SPY minute bars for January 2011 from ../shared/data (DESIGN.md §5); absent in a fresh clone. */
const FILE = resolve(import.meta.dirname, '../../../shared/data/minute/SPY-2011-01.csv');
const present = existsSync(FILE);
if (!present) console.warn(`SKIPPED: import.e2e.ts needs ${FILE} (the shared data folder is absent)`);

const browser = chromiumForFile(present);

it.skipIf(!present)('imports the real SPY minute file through the Data page: 14,180 rows kept', async () => {
  const { page, errors } = await openPage(browser(), `${inject('baseUrl')}#/data`);
  // The app stores its embedded sample (S&P 500 daily) on start (issue 16), so a fresh device lists SPX, not SPY.
  const stored = page.getByRole('table', { name: 'Stored datasets' });
  await stored.getByRole('row', { name: /SPX/ }).waitFor({ timeout: 60_000 });
  expect(await stored.getByRole('row', { name: /SPY/ }).count()).toBe(0);
  await page.getByLabel('Bar files').setInputFiles(FILE);
  const report = page.getByRole('region', { name: 'Import report for SPY-2011-01.csv' });
  await report.waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('rows-kept').textContent()).toBe('14,180');
  expect(await page.getByTestId('rows-rejected').textContent()).toBe('0');
  const row = page.getByRole('table', { name: 'Stored datasets' }).getByRole('row', { name: /SPY/ });
  expect(await row.getByRole('cell').allTextContents()).toEqual(expect.arrayContaining(['1m', '14,180', 'SPY-2011-01.csv']));
  await screenshot(page, 'import-spy-minute.png');
  expect(errors).toEqual([]);
  await page.context().close();
});
