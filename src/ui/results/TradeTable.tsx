import { useMemo, useState } from 'react';
import type { Trade } from '../../schema/index.ts';
import { asTradeRows, type TradeRows } from '../../rpc/trade-rows.ts';
import { sortTrades, tradeDecimals, type Decimals } from './trade-order.ts';
import { formatMoney, formatPct, formatPrice, formatQty, formatTime } from './format.ts';
import { ScrollRegion } from '../shell/ScrollRegion.tsx';

type Key = keyof Trade;
type Dir = 'ascending' | 'descending';

const COLUMNS: [label: string, key: Key, format: (t: Trade, d: Decimals) => string, numeric: boolean][] = [
  ['Symbol', 'symbol', (t) => t.symbol, false],
  ['Side', 'side', (t) => t.side, false],
  ['Entry', 'entryTime', (t) => formatTime(t.entryTime), false],
  ['Exit', 'exitTime', (t) => formatTime(t.exitTime), false],
  ['Quantity', 'quantity', (t) => formatQty(t.quantity), true],
  ['Entry price', 'entryPrice', (t, d) => formatPrice(t.entryPrice, d.get(t.symbol)), true],
  ['Exit price', 'exitPrice', (t, d) => formatPrice(t.exitPrice, d.get(t.symbol)), true],
  ['P&L', 'pnl', (t) => formatMoney(t.pnl), true],
  ['Return', 'returnPct', (t) => formatPct(t.returnPct), true],
  ['Fees', 'fees', (t) => formatMoney(t.fees), true],
  ['Exit by', 'exitReason', (t) => t.exitReason ?? 'signal', false],
  ['Strategy', 'strategyId', (t) => t.strategyId, false],
];

const PAGE = 200;

/**
 * Sortable by any column (click a header again to reverse); long lists render a page at a time. `trades`: a
 * list, or a run's rows (trade-rows.ts), of which only the rows on screen are made into objects.
 */
export function TradeTable({ trades }: { trades: TradeRows | readonly Trade[] }) {
  const [sort, setSort] = useState<{ key: Key; dir: Dir }>({ key: 'entryTime', dir: 'ascending' });
  const [shown, setShown] = useState(PAGE);
  const rows = useMemo(() => asTradeRows(trades), [trades]);
  const decimals = useMemo(() => tradeDecimals(rows), [rows]);
  const sorted = useMemo(() => sortTrades(rows, sort.key, sort.dir === 'ascending'), [rows, sort]);
  const toggle = (key: Key) =>
    setSort((s) => ({ key, dir: s.key === key && s.dir === 'ascending' ? 'descending' : 'ascending' }));
  return (
    <ScrollRegion label="Trades" className="trades">
      <table className="grid">
        <caption>Trades ({rows.length})</caption>
        <thead>
          <tr>
            {COLUMNS.map(([label, key, , numeric]) => (
              <th key={key} scope="col" className={numeric ? 'n' : undefined} aria-sort={sort.key === key ? sort.dir : 'none'}>
                <button type="button" className="sort" onClick={() => toggle(key)}>
                  {label}
                  <span aria-hidden="true">{sort.key === key ? (sort.dir === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.slice(0, shown).map((k) => rows.at(k)).map((t, i) => (
            <tr key={i}>
              {COLUMNS.map(([, key, format, numeric]) => (
                <td key={key} className={numeric ? `n${(key === 'pnl' || key === 'returnPct') && t[key] < 0 ? ' neg' : ''}` : key === 'entryTime' || key === 'exitTime' ? 't' : undefined}>
                  {format(t, decimals)}
                </td>
              ))}
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={COLUMNS.length} className="muted">No trades.</td>
            </tr>
          )}
        </tbody>
      </table>
      {shown < sorted.length && (
        <button type="button" className="small" onClick={() => setShown((n) => n + PAGE)}>
          Show {Math.min(PAGE, sorted.length - shown)} more of {sorted.length - shown}
        </button>
      )}
    </ScrollRegion>
  );
}
