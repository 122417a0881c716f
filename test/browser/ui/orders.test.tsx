/** Orders beyond market in the app: the builder edits entries and exits, the trade table and the audit say which rule closed. */
import { QueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { OrderRecord, StrategyDocument } from '../../../src/schema/index.ts';
import { App } from '../../../src/ui/App.tsx';
import { arrayRows, type AuditRows } from '../../../src/rpc/result-rows.ts';
import { AuditExplorer } from '../../../src/ui/results/AuditExplorer.tsx';
import { TradeTable } from '../../../src/ui/results/TradeTable.tsx';
import '../../../src/ui/styles.css';
import { RESULT } from './fixture.ts';
import { cleanup, render } from './render.tsx';

beforeEach(() => {
  localStorage.clear();
  history.replaceState(null, '', '#/strategy');
});
afterEach(cleanup);

const editor = () => page.getByRole('textbox', { name: /^Strategy document/ });
const json = () => JSON.parse((editor().element() as HTMLTextAreaElement).value) as StrategyDocument;
const problems = () => page.getByRole('list', { name: 'Problems' }).getByRole('button');

describe('builder: entries and exits', () => {
  it('edits a limit entry with its time in force and a bracket of exits; refuses a negative level with its place', async () => {
    await render(<App runner={null} queryClient={new QueryClient()} />);
    await expect.element(page.getByRole('textbox', { name: 'Strategy 1 name' })).toHaveValue('Go long on golden cross');
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Action 2 type' }), 'buy');
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Action 2 entry type' }), 'limit');
    await userEvent.fill(page.getByRole('textbox', { name: 'Action 2 entry price percent' }), '2');
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Action 2 time in force' }), 'gtc');
    await userEvent.fill(page.getByRole('textbox', { name: 'Action 2 expire after bars' }), '5');
    const exits = page.getByRole('group', { name: 'Action 2 exits' });
    await userEvent.click(exits.getByRole('checkbox', { name: 'stop-loss' }));
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Action 2 stop-loss as' }), 'atr');
    await userEvent.fill(page.getByRole('textbox', { name: 'Action 2 stop-loss ATR multiple' }), '2');
    await userEvent.click(exits.getByRole('checkbox', { name: 'take-profit' }));
    await userEvent.click(exits.getByRole('checkbox', { name: 'trailing stop' }));
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Action 2 trailing stop follows' }), 'close');
    await userEvent.click(exits.getByRole('checkbox', { name: 'time exit' }));
    expect(json().strategies[1]!.action).toEqual({
      type: 'buy', amount: { unit: 'all' },
      entry: { type: 'limit', price: { percent: 2 }, timeInForce: 'gtc', expireAfterBars: 5 },
      exits: { stopLoss: { atr: 2 }, takeProfit: { percent: 10 }, trailingStop: { percent: 5, by: 'close' }, timeExit: { bars: 10 } },
    });
    expect(problems().elements()).toHaveLength(0);

    await userEvent.fill(page.getByRole('textbox', { name: 'Action 2 take-profit percent' }), '-3');
    await expect.element(problems().first()).toHaveTextContent('strategies[1].action.exits.takeProfit.percent');
    await userEvent.fill(page.getByRole('textbox', { name: 'Action 2 take-profit percent' }), '3');
    expect(problems().elements()).toHaveLength(0);

    // Unticking every exit and going back to market leaves the action as it was before entries existed.
    for (const name of ['stop-loss', 'take-profit', 'trailing stop', 'time exit']) await userEvent.click(exits.getByRole('checkbox', { name }));
    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Action 2 entry type' }), 'market');
    expect(json().strategies[1]!.action).toEqual({ type: 'buy', amount: { unit: 'all' } });

    await userEvent.selectOptions(page.getByRole('combobox', { name: 'Intrabar rule' }), 'finerData');
    expect(json().settings.intrabar).toBe('finerData');
  });
});

describe('results: which rule closed a trade', () => {
  it('the trade table has an "Exit by" column', async () => {
    const trades = [{ ...RESULT.trades[0]!, exitReason: 'stop' as const }, RESULT.trades[1]!, { ...RESULT.trades[2]!, exitReason: 'trail' as const }];
    const host = await render(<TradeTable trades={trades} />);
    const idx = [...host.querySelectorAll('thead th')].findIndex((th) => th.textContent?.startsWith('Exit by'));
    expect([...host.querySelectorAll('tbody tr')].map((r) => (r as HTMLTableRowElement).cells[idx]?.textContent)).toEqual(['stop', 'signal', 'trail']);
  });

  it('the audit\'s strategy filter carries over to a new run that has that strategy, and falls back to all when it has not', async () => {
    const renamed = RESULT.signals.map((x) => (x.strategyId === 'short' ? { ...x, strategyId: 'fade' } : x));
    const runs: AuditRows[] = [arrayRows(RESULT.signals, RESULT.orders), arrayRows(RESULT.signals, RESULT.orders), arrayRows(renamed, RESULT.orders)];
    function Reruns() {
      const [i, setI] = useState(0);
      return (
        <>
          <button type="button" onClick={() => setI((n) => n + 1)}>next run</button>
          <AuditExplorer rows={runs[i]!} />
        </>
      );
    }
    await render(<Reruns />);
    const filter = page.getByRole('combobox', { name: 'Strategy' });
    const listed = () => page.getByRole('list', { name: 'Signal events' }).getByRole('button');
    await userEvent.selectOptions(filter, 'short');
    await expect.poll(() => listed().elements().map((e) => e.textContent)).toEqual([expect.stringContaining('short')]);
    // The chosen signal is the filtered list's first, not the run's first.
    await expect.element(listed().first()).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(page.getByRole('button', { name: 'next run' }));
    await expect.element(filter).toHaveValue('short');
    await expect.poll(() => listed().elements().length).toBe(1);
    await expect.element(listed().first()).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(page.getByRole('button', { name: 'next run' }));
    await expect.element(filter).toHaveValue('');
    await expect.poll(() => listed().elements().map((e) => e.textContent)).toEqual([expect.stringContaining('long'), expect.stringContaining('fade')]);
  });

  it('the audit shows an order type and the exit that closed its position', async () => {
    const entry: OrderRecord = { ...RESULT.orders[0]!, type: 'limit', limitPrice: 4690 };
    const exit: OrderRecord = { id: 3, strategyId: 'long', symbol: 'SPX', side: 'sell', quantity: 2, createdTime: RESULT.curves.time[2]!, status: 'filled', fillTime: RESULT.curves.time[2]!, fillPrice: 4600, filledQuantity: 2, fees: 4.6, reason: null, type: 'stopLoss', stopPrice: 4606.2, parentId: 1 };
    await render(<AuditExplorer rows={arrayRows(RESULT.signals, [entry, RESULT.orders[1]!, exit])} />);
    const detail = page.getByRole('region', { name: 'Signal detail' });
    await expect.element(detail.getByText('limit (limit 4,690.00)')).toBeVisible();
    await expect.element(detail.getByText(/^closed by the stop-loss \(stop 4,606.20\) at 4,600.00 on 2024-01-0\d$/)).toBeVisible();
  });
});
