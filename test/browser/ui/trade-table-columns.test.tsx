/**
 * The results page over a pool result reads its trades as columns; the trade table over one reads its trades as columns (trade-rows.ts: sorted as indices, only the
 * rows shown made into objects). It must show exactly what it showed over the trade objects: the same rows in
 * the same order for every column, both directions, ties kept in trade order, and the same precision.
 */
import { afterEach, expect, it } from 'vitest';
import { decodeResult, encodeResult } from '../../../src/rpc/result-columns.ts';
import { tradeRows } from '../../../src/rpc/trade-rows.ts';
import type { RunResult, Trade } from '../../../src/schema/index.ts';
import { TradeTable } from '../../../src/ui/results/TradeTable.tsx';
import { TradeDistribution } from '../../../src/ui/results/TradeDistribution.tsx';
import { compactRun, MAX_TRADES } from '../../../src/ui/history/run-store.ts';
import '../../../src/ui/styles.css';
import { RESULT } from './fixture.ts';
import { cleanup, render } from './render.tsx';

afterEach(cleanup);

/**
 * 230 trades (more than a page) with ties in every column but fees, absent and present exit reasons, two price
 * precisions. Trade i's fee is i cents: the fee cell says which trade a row shows.
 */
function trades(): Trade[] {
  const reasons = [undefined, 'stop', 'target', 'end'] as const;
  return Array.from({ length: 230 }, (_, i) => {
    const r = reasons[(i * 7) % 4];
    const symbol = ['AAA', 'BBB', 'CCC'][(i * 5) % 3]!;
    const price = symbol === 'CCC' ? 1.2345 + (i % 9) * 0.0001 : 100 + (i % 13) * 0.25;
    return {
      symbol, side: i % 4 === 1 ? 'short' : 'long', quantity: 1 + (i % 6), entryTime: Date.UTC(2021, 0, 1 + (i % 40)), exitTime: Date.UTC(2021, 2, 1 + (i % 17)),
      entryPrice: price, exitPrice: price + ((i % 5) - 2) * 0.5, pnl: ((i % 11) - 5) * 3.5, returnPct: ((i % 11) - 5) * 0.7, fees: i / 100,
      strategyId: ['fast', 'slow'][i % 2]!, ...(r ? { exitReason: r } : {}),
    };
  });
}

const rowsOf = (host: Element) => [...host.querySelectorAll('tbody tr')].map((r) => r.textContent);
const FEES = 9;
const feesOf = (host: Element) => [...host.querySelectorAll('tbody tr')].map((r) => (r as HTMLTableRowElement).cells[FEES]!.textContent);

/** The table's order as it was over trade objects: a stable sort by the column, numbers by difference, then reversed for descending. */
const KEYS = ['symbol', 'side', 'entryTime', 'exitTime', 'quantity', 'entryPrice', 'exitPrice', 'pnl', 'returnPct', 'fees', 'exitReason', 'strategyId'] as const;
function expected(list: readonly Trade[], k: number, direction: string): string[] {
  const key = KEYS[k]!;
  const order = list.map((_, i) => i).sort((i, j) => {
    const a = list[i]!, b = list[j]!;
    if (key === 'exitReason') return (a.exitReason ?? 'signal').localeCompare(b.exitReason ?? 'signal');
    const x = a[key], y = b[key];
    return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
  });
  if (direction === 'descending') order.reverse();
  return order.slice(0, 200).map((i) => (i / 100).toFixed(2));
}

it('shows the same rows, in the same order, for every column and direction, from the columns as from the objects', async () => {
  const list = trades();
  const decoded = decodeResult(encodeResult({ ...RESULT, trades: list } as RunResult));
  const objects = await render(<TradeTable trades={list} />);
  const columns = await render(<TradeTable trades={tradeRows(decoded)} />);
  expect(columns.querySelector('caption')!.textContent).toBe(objects.querySelector('caption')!.textContent);
  expect(rowsOf(columns)).toEqual(rowsOf(objects));
  const headers = (host: Element) => [...host.querySelectorAll('thead button')] as HTMLElement[];
  const sorted = (host: Element, k: number) => host.querySelectorAll('thead th')[k]!.getAttribute('aria-sort');
  expect(headers(objects).map((h) => h.textContent!.replace(/[▲▼ ]/g, ''))).toEqual(['Symbol', 'Side', 'Entry', 'Exit', 'Quantity', 'Entryprice', 'Exitprice', 'P&L', 'Return', 'Fees', 'Exitby', 'Strategy']);
  expect(feesOf(objects)).toEqual(expected(list, 2, 'ascending'));
  for (let k = 0; k < 12; k++) {
    for (const direction of ['ascending', 'descending']) {
      // DOM clicks (not Playwright's): 48 sorts of two tables, each a React update the polls below wait for.
      headers(objects)[k]!.click();
      headers(columns)[k]!.click();
      await expect.poll(() => [sorted(objects, k), sorted(columns, k)]).toEqual([direction, direction]);
      const shown = rowsOf(objects);
      expect(shown, `${headers(objects)[k]!.textContent} ${direction}`).toEqual(rowsOf(columns));
      expect(feesOf(columns), `${headers(objects)[k]!.textContent} ${direction}`).toEqual(expected(list, k, direction));
      expect(shown).toHaveLength(200);
    }
  }
  // Reading the table did not make the result's trade array.
  expect(Object.getOwnPropertyDescriptor(decoded, 'trades')!.get).toBeDefined();
});

it('the histogram of trade returns and the run history\'s first trades are the same from the columns, which stay undecoded', async () => {
  const list = trades();
  const decoded = decodeResult(encodeResult({ ...RESULT, trades: list } as RunResult));
  const objects = await render(<TradeDistribution trades={list} />);
  const columns = await render(<TradeDistribution trades={tradeRows(decoded)} />);
  expect(columns.innerHTML).toBe(objects.innerHTML);
  expect(columns.querySelectorAll('rect').length).toBeGreaterThan(3);
  const doc = { version: 1, name: 'n', settings: {}, strategies: [] } as never;
  const many = [...list, ...list, ...list, ...list, ...list].slice(0, MAX_TRADES + 7);
  const big = decodeResult(encodeResult({ ...RESULT, trades: many } as RunResult));
  expect(compactRun(doc, big, 1, 'id').trades).toEqual(many.slice(0, MAX_TRADES));
  expect(compactRun(doc, decoded, 1, 'id').trades).toEqual(list);
  for (const r of [decoded, big]) expect(Object.getOwnPropertyDescriptor(r, 'trades')!.get).toBeDefined();
});
