import uPlot from 'uplot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { Explanation } from '../../../src/rpc/engine-api.ts';
import { arrayRows } from '../../../src/rpc/result-rows.ts';
import { AuditExplorer } from '../../../src/ui/results/AuditExplorer.tsx';
import { decodeResult, encodeResult } from '../../../src/rpc/result-columns.ts';
import { formatTime } from '../../../src/ui/results/format.ts';
import { EquityCharts } from '../../../src/ui/results/EquityCharts.tsx';
import { ResultsView } from '../../../src/ui/results/ResultsView.tsx';
import { StatsTable } from '../../../src/ui/results/StatsTable.tsx';
import { TradeTable } from '../../../src/ui/results/TradeTable.tsx';
import '../../../src/ui/styles.css';
import { RESULT } from './fixture.ts';
import { cleanup, render } from './render.tsx';

afterEach(cleanup);

function cell(table: HTMLTableElement, rowLabel: string): string | undefined {
  const row = [...table.rows].find((r) => r.cells[0]?.textContent === rowLabel);
  return row?.cells[1]?.textContent ?? undefined;
}

describe('StatsTable', () => {
  it('formats percent, money, ratios, days, dates and undefined values', async () => {
    const host = await render(<StatsTable stats={RESULT.stats} />);
    const table = host.querySelector('table')!;
    expect(table.caption?.textContent).toBe('Statistics');
    expect(cell(table, 'Total return')).toBe('12.35 %');
    expect(cell(table, 'Final equity')).toBe('11,234.50');
    expect(cell(table, 'Sharpe ratio')).toBe('1.23');
    expect(cell(table, 'Max drawdown duration')).toBe('42 d');
    expect(cell(table, 'Average drawdown duration')).toBe('7.5 d');
    expect(cell(table, 'Max drawdown')).toBe('-3.41 %');
    expect(cell(table, 'Trades')).toBe('3');
    // An undefined statistic says so, and why (issue 11).
    expect(cell(table, 'Profit factor')).toBe('not available (no losing trade)');
    expect(cell(table, 'Periods per year')).toBe('252');
    expect(cell(table, 'Start')).toBe('2024-01-02');
    expect(table.querySelectorAll('th[scope=row]').length).toBe(36);
  });
});

describe('TradeTable', () => {
  const column = (host: HTMLElement, index: number) =>
    [...host.querySelectorAll('tbody tr')].map((r) => (r as HTMLTableRowElement).cells[index]?.textContent);

  it('sorts by a header, reverses on a second click, and reports it with aria-sort', async () => {
    const host = await render(<TradeTable trades={RESULT.trades} />);
    const header = (name: string) => page.getByRole('columnheader', { name, exact: true });
    await expect.element(header('Entry')).toHaveAttribute('aria-sort', 'ascending');
    expect(column(host, 0)).toEqual(['SPX', 'SPX', 'AAPL']);

    await userEvent.click(page.getByRole('button', { name: 'P&L', exact: true }));
    await expect.element(header('P&L')).toHaveAttribute('aria-sort', 'ascending');
    await expect.element(header('Entry')).toHaveAttribute('aria-sort', 'none');
    expect(column(host, 7)).toEqual(['-154.00', '170.50', '1,218.00']);

    await userEvent.click(page.getByRole('button', { name: 'P&L', exact: true }));
    await expect.element(header('P&L')).toHaveAttribute('aria-sort', 'descending');
    expect(column(host, 7)).toEqual(['1,218.00', '170.50', '-154.00']);

    await userEvent.click(page.getByRole('button', { name: 'Symbol', exact: true }));
    expect(column(host, 0)).toEqual(['AAPL', 'SPX', 'SPX']);
  });
});

describe('EquityCharts', () => {
  it('draws equity with benchmark and drawdown, sharing cursor and zoom', async () => {
    const host = await render(<div style={{ width: '800px' }}><EquityCharts curves={RESULT.curves} /></div>);
    const key = host.querySelector('.charts')!.getAttribute('data-sync-key')!;
    await vi.waitFor(() => expect(uPlot.sync(key).plots.length).toBe(2));
    const [equity, dd] = uPlot.sync(key).plots as [uPlot, uPlot];
    expect(equity.series.map((s) => s.label)).toEqual(['Time', 'Strategy', 'Benchmark']);
    expect(dd.series.map((s) => s.label)).toEqual(['Time', 'Drawdown']);
    expect(equity.data[1]![9]).toBe(11234.5);
    expect(dd.data[1]![4]).toBeCloseTo((9900 / 10250 - 1) * 100, 10);

    const t = RESULT.curves.time;
    const min = t[2]! / 1000;
    const max = t[6]! / 1000;
    equity.setScale('x', { min, max });
    await vi.waitFor(() => expect([dd.scales.x!.min, dd.scales.x!.max]).toEqual([min, max]));

    const over = host.querySelector('.u-over') as HTMLElement;
    await userEvent.hover(over, { position: { x: 200, y: 40 } });
    await vi.waitFor(() => {
      expect(equity.cursor.idx).not.toBeNull();
      expect(dd.cursor.idx).toBe(equity.cursor.idx);
    });
  });

  it('daily bars: the legend shows a UTC date without "12:00am" and the axis never steps below a day', async () => {
    const host = await render(<div style={{ width: '800px' }}><EquityCharts curves={RESULT.curves} /></div>);
    const key = host.querySelector('.charts')!.getAttribute('data-sync-key')!;
    await vi.waitFor(() => expect(uPlot.sync(key).plots.length).toBe(2));
    const [equity] = uPlot.sync(key).plots as [uPlot];
    // Zoomed to two bars, uPlot's default increments would tick every few hours ("12am", "6am").
    const t = RESULT.curves.time;
    equity.setScale('x', { min: t[2]! / 1000, max: t[3]! / 1000 });
    // uPlot keeps the increments as a function of the axis after init.
    const incrs = equity.axes[0]!.incrs as unknown;
    const list = (typeof incrs === 'function' ? (incrs as () => number[])() : incrs) as number[];
    expect(Math.min(...list)).toBe(86_400);
    await userEvent.hover(host.querySelector('.u-over') as HTMLElement, { position: { x: 5, y: 40 } });
    const time = () => host.querySelector('.u-legend .u-series:first-child .u-value')?.textContent;
    await vi.waitFor(() => expect(time()).toMatch(/^2024-01-\d\d$/));
  });
});

describe('AuditExplorer', () => {
  it('lists signals and shows the condition tree with operand values and results', async () => {
    const host = await render(<AuditExplorer rows={arrayRows(RESULT.signals, RESULT.orders)} />);
    const detail = page.getByRole('region', { name: 'Signal detail' });
    await expect.element(detail.getByRole('heading')).toHaveTextContent('2024-01-02 · long · setWeight SPX 1');
    const tree = host.querySelector('[aria-label="Condition trace"]')!;
    expect(tree.textContent).toBe('trueSMA(10) 101.25 (was 99.5) crosses above SMA(20) 100.75 (was 100.5)');
    expect(tree.querySelector('li')!.className).toBe('ok');
    expect(host.querySelector('table')!.textContent).toContain('4,700.00');

    await userEvent.click(page.getByRole('button', { name: /short setWeight SPX -1/ }));
    await expect.element(detail.getByRole('heading')).toHaveTextContent('2024-01-04 · short · setWeight SPX -1');
    const items = [...host.querySelectorAll('[aria-label="Condition trace"] li')];
    expect(items.map((li) => li.className)).toEqual(['ok', 'no', 'ok']);
    expect(items[1]!.querySelector('.res')!.className).toBe('res false');
    expect(items[1]!.textContent).toBe('falseRSI(14) 72.5 < 30 30');
    expect(detail.element().textContent).toContain('reversal');

    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Strategy' }), 'long');
    expect(page.getByRole('list', { name: 'Signal events' }).getByRole('button').elements().length).toBe(1);
  });

  it('signals without a trace (results as columns) show the tree explain re-evaluates for their bar', async () => {
    const bare = RESULT.signals.map(({ trace: _, ...s }) => s);
    const asked: number[] = [];
    const explain = async (time: number): Promise<Explanation[]> => {
      asked.push(time);
      const s = RESULT.signals.find((x) => x.time === time)!;
      if (s.strategyId === 'short') throw new Error('no bar at or before then');
      return [{ time, strategyId: s.strategyId, evaluated: true, fired: true, trace: s.trace!, reason: 'condition true' }];
    };
    const host = await render(<AuditExplorer rows={arrayRows(bare, RESULT.orders)} explain={explain} />);
    const tree = () => host.querySelector('[aria-label="Condition trace"]')?.textContent;
    await vi.waitFor(() => expect(tree()).toBe('trueSMA(10) 101.25 (was 99.5) crosses above SMA(20) 100.75 (was 100.5)'));
    expect(asked).toEqual([RESULT.signals[0]!.time]);
    await userEvent.click(page.getByRole('button', { name: /short setWeight SPX -1/ }));
    await expect.element(page.getByRole('alert')).toHaveTextContent('Could not explain this signal: no bar at or before then');
  });

  it('choosing another signal aborts the explanation still being computed for the first', async () => {
    const bare = RESULT.signals.map(({ trace: _, ...s }) => s);
    const signals: AbortSignal[] = [];
    const explain = (time: number, signal?: AbortSignal): Promise<Explanation[]> => {
      signals.push(signal!);
      const s = RESULT.signals.find((x) => x.time === time)!;
      // The first never answers (a late bar of a long run); the second does.
      return s.strategyId === 'long' ? new Promise(() => undefined)
        : Promise.resolve([{ time, strategyId: s.strategyId, evaluated: true, fired: true, trace: s.trace!, reason: 'condition true' }]);
    };
    const host = await render(<AuditExplorer rows={arrayRows(bare, RESULT.orders)} explain={explain} />);
    await expect.element(page.getByRole('status')).toHaveTextContent('Re-evaluating the bar with tracing…');
    expect(signals.map((x) => x.aborted)).toEqual([false]);
    await userEvent.click(page.getByRole('button', { name: /short setWeight SPX -1/ }));
    await vi.waitFor(() => expect(host.querySelector('[aria-label="Condition trace"]')?.textContent).toMatch(/^true/));
    expect(signals.map((x) => x.aborted)).toEqual([true, false]);
  });

  it('a signal without a trace and nothing to explain it says so', async () => {
    const bare = RESULT.signals.map(({ trace: _, ...s }) => s);
    await render(<AuditExplorer rows={arrayRows(bare, RESULT.orders)} />);
    await expect.element(page.getByText('No condition trace was kept for this signal.')).toBeVisible();
  });
});

describe('ResultsView', () => {
  it('shows headline figures, run warnings, charts, statistics, trades and audit together', async () => {
    const host = await render(<ResultsView result={RESULT} title="SMA crossover" />);
    await expect.element(page.getByRole('heading', { name: 'SMA crossover' })).toBeVisible();
    expect(host.querySelector('.kpis')!.textContent).toBe('Total return12.35 %Buy & hold3.00 %Excess+9.35 ppFinal equity11,234.50Sharpe1.23Max drawdown-3.41 %Trades3');
    await expect.element(page.getByRole('list', { name: 'Run warnings' })).toHaveTextContent('2 bars missing for SPX');
    // uPlot's legends are tables too; ours carry captions.
    expect([...host.querySelectorAll('table.grid')].map((t) => (t as HTMLTableElement).caption?.textContent)).toEqual(['Statistics', 'Trades (3)', 'Monthly returns (year by month, with the year’s total)', 'Orders']);
    await vi.waitFor(() => expect(host.querySelectorAll('.uplot').length).toBe(2));
  });

  it('shows a pool result\'s audit from its columns, decoding only the rows on screen', async () => {
    const bare = { ...RESULT, signals: RESULT.signals.map(({ trace: _, ...s }) => s) };
    const pooled = decodeResult(encodeResult(bare));
    const host = await render(<ResultsView result={pooled} title="SMA crossover" />);
    const detail = page.getByRole('region', { name: 'Signal detail' });
    await expect.element(detail.getByRole('heading')).toHaveTextContent('2024-01-02 · long · setWeight SPX 1');
    expect(host.querySelector('[aria-label="Signal events"]')!.textContent).toBe(
      RESULT.signals.map((s) => `${formatTime(s.time)} ${s.strategyId} ${s.action}`).join(''));
    await userEvent.click(page.getByRole('button', { name: /short setWeight SPX -1/ }));
    await expect.element(detail.getByRole('heading')).toHaveTextContent('2024-01-04 · short · setWeight SPX -1');
    expect(host.querySelector('table.mini')!.textContent).toContain('4,789.50');
    // Nothing on the page read the arrays: they are still the undecoded accessors.
    expect(Object.getOwnPropertyDescriptor(pooled, 'signals')!.get).toBeDefined();
    expect(Object.getOwnPropertyDescriptor(pooled, 'orders')!.get).toBeDefined();
  });
});
