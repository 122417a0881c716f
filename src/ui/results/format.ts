/** Display formats for results. NaN and infinities (undefined statistics) show as an em dash. */
const DASH = '—';

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const ratio = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const qty = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });
const priceFormats = Array.from({ length: 9 }, (_, d) => new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));

function finite(x: number, f: (x: number) => string): string {
  return Number.isFinite(x) ? f(x) : DASH;
}

/** `pct` is already in percent (12.5 = 12.5 %). */
export const formatPct = (pct: number) => finite(pct, (x) => `${ratio.format(x)} %`);
export const formatMoney = (x: number) => finite(x, (v) => money.format(v));
export const formatRatio = (x: number) => finite(x, (v) => ratio.format(v));
export const formatCount = (x: number) => finite(x, (v) => count.format(v));
export const formatQty = (x: number) => finite(x, (v) => qty.format(v));

/** Decimals for a price when the instrument's tick is unknown: cents above 10, finer below. */
function defaultDecimals(x: number): number {
  const a = Math.abs(x);
  return a >= 10 || a === 0 ? 2 : a >= 1 ? 4 : 6;
}

/**
 * The instrument's price precision, read from its prices: the fewest decimals (at least 2) on whose grid
 * nearly all of them lie, allowing for float noise from CSV sources (1402.050049 is 1402.05). Prices off
 * any grid (slippage applied to fills) fall back to the magnitude default, never to 6+ digits of noise.
 */
export function priceDecimals(prices: ArrayLike<number>): number {
  const sample: number[] = [];
  const step = Math.max(1, Math.floor(prices.length / 500));
  for (let i = 0; i < prices.length; i += step) if (Number.isFinite(prices[i]!)) sample.push(prices[i]!);
  if (sample.length === 0) return 2;
  const fallback = defaultDecimals(sample.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
  for (let d = 2; d <= 8; d++) {
    const scale = 10 ** d;
    let on = 0;
    for (const v of sample) if (Math.abs(v * scale - Math.round(v * scale)) < 0.02) on++;
    if (on >= sample.length * 0.98) return d;
  }
  return fallback;
}

/** A price at `decimals` (the instrument's precision, see priceDecimals) or at a magnitude default. */
export const formatPrice = (x: number, decimals?: number) =>
  finite(x, (v) => priceFormats[Math.min(8, decimals ?? defaultDecimals(v))]!.format(v));
// Whole days read whole ("7,410 d", not "7,410.00 d"); averages keep one decimal ("28.5 d").
const days = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
export const formatDays = (x: number) => finite(x, (v) => `${days.format(v)} d`);

/** UTC, because bar times are UTC epoch ms; midnight times (daily bars) show as a date only. */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return DASH;
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** Trace values: enough digits to compare two operands that differ in the fourth decimal. */
export function formatValue(x: number): string {
  if (Number.isNaN(x)) return 'not ready';
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e6 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(4) : String(Number(x.toFixed(4)));
}
