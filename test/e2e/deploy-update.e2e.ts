/**
 * Issue #10, a deploy while a tab is open: the tab must keep working on the version it opened with, and
 * offer a reload once the new build's service worker has taken over. The build is copied to a directory
 * this test serves itself (127.0.0.1, port 0, with the isolation headers), so it can stage a deploy: a new
 * entry chunk, index.html and precache manifest. After the deploy the host answers 404 for every asset,
 * so whatever the old tab still loads comes from the service worker's caches.
 */
import { cp, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { chromiumForFile, openPage } from './browser.ts';
import { staticHost, type StaticHost } from './static-host.ts';

const browser = chromiumForFile();

let root = '';
let served = '';
let assetsGone = false;
let host: StaticHost | undefined;
let base = '';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'deploy-e2e-'));
  served = join(root, 'v1');
  await cp(inject('distDir'), served, { recursive: true });
  // Bounded: the server closes with the file, and never outlives the e2e run.
  host = await staticHost(() => served, {}, (path) => assetsGone && path.startsWith('/assets/'));
  base = host.url;
});
afterAll(async () => {
  await host?.close();
  await rm(root, { recursive: true, force: true });
});

/** Stages build "v2": the entry chunk under a new hashed name (every reference rewritten) and a new manifest version. */
async function deploy(): Promise<string> {
  const next = join(root, 'v2');
  await cp(served, next, { recursive: true });
  const entry = (await readdir(join(next, 'assets'))).find((f) => /^index-.*\.js$/.test(f))!;
  const renamed = entry.replace(/^index-/, 'index-v2');
  await rename(join(next, 'assets', entry), join(next, 'assets', renamed));
  const files = ['index.html', 'precache-manifest.js', ...(await readdir(join(next, 'assets'))).filter((f) => f.endsWith('.js')).map((f) => join('assets', f))];
  for (const f of files) {
    const text = await readFile(join(next, f), 'utf8');
    let out = text.split(entry).join(renamed);
    if (f === 'precache-manifest.js') out = out.replace(/"version": "[^"]+"/, '"version": "deploy-v2"');
    if (out !== text) await writeFile(join(next, f), out);
  }
  served = next;
  return renamed;
}

it('a deploy is detected in an open tab: it offers a reload and keeps working, even with the old assets gone', async () => {
  const { page, errors } = await openPage(browser(), base);
  const gallery = page.getByRole('list', { name: 'Templates' });
  await gallery.getByRole('button', { name: 'SMA crossover (10/20)' }).waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
  const prompt = page.getByRole('status', { name: 'Update available' });
  expect(await prompt.count()).toBe(0);

  const renamed = await deploy();
  // What the periodic and on-focus checks do (register.ts): ask the host for sw.js and its manifest.
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  await prompt.waitFor({ timeout: 60_000 });
  expect(await prompt.textContent()).toMatch(/A new version of the app is available\. This tab keeps working on the version it opened with/);
  const caches = await page.evaluate(async () => (await self.caches.keys()).filter((k) => k.startsWith('backtester-')));
  expect(caches).toHaveLength(2);

  // The host no longer has any asset; the old tab still runs a backtest (engine worker and chunks from cache).
  assetsGone = true;
  await page.getByRole('button', { name: 'Run backtest', exact: true }).click();
  await page.getByRole('table', { name: 'Statistics', exact: true }).waitFor({ timeout: 90_000 });
  await page.getByRole('button', { name: 'Later' }).click();
  expect(await prompt.count()).toBe(0);
  expect(errors).toEqual([]);

  // Reload (offered again by a fresh check) runs the deployed build, and no prompt is shown for it.
  assetsGone = false;
  await page.reload();
  await page.getByTestId('isolation').waitFor();
  expect(await page.evaluate(() => [...document.scripts].map((s) => s.src).join(' '))).toContain(renamed);
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  await page.waitForTimeout(500);
  expect(await prompt.count()).toBe(0);
  expect(errors).toEqual([]);
  console.log(`deploy update: prompt shown after the deploy, old tab ran a backtest with the host's assets gone, reload runs ${renamed}`);
  await page.context().close();
});
