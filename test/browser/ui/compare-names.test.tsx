/**
 * Regression (issue 16 wave 4): two runs of one document with other parameters both read "A: SMA crossover (10/20)" /
 * "B: SMA crossover (10/20)" in the comparison's legend and columns, and alike in the history's picker. Each now
 * carries what differs: the parameter values, else the settings; a label the user set is enough on its own.
 */
import { afterEach, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { parseDocument, type StrategyDocument } from '../../../src/schema/index.ts';
import { CompareRuns } from '../../../src/ui/history/CompareRuns.tsx';
import { RunHistoryPanel } from '../../../src/ui/history/RunHistoryPanel.tsx';
import { compactRun, type StoredRun } from '../../../src/ui/history/run-store.ts';
import '../../../src/ui/styles.css';
import { RESULT } from './fixture.ts';
import { cleanup, render } from './render.tsx';

afterEach(cleanup);

function sma(fast: number, fee = 0.002): StrategyDocument {
  const parsed = parseDocument({
    version: 1, name: 'SMA crossover (10/20)', settings: { universe: ['SPX'], timeframe: '1d', fees: { fraction: fee } },
    parameters: { fast: { default: fast, min: 2, max: 50, step: 1 }, slow: { default: 20 } },
    strategies: [{ id: 'long', name: 'long', condition: { lhs: { kind: 'sma', window: { bars: { $param: 'fast' } } }, op: 'crossesAbove', rhs: { kind: 'sma', window: { bars: { $param: 'slow' } } } }, action: { type: 'setWeight', weight: 1 } }],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.doc;
}
const run = (id: string, doc: StrategyDocument, label?: string): StoredRun =>
  ({ ...compactRun(doc, RESULT, Date.UTC(2026, 11, 1, 12), id), ...(label ? { label } : {}) });

const legend = (host: HTMLElement) => [...host.querySelectorAll('.u-legend .u-series .u-label')].map((l) => l.textContent).filter((t) => /^[AB]:/.test(t!));
const columns = (host: HTMLElement) => [...host.querySelectorAll('.compare-stats thead th.n')].map((th) => th.textContent);

it('comparison: two runs of one document name the parameter that differs in the legend and the columns', async () => {
  const host = await render(<CompareRuns a={run('a', sma(5))} b={run('b', sma(10))} />);
  const want = ['A: SMA crossover (10/20) · fast 5', 'B: SMA crossover (10/20) · fast 10'];
  await expect.poll(() => legend(host), { timeout: 10_000 }).toEqual(want);
  expect(columns(host)).toEqual(want);
});

it('comparison: equal parameters but other fees name the setting that differs; labels alone when the user set them', async () => {
  const host = await render(<CompareRuns a={run('a', sma(10, 0.002))} b={run('b', sma(10, 0.001))} />);
  expect(columns(host)).toEqual(['A: SMA crossover (10/20) · fees.fraction 0.002', 'B: SMA crossover (10/20) · fees.fraction 0.001']);
  cleanup();
  const labelled = await render(<CompareRuns a={run('a', sma(5), 'quick')} b={run('b', sma(10), 'baseline')} />);
  expect(columns(labelled)).toEqual(['A: quick', 'B: baseline']);
});

it('history picker: rows of one document show the differing parameter, and each checkbox is named by it', async () => {
  const runs = [run('a', sma(5)), run('b', sma(10)), run('c', sma(10, 0.001), 'cheap')];
  const host = await render(<RunHistoryPanel runs={runs} selected={[]} onToggle={() => {}} onDelete={() => {}} onRelabel={() => {}} />);
  const strategy = [...host.querySelectorAll('tbody th[scope="row"]')].map((th) => th.textContent);
  // Three rows of one document: fast and the fee each differ somewhere, so both are spelled out.
  expect(strategy).toEqual([
    'SMA crossover (10/20)fast 5, fees.fraction 0.002',
    'SMA crossover (10/20)fast 10, fees.fraction 0.002',
    'SMA crossover (10/20)fast 10, fees.fraction 0.001',
  ]);
  await expect.element(page.getByRole('checkbox', { name: /^Compare SMA crossover \(10\/20\) · fast 5, / })).toBeInTheDocument();
  await expect.element(page.getByRole('checkbox', { name: /^Compare SMA crossover \(10\/20\) · fast 10, / })).toBeInTheDocument();
  await expect.element(page.getByRole('checkbox', { name: /^Compare cheap, / })).toBeInTheDocument();
});
