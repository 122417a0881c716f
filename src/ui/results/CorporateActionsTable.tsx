import type { CorporateActionEvent } from '../../schema/index.ts';
import { formatMoney, formatPrice, formatQty, formatTime } from './format.ts';

/** "2-for-1 split", "1-for-4 reverse split", "dividend 0.82 / share": what happened, in a trader's words. */
export function describeAction(e: Pick<CorporateActionEvent, 'type' | 'value'>): string {
  if (e.type === 'dividend') return `dividend ${formatMoney(e.value)} / share`;
  const r = e.value;
  if (r >= 1) return `${formatQty(r)}-for-1 split`;
  return `1-for-${formatQty(1 / r)} reverse split`;
}

/**
 * The splits and dividends a raw-price run applied (result.corporateActions), each with its effect on the
 * position, the average price, cash and open orders. Adjusted runs apply none: their bars already are.
 */
export function CorporateActionsTable({ events }: { events: readonly CorporateActionEvent[] }) {
  return (
    <table className="grid mini">
      <caption>Splits and dividends applied (raw prices)</caption>
      <thead>
        <tr>
          <th scope="col">Applied at</th>
          <th scope="col">Symbol</th>
          <th scope="col">Action</th>
          <th scope="col" className="n">Position</th>
          <th scope="col" className="n">Average price</th>
          <th scope="col" className="n">Cash</th>
          <th scope="col" className="n">Orders adjusted</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e, i) => (
          <tr key={i}>
            <td title={`ex-date ${formatTime(e.exDate)}`}>{formatTime(e.time)}</td>
            <th scope="row">{e.symbol}</th>
            <td>{describeAction(e)}</td>
            <td className="n">{e.quantityBefore === e.quantityAfter ? formatQty(e.quantityAfter) : `${formatQty(e.quantityBefore)} → ${formatQty(e.quantityAfter)}`}</td>
            <td className="n">{e.quantityBefore === 0 ? '—' : e.avgPriceBefore === e.avgPriceAfter ? formatPrice(e.avgPriceAfter) : `${formatPrice(e.avgPriceBefore)} → ${formatPrice(e.avgPriceAfter)}`}</td>
            <td className="n">{e.cash === 0 ? '—' : `${e.cash > 0 ? '+' : ''}${formatMoney(e.cash)}`}</td>
            <td className="n">{e.ordersAdjusted}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
