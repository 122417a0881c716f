import type { ExitReason, Trade } from '../schema/index.ts';
import { TradeLog } from './trade-log.ts';

/**
 * Cash and one aggregate position per asset with its average cost. Trades are round trips: a position
 * opened from flat is one trade; reducing it closes that part of the trade at the average entry price;
 * a fill through zero (reversal) closes the old trade and opens the new one with the remainder.
 * Entry fees are carried with the position and charged to trades pro rata.
 */
export class Portfolio {
  cash = 0;
  readonly qty: Float64Array;
  readonly avgPrice: Float64Array;
  readonly openTime: Float64Array;
  readonly entryFees: Float64Array;
  readonly openStrategy: string[];
  /** Last price each asset was marked at (this bar's close, or its open while filling at the open). */
  readonly mark: Float64Array;
  readonly lastFillPrice: Float64Array;
  /**
   * Per asset, while its position is open: cash dividends received (negative: paid on a short), and the
   * profit of fractional shares paid in cash at a split (whole units). Both go into the trade's P&L when the
   * position closes, pro rata like entry fees (docs/ENGINE.md "Corporate actions").
   */
  readonly dividends: Float64Array;
  readonly inLieu: Float64Array;
  /** The round trips as columns; `trades` materialises them as objects for callers that want objects. */
  readonly tradeLog: TradeLog;
  feesPaid = 0;
  tradedNotional = 0;
  /** Assets with a non-zero position: lets equity and exposure skip the asset loop when flat. */
  private openCount = 0;

  constructor(readonly symbols: readonly string[], initialCash: number) {
    const n = symbols.length;
    this.cash = initialCash;
    this.qty = new Float64Array(n);
    this.avgPrice = new Float64Array(n);
    this.openTime = new Float64Array(n);
    this.entryFees = new Float64Array(n);
    this.openStrategy = new Array<string>(n).fill('');
    this.mark = new Float64Array(n).fill(NaN);
    this.lastFillPrice = new Float64Array(n).fill(NaN);
    this.dividends = new Float64Array(n);
    this.inLieu = new Float64Array(n);
    this.tradeLog = new TradeLog(symbols);
  }

  /** The trades as objects (made on first request; the columns are tradeLog). */
  get trades(): Trade[] {
    return this.tradeLog.toObjects();
  }

  equity(): number {
    if (this.openCount === 0) return this.cash;
    let e = this.cash;
    const q = this.qty, m = this.mark;
    for (let a = 0; a < q.length; a++) if (q[a] !== 0) e += q[a]! * m[a]!;
    return e;
  }

  /** Cash free for new positions: shorts are backed by cash, so their market value is held twice (proceeds + collateral). */
  buyingPower(): number {
    if (this.openCount === 0) return this.cash;
    let bp = this.cash;
    const q = this.qty, m = this.mark;
    for (let a = 0; a < q.length; a++) if (q[a]! < 0) bp += 2 * q[a]! * m[a]!;
    return bp;
  }

  exposed(): boolean {
    return this.openCount > 0;
  }

  /** Applies a fill of `delta` units (positive buys) at `price` with `fee`; `exitReason`: an attached exit closes. */
  fill(asset: number, delta: number, price: number, fee: number, time: number, strategyId: string, exitReason: ExitReason | null = null): void {
    if (delta === 0) return;
    this.cash -= delta * price + fee;
    this.feesPaid += fee;
    this.tradedNotional += Math.abs(delta) * price;
    this.lastFillPrice[asset] = price;
    const pos = this.qty[asset]!;
    if (pos === 0 || Math.sign(pos) === Math.sign(delta)) {
      this.open(asset, delta, price, fee, time, strategyId);
      return;
    }
    const closing = Math.min(Math.abs(delta), Math.abs(pos));
    const exitFee = fee * (closing / Math.abs(delta));
    const entryFee = this.entryFees[asset]! * (closing / Math.abs(pos));
    const side = pos > 0 ? 1 : -1;
    const entry = this.avgPrice[asset]!;
    let pnl = (price - entry) * closing * side - entryFee - exitFee;
    let dividends = 0;
    if (this.dividends[asset] !== 0 || this.inLieu[asset] !== 0) {
      const part = closing / Math.abs(pos);
      dividends = this.dividends[asset]! * part;
      const inLieu = this.inLieu[asset]! * part;
      pnl += dividends + inLieu;
      this.dividends[asset] = this.dividends[asset]! - dividends;
      this.inLieu[asset] = this.inLieu[asset]! - inLieu;
    }
    this.tradeLog.push(
      asset, side === 1, closing, this.openTime[asset]!, time, entry, price, pnl, (pnl / (entry * closing)) * 100, entryFee + exitFee,
      this.openStrategy[asset]!, exitReason, dividends,
    );
    this.entryFees[asset] = this.entryFees[asset]! - entryFee;
    const rest = pos + delta;
    // Exactly flat, or a reversal: the remainder (if any) opens a fresh position.
    if (Math.abs(delta) >= Math.abs(pos)) {
      this.qty[asset] = 0;
      this.openCount--;
      this.avgPrice[asset] = 0;
      this.entryFees[asset] = 0;
      this.dividends[asset] = 0;
      this.inLieu[asset] = 0;
      if (rest !== 0) this.open(asset, rest, price, fee - exitFee, time, strategyId);
    } else {
      this.qty[asset] = rest;
    }
  }

  /**
   * A split of `ratio` new shares per old: the position × ratio, its average price, last fill price and mark
   * ÷ ratio, so its value and the trade are unchanged. Whole units: the fraction of a share left is paid in cash
   * at the split-adjusted mark (cash in lieu), its profit carried into the trade; when no whole share is left
   * the position is closed at that price as a trade. Returns the cash paid.
   */
  split(asset: number, ratio: number, whole: boolean, time: number): number {
    this.avgPrice[asset] = this.avgPrice[asset]! / ratio;
    this.lastFillPrice[asset] = this.lastFillPrice[asset]! / ratio;
    this.mark[asset] = this.mark[asset]! / ratio;
    const q = this.qty[asset]!;
    if (q === 0) return 0;
    const scaled = q * ratio;
    const sign = scaled > 0 ? 1 : -1;
    // A ratio like 1/3 is not exact in binary: 3 × (1/3) is 1 within rounding, and is one share.
    const kept = whole ? sign * Math.floor(Math.abs(scaled) * (1 + 1e-12)) : scaled;
    const frac = Math.abs(scaled - kept) <= 1e-9 * Math.abs(scaled) ? 0 : scaled - kept;
    this.qty[asset] = frac === 0 && whole ? kept : scaled;
    if (frac === 0) return 0;
    const px = this.mark[asset]!;
    if (kept === 0) {
      const before = this.cash;
      this.fill(asset, -scaled, px, 0, time, this.openStrategy[asset]!);
      return this.cash - before;
    }
    this.qty[asset] = kept;
    this.cash += frac * px;
    this.inLieu[asset] = this.inLieu[asset]! + frac * (px - this.avgPrice[asset]!);
    return frac * px;
  }

  /** A cash dividend of `amount` per share: credited to a long, charged to a short. Returns the cash. */
  dividend(asset: number, amount: number): number {
    const q = this.qty[asset]!;
    if (q === 0) return 0;
    const cash = q * amount;
    this.cash += cash;
    this.dividends[asset] = this.dividends[asset]! + cash;
    return cash;
  }

  private open(asset: number, delta: number, price: number, fee: number, time: number, strategyId: string): void {
    const pos = this.qty[asset]!;
    const total = Math.abs(pos) + Math.abs(delta);
    if (pos === 0) {
      this.openTime[asset] = time;
      this.openStrategy[asset] = strategyId;
      this.avgPrice[asset] = price;
    } else {
      this.avgPrice[asset] = (this.avgPrice[asset]! * Math.abs(pos) + price * Math.abs(delta)) / total;
    }
    if (pos === 0) this.openCount++;
    this.qty[asset] = pos + delta;
    this.entryFees[asset] = this.entryFees[asset]! + fee;
  }
}
