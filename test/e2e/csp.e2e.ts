/**
 * Issue #12: the app runs a backtest on a host whose Content-Security-Policy has no 'unsafe-eval'. The build
 * is served by a loopback server of this file (127.0.0.1, port 0, closed after the file) that sends that
 * policy with every response — page, chunks and worker scripts alike — besides the isolation headers. The
 * engine then cannot generate code: conditions are interpreted (compile's no-codegen path) and the results
 * must be the ones the normal host gives, with the result saying which engine ran and why.
 */
import type { Page } from 'playwright';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { chromiumForFile, openPage } from './browser.ts';
import { staticHost, type StaticHost } from './static-host.ts';

const browser = chromiumForFile();
const CSP = "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'";

let host: StaticHost | undefined;
beforeAll(async () => {
  const dist = inject('distDir');
  host = await staticHost(() => dist, { 'Content-Security-Policy': CSP });
});
afterAll(async () => {
  await host?.close();
});

const stats = (page: Page) => page.getByRole('table', { name: 'Statistics', exact: true });

/** The first visit's run: statistics (label → value), trade count, and which engine ran with its note. */
async function firstRun(url: string): Promise<{ rows: string[][]; trades: string; engine: string; note: string; errors: string[]; evalBlocked: boolean }> {
  const { page, errors } = await openPage(browser(), url, 'light', { firstVisit: 'keep' });
  await stats(page).waitFor({ timeout: 90_000 });
  const rows = await stats(page).locator('tbody tr:not(.group)').evaluateAll((trs) =>
    trs.map((r) => [r.querySelector('th')?.textContent ?? '', r.querySelector('td')?.textContent ?? '']));
  const trades = (await page.getByRole('table', { name: /^Trades/ }).locator('caption').textContent()) ?? '';
  const used = page.getByTestId('engine-used');
  const out = { rows, trades, engine: (await used.textContent()) ?? '', note: (await used.getAttribute('title')) ?? '' };
  // Whether the policy is in force on this page: generated code refused.
  // (A string timer is compiled by the page itself; code evaluated by the test's devtools connection is exempt.)
  const evalBlocked = await page.evaluate(() => new Promise<boolean>((ok) => {
    setTimeout('globalThis.__evalRan = 1', 0);
    setTimeout(() => ok((globalThis as { __evalRan?: number }).__evalRan !== 1), 100);
  }));
  await page.context().close();
  // A refused eval may be reported on the console; anything else is a real error.
  return { ...out, errors: errors.filter((e) => !/'unsafe-eval'/.test(e)), evalBlocked };
}

it("runs a backtest under a CSP without 'unsafe-eval': interpreted conditions, the same results as the normal host", async () => {
  const csp = await firstRun(host!.url);
  const normal = await firstRun(inject('baseUrl'));
  expect(csp.errors).toEqual([]);
  expect(normal.errors).toEqual([]);
  // The policy was in force (the page refuses generated code) and the result says what ran.
  expect(csp.evalBlocked).toBe(true);
  expect(normal.evalBlocked).toBe(false);
  expect(csp.engine).toBe('reference kernel');
  expect(csp.note).toMatch(/conditions and expressions interpreted \(this page blocks generated code: CSP without 'unsafe-eval'\)$/);
  expect(normal.note).not.toMatch(/interpreted/);
  expect(Number(csp.trades.replace(/\D/g, ''))).toBeGreaterThan(50);
  expect(csp.trades).toBe(normal.trades);
  expect(csp.rows.length).toBeGreaterThan(10);
  expect(csp.rows).toEqual(normal.rows);
});
