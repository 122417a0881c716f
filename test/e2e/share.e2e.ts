import type { Page } from 'playwright';
import { expect, inject, it } from 'vitest';
import { chromiumForFile, openPage, screenshot } from './browser.ts';

const browser = chromiumForFile();

async function addSampleData(page: Page) {
  await page.getByRole('link', { name: 'Data' }).click();
  await page.getByRole('button', { name: 'Add sample data' }).click();
  await page.getByRole('table', { name: 'Stored datasets' }).getByRole('rowheader', { name: 'SPX' }).waitFor();
  await page.getByRole('link', { name: 'Strategy' }).click();
}

it('refuses a tampered link with an error and keeps the open document', async () => {
  const { page, errors } = await openPage(browser(), inject('baseUrl'));
  await page.getByRole('textbox', { name: 'Strategy 1 name' }).waitFor();
  await page.getByRole('textbox', { name: 'Document name' }).fill('My own strategy');
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.getByRole('textbox', { name: 'Shareable link' }).inputValue();
  const at = link.indexOf('#/s/') + 30;
  const tampered = link.slice(0, at) + (link[at] === 'x' ? 'y' : 'x') + link.slice(at + 1);
  await page.getByRole('textbox', { name: 'Document name' }).fill('Keep this name');
  await page.evaluate((h) => (window.location.hash = h), new URL(tampered).hash);
  const alert = page.getByRole('region', { name: 'Shared link' }).getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toMatch(/^This link could not be opened: the link is damaged: .+ Nothing was changed\.$/);
  expect(await page.getByRole('textbox', { name: 'Document name' }).inputValue()).toBe('Keep this name');
  expect(page.url()).toMatch(/#\/strategy$/);
  await screenshot(page, 'share-tampered.png');
  expect(errors).toEqual([]);
  await page.context().close();
});

/** Daily SPX bars unlike the embedded series, as a file the Data page can import. */
function otherSpx(rows: number): { name: string; mimeType: string; buffer: Buffer } {
  const lines = ['Date,Open,High,Low,Close,Volume'];
  for (let i = 0; i < rows; i++) {
    const d = new Date(Date.UTC(2020, 0, 2) + i * 86_400_000).toISOString().slice(0, 10);
    lines.push(`${d},${100 + i},${101 + i},${99 + i},${100.5 + i},1000`);
  }
  return { name: 'SPX.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) };
}

it('opens a link in a fresh browser: the strategy is restored and the data fingerprints are compared', async () => {
  const sender = await openPage(browser(), inject('baseUrl'));
  await sender.page.getByRole('textbox', { name: 'Strategy 1 name' }).waitFor();
  await addSampleData(sender.page);
  await sender.page.getByRole('textbox', { name: 'Document name' }).fill('Shared SMA cross');
  await sender.page.getByRole('button', { name: 'Copy link' }).click();
  const link = await sender.page.getByRole('textbox', { name: 'Shareable link' }).inputValue();
  expect(link.startsWith(`${inject('baseUrl')}#/s/`)).toBe(true);
  await sender.page.context().close();

  // The recipient holds the same embedded series: the fingerprints agree.
  const recipient = await openPage(browser(), inject('baseUrl'));
  await addSampleData(recipient.page);
  await recipient.page.goto(link);
  const banner = recipient.page.getByRole('region', { name: 'Shared link' });
  await banner.getByText('Data fingerprint matches — a re-run gives identical statistics.').waitFor();
  expect(await recipient.page.getByRole('textbox', { name: 'Document name' }).inputValue()).toBe('Shared SMA cross');
  await screenshot(recipient.page, 'share-match.png');

  // Other SPX bars on the recipient's device: the link still opens, and says how the data differ.
  await recipient.page.getByRole('link', { name: 'Data' }).click();
  await recipient.page.getByLabel('Bar files').setInputFiles(otherSpx(30));
  await recipient.page.getByRole('region', { name: 'Import report for SPX.csv' }).waitFor();
  await recipient.page.goto(link);
  await banner.getByText(/Your data differ: 30 bars here, [\d,]+ in the link; range 2020-01-02 to 2020-01-31 here/).waitFor();
  await screenshot(recipient.page, 'share-differ.png');
  expect(recipient.errors).toEqual([]);
  await recipient.page.context().close();
});
