import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { DatasetInfo } from '../../../src/data/store.ts';
import type { StrategyDocument } from '../../../src/schema/index.ts';
import { App } from '../../../src/ui/App.tsx';
import type { DataClient } from '../../../src/ui/data/client.ts';
import { cleanup, render } from './render.tsx';

beforeEach(() => {
  localStorage.clear();
  history.replaceState(null, '', '#/strategy');
});
afterEach(cleanup);

const row = (kind: DatasetInfo['kind'], symbol: string | null, key: string): DatasetInfo => ({
  id: `${kind}:${symbol ?? '*'}:${key}`, kind, symbol, key, first: 0, last: 1, rows: 2, bytes: 10, source: 'test', importedAt: 0, adjusted: false, file: 'f',
});
/** What the Data page's series import leaves in the catalog: two global series and one per-symbol series. */
const catalog = [row('bars', 'SPX', '1d'), row('series', null, 'nonfarm_change'), row('series', null, 'nonfarm'), row('series', 'MSFT', 'score'), row('series', 'AAPL', 'score')];
const data = { list: async () => catalog } as unknown as DataClient;
const json = () => JSON.parse((page.getByRole('textbox', { name: /^Strategy document/ }).element() as HTMLTextAreaElement).value) as StrategyDocument;
const lhs = () => (json().strategies[0]!.condition as { lhs: unknown }).lhs;

describe("builder's indicator picker", () => {
  it('offers the stored series by name, so nonfarm_change > 0 needs no typing', async () => {
    await render(<App data={data} queryClient={new QueryClient()} />);
    await expect.element(page.getByRole('textbox', { name: 'Strategy 1 name' })).toHaveValue('Go long on golden cross');
    await userEvent.click(page.getByRole('button', { name: 'Condition 1 left: SMA' }));
    await userEvent.fill(page.getByRole('searchbox', { name: 'Search indicators' }), 'nonfarm');
    const offered = () => [...document.querySelectorAll('.picker-pop li button')].map((b) => b.textContent);
    await expect.poll(offered).toEqual(['nonfarm stored series, global', 'nonfarm_change stored series, global']);
    await userEvent.click(page.getByRole('button', { name: 'nonfarm_change stored series, global' }));
    expect(lhs()).toEqual({ kind: 'series', name: 'nonfarm_change', global: true });
    await expect.element(page.getByRole('button', { name: 'Condition 1 left: Series nonfarm_change' })).toBeVisible();

    // A per-symbol series reads the strategy's asset; the picker says which symbols have it.
    await userEvent.click(page.getByRole('button', { name: 'Condition 1 left: Series nonfarm_change' }));
    await userEvent.fill(page.getByRole('searchbox', { name: 'Search indicators' }), 'score');
    await userEvent.keyboard('{Enter}');
    expect(lhs()).toEqual({ kind: 'series', name: 'score' });
    await userEvent.click(page.getByRole('button', { name: 'Condition 1 left: Series score' }));
    await expect.element(page.getByRole('button', { name: 'score stored series for AAPL, MSFT' })).toHaveAttribute('aria-pressed', 'true');
    await userEvent.keyboard('{Escape}');

    // The name field suggests every stored name.
    const name = document.querySelector('input[aria-label$="series name"]') as HTMLInputElement;
    expect([...name.list!.options].map((o) => o.value)).toEqual(['nonfarm', 'nonfarm_change', 'score']);
  });
});
