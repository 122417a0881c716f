import type { InputSlot } from '../strategy/index.ts';
import type { Portfolio } from './portfolio.ts';

/** The inputs a strategy reads from the portfolio: the kernel and the compiled walk write them alike. */
export type PortfolioInput = Extract<InputSlot, { kind: 'price' | 'cash' | 'equity' | 'drawdown' | 'position' | 'lastOrderPrice' }>;

export function isPortfolioInput(input: InputSlot): input is PortfolioInput {
  return input.kind !== 'sinceSignal' && input.kind !== 'series' && input.kind !== 'calendar';
}

/**
 * Writes one portfolio input into its slot as strategies see it at this step ('price' slots are the bars'
 * and left alone). `equity` is the step's equity when already known, else NaN; the return is the same,
 * computed if this input needed it, so a step computes Portfolio.equity at most once.
 */
export function writePortfolioInput(input: PortfolioInput, v: Float64Array, p: Portfolio, peak: number, equity: number): number {
  switch (input.kind) {
    case 'price': break;
    case 'cash': v[input.slot] = p.cash; break;
    case 'equity': v[input.slot] = equity = Number.isNaN(equity) ? p.equity() : equity; break;
    case 'drawdown': {
      const e = Number.isNaN(equity) ? (equity = p.equity()) : equity;
      v[input.slot] = e / Math.max(peak, e) - 1;
      break;
    }
    case 'position': {
      const q = p.qty[input.asset]!;
      if (input.field === 'quantity') v[input.slot] = q;
      else {
        const value = q === 0 ? 0 : q * p.mark[input.asset]!;
        if (input.field === 'value') v[input.slot] = value;
        else v[input.slot] = value / (Number.isNaN(equity) ? (equity = p.equity()) : equity);
      }
      break;
    }
    case 'lastOrderPrice': v[input.slot] = p.lastFillPrice[input.asset]!; break;
  }
  return equity;
}
