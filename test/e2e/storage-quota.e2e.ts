/**
 * Issue #10, quota exhaustion in real Chromium: the origin's quota is lowered through CDP
 * (`Storage.overrideQuotaForOrigin`) so a large import of a stored symbol cannot fit. The import must fail
 * with a message that says how much room is missing, the previous dataset must survive byte for byte, and
 * no partial file may be left. Its own Chromium and browser context: the lowered quota touches no other test.
 */
import { expect, inject, it } from 'vitest';
import type { Page } from 'playwright';
import { chromiumForFile, openPage } from './browser.ts';

const browser = chromiumForFile();

function csv(rows: number, price: number): Buffer {
  const t0 = Date.UTC(2020, 0, 2, 14, 30);
  const out = ['time,open,high,low,close,volume'];
  for (let i = 0; i < rows; i++) out.push(`${t0 + i * 60_000},${price},${price + 1},${price - 1},${(price + (i % 997) / 100).toFixed(2)},${i}`);
  return Buffer.from(out.join('\n'));
}

/** Every file in the store's OPFS directory with its size and a checksum of its bytes. */
function storeFiles(page: Page): Promise<Record<string, string>> {
  return page.evaluate(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('bars');
    const out: Record<string, string> = {};
    for await (const [name, h] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemFileHandle]> }).entries()) {
      const bytes = new Uint8Array(await (await h.getFile()).arrayBuffer());
      let sum = 0;
      for (let i = 0; i < bytes.length; i++) sum = (sum * 31 + bytes[i]!) >>> 0;
      out[name] = `${bytes.length} bytes, checksum ${sum}`;
    }
    return out;
  });
}

async function importFile(page: Page, name: string, buffer: Buffer): Promise<void> {
  // Under a lowered quota Chromium takes far longer to accept a file (31 s for 9 MB at load ~20): allow it.
  await page.getByLabel('Bar files').setInputFiles({ name, mimeType: 'text/csv', buffer }, { timeout: 120_000 });
}

it('an import past the storage quota fails saying how much room is missing; the previous dataset survives intact', async () => {
  const base = inject('baseUrl');
  const { page, errors } = await openPage(browser(), `${base}#/data`);
  // The app stores its embedded sample (S&P 500 daily, one file) on start (issue 16): wait for it, so it is
  // part of "before" and of the usage the lowered quota is computed from.
  await page.getByRole('table', { name: 'Stored datasets' }).getByRole('row', { name: /SPX/ }).waitFor({ timeout: 60_000 });
  const sample = Object.keys(await storeFiles(page)).length;
  await importFile(page, 'ABC.csv', csv(300, 50));
  await page.getByRole('region', { name: 'Import report for ABC.csv' }).waitFor({ timeout: 60_000 });
  const table = page.getByRole('table', { name: 'Stored datasets' });
  const rowText = async () => (await table.getByRole('row', { name: /ABC/ }).getByRole('cell').allTextContents()).join(' | ');
  await table.getByRole('row', { name: /ABC/ }).waitFor();
  const before = { row: await rowText(), files: await storeFiles(page) };
  expect(Object.keys(before.files)).toHaveLength(sample + 1); // the sample's files and ABC's

  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(base).origin;
  const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  // Room for 1 MB more; the new file needs more: 4.8 MB raw (100,000 rows × 48 bytes), about 2 MB in the compact
  // format (scaled int32 prices, time steps), whatever the encoder makes of these rows.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 1_000_000 });
  try {
    await importFile(page, 'ABC.csv', csv(100_000, 100));
    const alert = page.getByRole('alert').filter({ hasText: 'Import of ABC.csv failed' });
    await alert.waitFor({ timeout: 120_000 });
    const message = (await alert.textContent()) ?? '';
    console.log(`storage quota: usage ${usage} bytes, quota set to usage + 1 MB via CDP; the import said: ${message}`);
    const save = /not enough storage to save (\d+\.\d) MB/.exec(message)?.[1];
    expect(Number(save), message).toBeGreaterThan(1);
    expect(Number(save), message).toBeLessThanOrEqual(4.8);
    // Chromium's estimate ignores the lowered quota (it still reports gigabytes free), so the message must
    // say so and bound the missing room by the file's size instead of claiming a figure it cannot know.
    const estimate = await page.evaluate(async () => (await navigator.storage.estimate()).quota ?? 0);
    const about = /about (\d+\.\d) MB more room is needed/.exec(message);
    const bound = /reports (\d+\.\d) MB free but refused the write, so up to (\d+\.\d) MB more room may be needed/.exec(message);
    if (estimate - usage > 10e6) expect(bound?.[2], message).toBe(save);
    else expect(Number(about?.[1]), message).toBeGreaterThan(Number(save) - 1.1);
    expect(message).not.toMatch(/ 0\.0 MB more/);
    expect(message).toMatch(/the previous data are kept/);
    expect(message).toMatch(/Stored data are unchanged\./);

    // The previous dataset: same catalog row, same file byte for byte, and no partial file beside it.
    expect(await rowText()).toBe(before.row);
    expect(await storeFiles(page)).toEqual(before.files);
  } finally {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  }

  // With the quota back the same import succeeds and replaces the old file.
  await importFile(page, 'ABC.csv', csv(100_000, 100));
  await expect.poll(rowText, { timeout: 120_000 }).toMatch(/100,000/);
  expect(Object.keys(await storeFiles(page))).toHaveLength(sample + 1); // the new ABC file replaced the old one
  expect(errors.filter((e) => !/QuotaExceeded|quota/i.test(e))).toEqual([]);
  await page.context().close();
});
