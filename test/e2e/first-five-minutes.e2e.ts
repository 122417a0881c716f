/**
 * Issue #16: what a newcomer touches first, at 1440 and 390 px. Each "Fix" test is named after the broken
 * behaviour it pins and runs at both widths; nothing may scroll sideways at either. Screenshots go to
 * test/e2e/screenshots/ffm-*-<width>.png (or E2E_SCREENSHOTS).
 */
import type { Page } from 'playwright';
import { expect, inject, it } from 'vitest';
import { chromiumForFile, openPage, screenshot } from './browser.ts';

const browser = chromiumForFile();
const WIDTHS = [1440, 390] as const;

const stats = (page: Page) => page.getByRole('table', { name: 'Statistics', exact: true });
const runButton = (page: Page) => page.getByRole('button', { name: 'Run backtest', exact: true });

async function runAndWait(page: Page): Promise<void> {
  await runButton(page).click();
  await page.waitForURL(/#\/results$/);
  await stats(page).waitFor({ timeout: 60_000 });
}

/** The page's width may not exceed the viewport's (nothing scrolls sideways). */
async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

type Width = (typeof WIDTHS)[number];

/** One regression test per width, named after the item it pins. */
function atBothWidths(name: string, test: (width: Width) => Promise<void>): void {
  for (const width of WIDTHS) it(`${name} (${width} px)`, () => test(width));
}

const open = (width: Width, url = inject('baseUrl')) => openPage(browser(), url, 'light', { width });

for (const width of WIDTHS) {
  it(`first visit at ${width} px: a result without a click, and Ctrl+Enter runs again`, async () => {
    const { page, errors } = await openPage(browser(), inject('baseUrl'), 'light', { firstVisit: 'keep', width });
    await page.waitForURL(/#\/results$/, { timeout: 60_000 });
    await stats(page).waitFor({ timeout: 60_000 });
    await page.getByRole('figure').filter({ hasText: 'Equity vs benchmark' }).locator('canvas').first().waitFor();
    expect(await page.getByRole('table', { name: /^Run history \(1\)/ }).count()).toBe(1);
    expect(await pageWidth(page)).toBeLessThanOrEqual(width);
    await screenshot(page, `ffm-first-visit-${width}.png`);

    await page.getByRole('link', { name: 'Strategy', exact: true }).click();
    await page.getByRole('textbox', { name: 'Parameter fast default' }).fill('12');
    // Validation may run once typing pauses (#10): wait until the edited document is the valid one.
    await expect.poll(() => page.getByRole('textbox', { name: 'Strategy document (JSON)' }).inputValue()).toContain('"default": 12');
    await page.getByText('valid', { exact: true }).waitFor();
    await page.waitForTimeout(1000);
    await page.keyboard.press('Control+Enter');
    await page.waitForURL(/#\/results$/);
    await page.getByRole('table', { name: /^Run history \(2\)/ }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });
}

atBothWidths('Fix 1: no template runs on the built-in data — every card runs or says before the click what it needs', async (width) => {
  const { page, errors } = await open(width);
  const gallery = page.getByRole('list', { name: 'Templates' });
  await gallery.getByText(/Runs on the stored data|Needs /).first().waitFor();
  const cards = gallery.getByRole('listitem');
  const n = await cards.count();
  // Seven since the payroll template and the fundamentals variant of momentum rotation (issue 11) landed.
  expect(n).toBe(7);
  let ran = 0;
  const needs: string[] = [];
  for (let i = 0; i < n; i++) {
    const card = page.getByRole('list', { name: 'Templates' }).getByRole('listitem').nth(i);
    const text = (await card.textContent()) ?? '';
    if (/Runs on the stored data/.test(text)) {
      await card.getByRole('button').click();
      await runAndWait(page);
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(await pageWidth(page)).toBeLessThanOrEqual(width);
      ran++;
      await page.getByRole('link', { name: 'Strategy', exact: true }).click();
    } else {
      // Not runnable here: it says what it needs and links the import.
      expect(text).toMatch(/Needs .+: import them/);
      needs.push(text);
      expect(await card.getByRole('link', { name: 'import them' }).getAttribute('href')).toBe('#/data');
    }
  }
  // The four templates that used SPY run on the embedded S&P 500 (SPX), payrolls on SPX and the embedded
  // payroll series, momentum rotation on the embedded monthly stocks; only the fundamentals variant needs imports.
  expect(ran).toBe(6);
  expect(needs).toHaveLength(1);
  expect(needs[0]).toMatch(/Momentum rotation \(fundamentals\)/);
  expect(await pageWidth(page)).toBeLessThanOrEqual(width);
  await gallery.scrollIntoViewIfNeeded();
  await screenshot(page, `ffm-gallery-${width}.png`);
  expect(errors).toEqual([]);
  await page.context().close();
});

atBothWidths('Fix 2: run comparison chart squeezed to 7 px — the A vs B chart has its full height and width', async (width) => {
  const { page, errors } = await open(width);
  await page.getByRole('textbox', { name: 'Parameter fast default' }).fill('5');
  await runAndWait(page);
  const boxes = page.getByRole('table', { name: /^Run history \(2\)/ }).getByRole('checkbox');
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  const canvas = page.getByRole('figure').filter({ hasText: 'Equity: A vs B' }).locator('canvas');
  await canvas.waitFor();
  const box = (await canvas.boundingBox())!;
  expect(box.height).toBeGreaterThan(150);
  // The panel's width less its padding: > 1000 px at 1440, > 300 px at 390, and never past the viewport.
  expect(box.width).toBeGreaterThan(width === 1440 ? 1000 : 300);
  expect(box.x + box.width).toBeLessThanOrEqual(width);
  expect(await pageWidth(page)).toBeLessThanOrEqual(width);
  // Two runs of one document read alike unless each says what differs (fast 5 is the newer run, ticked first).
  expect(await page.getByRole('table', { name: 'Statistics compared' }).locator('thead th.n').allTextContents())
    .toEqual(['A: SMA crossover (10/20) · fast 5', 'B: SMA crossover (10/20) · fast 10']);
  await page.getByRole('region', { name: 'Comparison' }).scrollIntoViewIfNeeded();
  await screenshot(page, `ffm-compare-${width}.png`);
  expect(errors).toEqual([]);
  await page.context().close();
});

atBothWidths('Fix 3: Optimize default fails — the default search runs as it is, the heading follows the method, errors speak the page', async (width) => {
  const { page, errors } = await open(width);
  await page.getByRole('link', { name: 'Optimize', exact: true }).click();
  const method = page.getByRole('combobox', { name: 'Method' });
  await method.waitFor();
  // 49 × 40 = 1,960 combinations, 1,725 with fast < slow, do not fit 1,000 evaluations: the page starts on a random sample.
  expect(await method.inputValue()).toBe('random');
  await page.getByText('Random search: 1,000 of 1,725 combinations, sampled (235 excluded by the constraints)').waitFor();
  expect(await page.getByRole('spinbutton', { name: 'Min trades' }).inputValue()).toBe('10');
  // Labels and inputs do not touch ("Max evaluations1000"): 4 px or more beside the text, or below it.
  for (const name of ['Evaluations', 'Seed', 'Min trades']) {
    const label = page.locator('label.field').filter({ hasText: name }).first();
    const gap = await label.evaluate((el) => {
      const input = el.querySelector('input')!.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(el.firstChild!);
      const text = range.getBoundingClientRect();
      return input.top >= text.bottom ? Infinity : input.left - text.right;
    });
    expect(gap, name).toBeGreaterThanOrEqual(4);
  }
  await method.selectOption('grid');
  await page.getByText('Grid search: 1,725 combinations (235 excluded by the constraints)').waitFor();
  const alert = page.getByRole('alert');
  expect(await alert.textContent()).toMatch(/choose the random or genetic method/);
  expect(await page.getByText(/--method/).count()).toBe(0);
  await method.selectOption('random');
  await page.getByRole('spinbutton', { name: 'Max evaluations' }).or(page.getByRole('spinbutton', { name: 'Evaluations' })).fill('60');
  await page.getByRole('button', { name: 'Run optimization' }).click();
  await page.getByRole('table', { name: 'Top candidates' }).waitFor({ timeout: 90_000 });
  expect(await pageWidth(page)).toBeLessThanOrEqual(width);
  await screenshot(page, `ffm-optimize-${width}.png`);
  expect(errors).toEqual([]);
  await page.context().close();
});

atBothWidths('Fix 4: share-link data check stuck or wrong on a fresh browser — it matches the embedded data, hints stay, Undo is not promised', async (width) => {
  const sender = await open(width);
  await sender.page.getByRole('textbox', { name: 'Document name' }).fill('Linked on a fresh browser');
  await sender.page.getByRole('button', { name: 'Copy link' }).click();
  const link = await sender.page.getByRole('textbox', { name: 'Shareable link' }).inputValue();
  await sender.page.context().close();

  // A browser that has never opened the app: nothing stored yet.
  const recipient = await open(width, link);
  const banner = recipient.page.getByRole('region', { name: 'Shared link' });
  await banner.getByText('Data fingerprint matches — a re-run gives identical statistics.').waitFor({ timeout: 20_000 });
  expect(await banner.textContent()).not.toMatch(/Undo/);
  expect(await recipient.page.getByRole('button', { name: 'Undo' }).isDisabled()).toBe(true);
  // Defaults the sender never wrote stay unset: the fee and slippage fields keep their hints.
  for (const name of ['Fee per share', 'Fee per order', 'Minimum fee per order', 'Slippage in basis points', 'Fixed slippage per unit']) {
    expect(await recipient.page.getByRole('textbox', { name, exact: true }).inputValue()).toBe('');
  }
  expect(await recipient.page.getByRole('textbox', { name: 'Fee fraction of notional' }).inputValue()).toBe('0.002');
  // The sample data were stored by the visit itself.
  await recipient.page.getByRole('link', { name: 'Data', exact: true }).click();
  await recipient.page.getByRole('table', { name: 'Stored datasets' }).getByRole('rowheader', { name: 'SPX' }).waitFor();
  await recipient.page.getByRole('link', { name: 'Strategy', exact: true }).click();
  await runAndWait(recipient.page);
  await banner.getByText('Data fingerprint matches — a re-run gives identical statistics.').waitFor();
  expect(await pageWidth(recipient.page)).toBeLessThanOrEqual(width);
  await screenshot(recipient.page, `ffm-share-fresh-${width}.png`);
  expect(recipient.errors).toEqual([]);
  await recipient.page.context().close();
});

atBothWidths('Fix 5: invalid values shown as valid — "crossAbove" typed in the JSON shows as invalid in the operator list', async (width) => {
  const { page, errors } = await open(width);
  const editor = page.getByRole('textbox', { name: 'Strategy document (JSON)' });
  const text = await editor.inputValue();
  await editor.fill(text.replace('"crossesAbove"', '"crossAbove"'));
  const select = page.getByRole('combobox', { name: 'Condition 1 comparator' });
  await expect.poll(() => select.getAttribute('aria-invalid')).toBe('true');
  expect(await select.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent)).toBe('crossAbove (not valid)');
  expect(await runButton(page).isDisabled()).toBe(true);
  expect(await pageWidth(page)).toBeLessThanOrEqual(width);
  await select.scrollIntoViewIfNeeded();
  await screenshot(page, `ffm-invalid-op-${width}.png`);
  expect(errors).toEqual([]);
  await page.context().close();
});

atBothWidths('Fix 6: 390 px page 720 px wide — every page fits the width, the nav reads whole, numbers do not wrap', async (width) => {
  const { page: p, errors } = await open(width);
  for (const page of ['Strategy', 'Results', 'Data', 'Optimize', 'Live', 'Settings'] as const) {
    await p.getByRole('link', { name: page, exact: true }).click();
    await p.getByRole('heading', { level: 2 }).first().waitFor();
    await p.waitForTimeout(300);
    if (page === 'Strategy') {
      // Every unit stays beside its input ("$/share" had wrapped to the next line, under the next input).
      const apart = await p.evaluate(() => [...document.querySelectorAll('.set-ctl .unit')].filter((u) => {
        const input = u.previousElementSibling;
        if (!(input instanceof HTMLInputElement)) return false;
        const a = input.getBoundingClientRect(), b = u.getBoundingClientRect();
        return b.left < a.right || b.top >= a.bottom;
      }).map((u) => u.textContent));
      expect(apart).toEqual([]);
    }
    if (page === 'Results') {
      await stats(p).waitFor();
      // Each headline figure ("−70.49 %") on one line.
      for (const dd of await p.locator('.kpi dd').all()) expect((await dd.boundingBox())!.height).toBeLessThan(30);
      // The histogram's labels stay readable when its SVG shrinks to the screen (they were 5 px at 390).
      const ticks = await p.locator('.distribution text.tick').evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect().height));
      expect(ticks.length).toBeGreaterThan(2);
      expect(Math.min(...ticks)).toBeGreaterThanOrEqual(9);
      // The explain field shows its whole placeholder ("… 14:30" was cut at "14:3").
      const fits = await p.getByRole('textbox', { name: /^Explain bar at/ }).evaluate((el) => {
        const input = el as HTMLInputElement, cs = getComputedStyle(input);
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = `${cs.fontSize} ${cs.fontFamily}`;
        return ctx.measureText(input.placeholder).width <= input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      });
      expect(fits).toBe(true);
    }
    if (page === 'Optimize') {
      // Each parameter's checkbox and name on one line, level with its inputs (the name fell under its box at 390 px).
      // evaluateAll does not wait: on a loaded CI machine the table was not there yet after the 300 ms above.
      await p.locator('table.opt-space tbody th label').first().waitFor();
      const rows = await p.locator('table.opt-space tbody th label').evaluateAll((ls) => ls.map((l) => {
        const mid = (r: DOMRect) => (r.top + r.bottom) / 2;
        const range = document.createRange();
        range.selectNodeContents(l.lastChild!);
        const box = l.querySelector('input')!.getBoundingClientRect(), input = l.closest('tr')!.querySelector('td input')?.getBoundingClientRect();
        return { name: Math.abs(mid(range.getBoundingClientRect()) - mid(box)), level: input ? Math.abs(mid(box) - mid(input)) : 0 };
      }));
      expect(rows.length).toBeGreaterThan(0);
      // …and the whole space table (through Step) fits the panel without scrolling.
      expect(await p.locator('table.opt-space').evaluate((t) => t.scrollWidth <= t.clientWidth + 1)).toBe(true);
      for (const r of rows) {
        expect(r.name, 'the name beside its checkbox').toBeLessThanOrEqual(4);
        expect(r.level, 'the checkbox level with the inputs').toBeLessThanOrEqual(4);
      }
    }
    if (page === 'Live' && width === 390) {
      // Stacked on a phone, the risk guards' inputs line up in one column (they zig-zagged with their labels' lengths).
      const lefts = await p.locator('fieldset.live-guards input').evaluateAll((is) => is.map((i) => Math.round(i.getBoundingClientRect().left)));
      expect(lefts).toHaveLength(3);
      expect(new Set(lefts).size).toBe(1);
    }
    expect(await pageWidth(p), page).toBeLessThanOrEqual(width);
    // No title or caption runs off screen (a wide table scrolls, but its caption must stay readable).
    const cut = await p.evaluate((w) => [...document.querySelectorAll('caption:not(.sr-only), h2, h3')].filter((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const r = range.getBoundingClientRect();
      return r.width > 0 && r.right > w + 0.5;
    }).map((el) => el.textContent), width);
    expect(cut, page).toEqual([]);
    const links = p.getByRole('navigation', { name: 'Pages' }).getByRole('link');
    expect(await links.count()).toBe(6);
    for (let i = 0; i < (await links.count()); i++) {
      const link = links.nth(i);
      const box = (await link.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      expect(await link.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    }
    await screenshot(p, `ffm-${width}-${page.toLowerCase()}.png`);
  }
  expect(errors).toEqual([]);
  await p.context().close();
});

atBothWidths('Fix 7: float-noise prices, header-text-only sorting, identical runs piling up', async (width) => {
  const { page, errors } = await open(width);
  await runAndWait(page);
  await page.getByRole('link', { name: 'Strategy', exact: true }).click();
  await runAndWait(page);
  // Three identical runs (the first visit's and two clicks): one row.
  await page.getByRole('table', { name: /^Run history \(1\)/ }).waitFor();
  const trades = page.getByRole('table', { name: /^Trades/ });
  const prices = await trades.locator('tbody tr').first().locator('td').evaluateAll((tds) => [tds[5]!.textContent, tds[6]!.textContent]);
  for (const p of prices) expect(p).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
  // A click in the header cell's empty right part sorts too, and so does one in its bottom part when another
  // header of the row wraps onto two lines (390 px: the row is taller than a one-line button).
  const th = trades.getByRole('columnheader', { name: /^Symbol/ });
  const box = (await th.boundingBox())!;
  await th.click({ position: { x: box.width - 3, y: box.height - 2 } });
  await expect.poll(() => th.getAttribute('aria-sort')).toBe('ascending');
  const pnl = trades.getByRole('columnheader', { name: /^P&L/ });
  const b2 = (await pnl.boundingBox())!;
  await pnl.click({ position: { x: 3, y: b2.height - 2 } });
  await expect.poll(() => pnl.getAttribute('aria-sort')).toBe('ascending');
  expect(await pageWidth(page)).toBeLessThanOrEqual(width);
  await trades.scrollIntoViewIfNeeded();
  await screenshot(page, `ffm-numbers-${width}.png`);
  expect(errors).toEqual([]);
  await page.context().close();
});

atBothWidths('Fix 7: "Storage used" lags behind an import — it grows without a reload', async (width) => {
  const { page, errors } = await open(width, `${inject('baseUrl')}#/data`);
  const used = page.getByTestId('storage-used');
  // The first estimate can wait behind the first visit's sample-data writes: the default 1 s poll was too short.
  await expect.poll(() => used.textContent(), { timeout: 15_000 }).not.toBe('…');
  const before = await used.textContent();
  const lines = ['Date,Open,High,Low,Close,Volume'];
  for (let i = 0; i < 20_000; i++) {
    const d = new Date(Date.UTC(1950, 0, 2) + i * 86_400_000).toISOString().slice(0, 10);
    lines.push(`${d},${100 + i / 7},${101 + i / 7},${99 + i / 7},${100.5 + i / 7},${1000 + i}`);
  }
  await page.getByLabel('Bar files').setInputFiles({ name: 'BIG.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await page.getByRole('region', { name: 'Import report for BIG.csv' }).waitFor({ timeout: 60_000 });
  await expect.poll(() => used.textContent(), { timeout: 15_000 }).not.toBe(before);
  expect(await pageWidth(page)).toBeLessThanOrEqual(width);
  await screenshot(page, `ffm-storage-${width}.png`);
  expect(errors).toEqual([]);
  await page.context().close();
});

atBothWidths('Fix 8: offline works only from a build and the app does not say it is offline — the status line does', async (width) => {
  const { page, errors } = await open(width);
  const net = page.getByRole('status', { name: 'Network' });
  expect(await net.textContent()).toBe('Online');
  await page.context().setOffline(true);
  await expect.poll(() => net.textContent()).toMatch(/^Offline/);
  // The indicator is on screen (the status line wraps, it is not pushed out) and the page still fits.
  const box = (await net.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(width);
  expect(await pageWidth(page)).toBeLessThanOrEqual(width);
  await screenshot(page, `ffm-offline-${width}.png`);
  await page.context().setOffline(false);
  await expect.poll(() => net.textContent()).toBe('Online');
  expect(errors).toEqual([]);
  await page.context().close();
});
