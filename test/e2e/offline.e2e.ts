import { expect, inject, it } from 'vitest';
import { chromiumForFile, openPage, screenshot } from './browser.ts';

const browser = chromiumForFile();

it('reloads with the network off after one visit: shell, templates and isolation come from the service worker', async () => {
  const { page, errors } = await openPage(browser(), inject('baseUrl'));
  await page.getByRole('list', { name: 'Templates' }).getByRole('button', { name: 'SMA crossover (10/20)' }).waitFor();
  // clients.claim() in the worker's activate step: control arrives without a reload, after precaching.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
  const cached = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('backtester-')).length);
  expect(cached).toBe(1);

  await page.context().setOffline(true);
  // Proof the network really is off for the worker too: an uncached URL fails instead of answering 404.
  const uncached = await page.evaluate(() => fetch(`./not-cached-${Math.random()}`).then((r) => `HTTP ${r.status}`, () => 'failed'));
  expect(uncached).toBe('failed');
  // That probe's failure is logged as a console error; it is the only one allowed.
  expect(errors.splice(0).filter((e) => !/Failed to load resource: net::ERR_(FAILED|INTERNET_DISCONNECTED)/.test(e))).toEqual([]);

  const response = await page.reload();
  expect(response?.fromServiceWorker()).toBe(true);
  expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  const gallery = page.getByRole('list', { name: 'Templates' });
  await gallery.getByRole('button', { name: 'SMA crossover (10/20)' }).waitFor();
  expect(await gallery.getByRole('button').count()).toBe(7);
  await gallery.getByRole('button', { name: 'Momentum rotation', exact: true }).click();
  expect(await page.getByRole('textbox', { name: 'Document name' }).inputValue()).toBe('Momentum rotation');
  // Headers come from the worker here (the server is unreachable), and still isolate the page.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  // Still offline after the reload, proven by the network itself: Debian's Chromium 150 keeps
  // navigator.onLine true in a document reloaded under Playwright's offline emulation (156 did not), so the
  // flag is no proof either way.
  const after = await page.evaluate(() => fetch(`./not-cached-${Math.random()}`).then((r) => `HTTP ${r.status}`, () => 'failed'));
  expect(after).toBe('failed');
  await screenshot(page, 'offline.png');
  expect(errors.filter((e) => !/Failed to load resource: net::ERR_(FAILED|INTERNET_DISCONNECTED)/.test(e))).toEqual([]);
  await page.context().close();
});
