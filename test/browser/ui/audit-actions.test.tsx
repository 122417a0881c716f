import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { runBacktest } from '../../../src/engine/index.ts';
import { parseDocument, type BarColumns } from '../../../src/schema/index.ts';
import { ResultsView } from '../../../src/ui/results/ResultsView.tsx';
import { cleanup, render } from './render.tsx';

afterEach(cleanup);

const day = (n: number) => Date.UTC(2024, 0, n);

/** Six daily bars of A: 100 until a 2-for-1 split on Jan 4 (50 after), a dividend of 0.5 going ex on Jan 8. */
function bars(): BarColumns {
  const time = [1, 2, 3, 4, 5, 8].map(day);
  const close = [100, 100, 100, 50, 50, 50];
  const f = (xs: number[]) => Float64Array.from(xs);
  return { symbol: 'A', timeframe: '1d', length: 6, time: f(time), open: f(close), high: f(close), low: f(close), close: f(close), volume: f([1, 0, 0, 0, 0, 0]) };
}

describe('Audit: corporate actions a raw-price run applied', () => {
  it('lists each split and dividend with its date and its effect on position, average price and cash', async () => {
    const parsed = parseDocument({
      version: 1, name: 'buy 10', settings: { universe: ['A'], timeframe: '1d', initialCash: 10_000, prices: 'raw' },
      strategies: [{ id: 's', name: 's', condition: { lhs: { kind: 'price', field: 'volume' }, op: '=', rhs: 1 }, action: { type: 'buy', amount: { unit: 'quantity', value: 10 } } }],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const result = runBacktest(parsed.doc, { bars: [bars()], actions: [
      { symbol: 'A', exDate: day(4), type: 'split', value: 2 }, { symbol: 'A', exDate: day(6), type: 'dividend', value: 0.5 },
    ] });
    const host = await render(<ResultsView result={result} title="actions" />);
    const table = page.getByRole('table', { name: 'Splits and dividends applied (raw prices)' });
    await expect.element(table).toBeVisible();
    const rows = [...table.element().querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('th,td')].map((c) => c.textContent));
    // Bought 10 at Jan 2's open (100); the split makes it 20 at 50; the dividend (ex Jan 6, a Saturday) applies at Jan 8's bar: 20 × 0.5.
    expect(rows).toEqual([
      [expect.stringContaining('2024-01-04'), 'A', '2-for-1 split', '10 → 20', '100.00 → 50.00', '—', '0'],
      [expect.stringContaining('2024-01-08'), 'A', 'dividend 0.50 / share', '20', '50.00', '+10.00', '0'],
    ]);
    expect(host.querySelector('section[aria-labelledby="h-audit"]')!.contains(table.element())).toBe(true);
  });
});
