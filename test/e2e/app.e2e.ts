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

it('serves the built app cross-origin isolated with gallery, builder and run button', async () => {
  const { page, errors } = await openPage(browser, inject('baseUrl'));
  const gallery = page.getByRole('list', { name: 'Templates' });
  await gallery.getByRole('button', { name: 'SMA crossover (10/20)' }).waitFor();
  expect(await gallery.getByRole('button').count()).toBe(7);
  await expect.poll(() => page.getByRole('textbox', { name: 'Universe symbols' }).inputValue()).toBe('SPX');
  expect(await page.getByRole('region', { name: 'Builder' }).isVisible()).toBe(true);
  expect(await page.getByRole('textbox', { name: 'Strategy 1 name' }).inputValue()).toBe('Go long on golden cross');
  expect(await page.getByRole('button', { name: 'Run backtest', exact: true }).isVisible()).toBe(true);
  expect(await page.getByTestId('isolation').textContent()).toMatch(/^Cross-origin isolated/);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await screenshot(page, 'strategy-light.png');
  expect(errors).toEqual([]);
  await page.context().close();
});

it('shows an invalid window typed in the JSON editor inline, with its path and line, and jumps there', async () => {
  const { page, errors } = await openPage(browser, inject('baseUrl'), 'dark');
  const editor = page.getByRole('textbox', { name: 'Strategy document (JSON)' });
  await expect.poll(() => editor.inputValue()).toContain('"SPX"');
  const doc = JSON.parse(await editor.inputValue()) as { strategies: { condition: { lhs: { window: unknown } } }[] };
  doc.strategies[0]!.condition.lhs.window = { weeks: 3 };
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  await editor.fill(text);

  const at = text.indexOf('"window"');
  const line = text.slice(0, at).split('\n').length;
  const problem = page.getByRole('list', { name: 'Problems' }).getByRole('button');
  await problem.first().waitFor();
  expect(await problem.count()).toBe(1);
  expect(await problem.textContent()).toBe(`line ${line}strategies[0].condition.lhs.windowexpected bars or duration`);
  // The builder shows the same message beside the window control, and the run is blocked.
  expect(await page.getByRole('region', { name: 'Builder' }).getByText('expected bars or duration').count()).toBeGreaterThan(0);
  expect(await page.getByRole('button', { name: 'Run backtest', exact: true }).isDisabled()).toBe(true);

  await problem.click();
  expect(await editor.evaluate((el: HTMLTextAreaElement) => [document.activeElement === el, el.selectionStart])).toEqual([true, at]);
  await screenshot(page, 'json-error-dark.png');
  expect(errors).toEqual([]);
  await page.context().close();
});
