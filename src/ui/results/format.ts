/** Display formats for results. NaN and infinities (undefined statistics) show as an em dash. */
const DASH = '—';

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const ratio = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const qty = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });
const price = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 });

function finite(x: number, f: (x: number) => string): string {
  return Number.isFinite(x) ? f(x) : DASH;
}

/** `pct` is already in percent (12.5 = 12.5 %). */
export const formatPct = (pct: number) => finite(pct, (x) => `${ratio.format(x)} %`);
export const formatMoney = (x: number) => finite(x, (v) => money.format(v));
export const formatRatio = (x: number) => finite(x, (v) => ratio.format(v));
export const formatCount = (x: number) => finite(x, (v) => count.format(v));
export const formatQty = (x: number) => finite(x, (v) => qty.format(v));
export const formatPrice = (x: number) => finite(x, (v) => price.format(v));
export const formatDays = (x: number) => finite(x, (v) => `${ratio.format(v)} d`);

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
