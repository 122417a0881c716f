import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll } from 'vitest';

/** test/e2e/screenshots (gitignored), or E2E_SCREENSHOTS when a reviewer wants them elsewhere. */
export const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

/** Debian Chromium, never a downloaded browser; flags keep it quiet and offline on a shared CI machine. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface OpenOptions {
  /** 'settle' (default): a first visit to the app's root waits for the default run's result, then returns to the Strategy page. */
  firstVisit?: 'settle' | 'keep';
  width?: number;
  height?: number;
}

/**
 * A first visit runs the default strategy by itself and shows Results: wait for it, then go back to the
 * Strategy page, where most tests start (as a user would after looking at the first result).
 */
export async function settleFirstVisit(page: Page): Promise<void> {
  await page.waitForURL(/#\/results$/, { timeout: 60_000 });
  await page.getByRole('table', { name: 'Statistics', exact: true }).waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Strategy', exact: true }).click();
  await page.getByRole('textbox', { name: 'Document name' }).waitFor();
}

/** A fresh page that records uncaught errors and console errors, so a test can require there were none. */
export async function openPage(browser: Browser, url: string, colorScheme: 'light' | 'dark' = 'light', opts: OpenOptions = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1440, height: opts.height ?? 900 }, colorScheme });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  await page.goto(url);
  if ((opts.firstVisit ?? 'settle') === 'settle' && new URL(url).hash === '') await settleFirstVisit(page);
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** One Chromium for a test file, launched before its tests and closed after; `when` false skips the launch. */
export function chromiumForFile(when = true): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (when) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium was not launched for this file');
    return browser;
  };
}
