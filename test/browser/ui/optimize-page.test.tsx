import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { runBacktest } from '../../../src/engine/index.ts';
import { parseDocument, type StrategyDocumentInput } from '../../../src/schema/index.ts';
import type { Draft } from '../../../src/ui/doc/draft.ts';
import { OptimizePage } from '../../../src/ui/optimize/OptimizePage.tsx';
import { createBrowserRunner } from '../../../src/ui/runner-browser.ts';
import type { BarSource } from '../../../src/ui/runner-pool.ts';
import { crossDoc, dailyBars } from '../../unit/pool/fixture.ts';
import { cleanup, render } from './render.tsx';

const bars = dailyBars();
/** Bars straight from memory: the page's path is the runner's (needs → load → pool), only the store is skipped. */
const source: BarSource = {
  list: async () => [],
  get: async (symbol) => bars.find((b) => b.symbol === symbol) ?? null,
  getSeries: async () => null,
  listActions: async () => [],
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  cleanup();
  for (const c of closers.splice(0)) await c();
});

/** The page with its document held in state, as App holds it; the defaults are shown so a test can read Apply's effect. */
function Harness({ initial, runner }: { initial: Draft; runner: ReturnType<typeof createBrowserRunner> }) {
  const [draft, setDraft] = useState(initial);
  const parsed = parseDocument(draft);
  const defaults = Object.fromEntries(Object.entries(draft.parameters ?? {}).map(([k, p]) => [k, p.default]));
  return (
    <>
      <output data-testid="defaults">{JSON.stringify(defaults)}</output>
      <OptimizePage doc={parsed.ok ? parsed.doc : null} draft={draft} optimizer={runner} onApply={setDraft} />
    </>
  );
}

async function open() {
  const runner = createBrowserRunner({ data: source, size: 2, jobsDb: `opt-jobs-${Math.random().toString(36).slice(2)}` });
  closers.push(() => runner.close());
  await render(<Harness initial={crossDoc() as StrategyDocumentInput} runner={runner} />);
  await expect.element(page.getByRole('heading', { name: 'Optimize' })).toBeVisible();
}

async function range(name: string, min: number, max: number, step: number) {
  await userEvent.fill(page.getByLabelText(`$${name} min`), String(min));
  await userEvent.fill(page.getByLabelText(`$${name} max`), String(max));
  await userEvent.fill(page.getByLabelText(`$${name} step`), String(step));
}

const cellsOf = (col: number) => [...document.querySelectorAll('table[aria-label="Top candidates"] tbody tr')].map((r) => r.children[col]!.textContent ?? '');

describe('Optimize page on the real engine pool', () => {
  it('runs a small grid: results ranked by the objective, a heatmap, sortable columns, Apply sets the defaults', async () => {
    await open();
    // The template's own space (1,960) exceeds the 1,000 budget, so the page opens on random search.
    await userEvent.selectOptions(page.getByLabelText('Method'), 'grid');
    await range('fast', 4, 12, 4);
    await range('slow', 40, 80, 20);
    await expect.element(page.getByText('Grid search: 9 combinations')).toBeVisible();
    await userEvent.click(page.getByRole('button', { name: 'Run optimization' }));
    const table = page.getByRole('table', { name: 'Top candidates' });
    await expect.element(table, { timeout: 30_000 }).toBeVisible();

    // The same 9 runs in this page, ranked by Sharpe: the table's order and values must match.
    const doc = crossDoc();
    const expected = [4, 8, 12].flatMap((fast) => [40, 60, 80].map((slow) => ({ fast, slow, sharpe: runBacktest(doc, { bars }, { params: { fast, slow }, audit: false }).stats.sharpe })))
      .sort((a, b) => b.sharpe - a.sharpe || a.fast - b.fast);
    expect(cellsOf(0)).toHaveLength(9);
    expect(cellsOf(1).map(Number)).toEqual(expected.map((e) => e.fast).slice(0, 9));
    expect(cellsOf(2).map(Number)).toEqual(expected.map((e) => e.slow));
    expect(page.getByText(/^9 evaluations in/).elements()).toHaveLength(1);

    // Heatmap: 3 × 3 cells, each naming its parameters and value; the best one is marked.
    const cells = [...document.querySelectorAll('figure.heatmap td')];
    expect(cells).toHaveLength(9);
    const best = expected[0]!;
    expect(cells.filter((c) => c.getAttribute('aria-label')!.endsWith('(best)')).map((c) => c.getAttribute('aria-label')))
      .toEqual([expect.stringMatching(new RegExp(`^\\$fast ${best.fast}, \\$slow ${best.slow}: sharpe`))]);

    // Sorting by trades (descending, then ascending on a second click).
    await userEvent.click(page.getByRole('button', { name: 'Trades' }));
    const trades = cellsOf(7).map(Number);
    expect(trades).toEqual([...trades].sort((a, b) => b - a));
    await userEvent.click(page.getByRole('button', { name: /Trades/ }));
    expect(cellsOf(7).map(Number)).toEqual([...trades].sort((a, b) => a - b));

    await userEvent.click(page.getByRole('button', { name: 'Apply rank 1' }));
    await expect.element(page.getByTestId('defaults')).toHaveTextContent(JSON.stringify({ fast: best.fast, slow: best.slow }));
    await expect.element(page.getByRole('status').filter({ hasText: 'Applied' })).toBeVisible();
  });

  it('walk-forward: a row per window with the parameters chosen in-sample and both samples\' figures', async () => {
    await open();
    // The template's own space (1,960) exceeds the 1,000 budget, so the page opens on random search.
    await userEvent.selectOptions(page.getByLabelText('Method'), 'grid');
    await range('fast', 4, 12, 4);
    await range('slow', 40, 80, 20);
    await userEvent.click(page.getByRole('checkbox', { name: 'Walk-forward' }));
    await userEvent.fill(page.getByLabelText('In-sample size'), '400');
    await userEvent.fill(page.getByLabelText('Out-of-sample size'), '200');
    await userEvent.click(page.getByRole('button', { name: 'Run optimization' }));
    const windows = page.getByRole('table', { name: 'Walk-forward windows' });
    await expect.element(windows, { timeout: 30_000 }).toBeVisible();
    const rows = [...document.querySelectorAll('table[aria-label="Walk-forward windows"] tbody tr')];
    // ~1,000 daily bars: 400 in-sample then 200-bar out-of-sample windows.
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) {
      expect([4, 8, 12]).toContain(Number(r.children[2]!.textContent));
      expect([40, 60, 80]).toContain(Number(r.children[3]!.textContent));
    }
    await expect.element(page.getByText(/^Stitched out-of-sample: return/)).toBeVisible();
  });

  it('shows live progress and cancels a long grid', async () => {
    await open();
    await userEvent.selectOptions(page.getByLabelText('Method'), 'grid');
    await range('fast', 2, 60, 1);
    await range('slow', 10, 200, 1);
    // A grid's budget is a ceiling: above it the search refuses to start rather than run for minutes.
    await userEvent.fill(page.getByLabelText('Max evaluations'), '20000');
    await userEvent.click(page.getByRole('button', { name: 'Run optimization' }));
    await expect.element(page.getByText(/Search: [\d,]+ of 11,269 evaluations, [\d,]+\/s/), { timeout: 30_000 }).toBeVisible();
    await userEvent.click(page.getByRole('button', { name: 'Cancel' }));
    await expect.element(page.getByText('Cancelled.')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Run optimization' })).toBeEnabled();
    expect(document.querySelector('table[aria-label="Top candidates"]')).toBeNull();
  });
});
