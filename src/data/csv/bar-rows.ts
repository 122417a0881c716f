import type { Zone } from '../../lib/zone.ts';
import type { CsvLayout, LayoutColumn } from './detect.ts';
import { FieldSplitter, isBlank, lineText } from './fields.ts';
import { isMissingToken, parseNumber } from './numbers.ts';
import type { BarSink } from './sink.ts';
import { lastShape, parseTime } from './times.ts';

/** Turns CSV lines into validated bars in a sink; one instance per import. */
export class CsvBarRows {
  private readonly f = new FieldSplitter();
  private headerPending: boolean;
  private readonly need: number;
  private readonly cols: CsvLayout['columns'];
  /** Whether any kept time had a time of day (end-stamped dates are not shifted). */
  sawIntraday = false;

  constructor(private readonly layout: CsvLayout, private readonly zone: Zone, private readonly sink: BarSink, private readonly adjust: boolean) {
    this.headerPending = layout.hasHeader;
    this.cols = layout.columns;
    this.need = Math.max(...Object.values(layout.columns)) + 1;
  }

  private fieldName(key: LayoutColumn): string {
    return this.layout.names[this.cols[key]] || key;
  }

  private num(b: Uint8Array, key: LayoutColumn, line: number, s: number, e: number): number {
    const i = this.cols[key];
    if (i < 0) return NaN;
    const v = parseNumber(b, this.f.starts[i]!, this.f.ends[i]!);
    if (v - v === 0) return v;
    if (v === v) {
      // 1e999 parses as Infinity: a number, but no price or volume.
      this.sink.reject(line, 'non-finite', this.fieldName(key), () => lineText(b, s, e));
      return NaN;
    }
    this.sink.reject(line, isMissingToken(b, this.f.starts[i]!, this.f.ends[i]!) ? 'nan' : 'unparseable-number', this.fieldName(key), () => lineText(b, s, e));
    return NaN;
  }

  readonly onLine = (b: Uint8Array, s: number, e: number, line: number): void => {
    if (isBlank(b, s, e)) return;
    if (this.headerPending) {
      this.headerPending = false;
      return;
    }
    const sink = this.sink;
    sink.rowsRead++;
    const n = this.f.split(b, s, e, this.layout.delimiter);
    if (n < this.need) {
      sink.reject(line, 'missing-field', undefined, () => `${n} fields, need ${this.need}: ${lineText(b, s, e)}`);
      return;
    }
    const c = this.cols;
    const t = parseTime(b, this.f.starts[c.time]!, this.f.ends[c.time]!, this.zone);
    if (t !== t) {
      sink.reject(line, 'bad-time', this.fieldName('time'), () => lineText(b, s, e));
      return;
    }
    const shape = lastShape;
    let close = this.num(b, 'close', line, s, e);
    if (close !== close) return;
    let open = close, high = close, low = close, volume = 0;
    if (c.open >= 0 && (open = this.num(b, 'open', line, s, e)) !== open) return;
    if (c.high >= 0 && (high = this.num(b, 'high', line, s, e)) !== high) return;
    if (c.low >= 0 && (low = this.num(b, 'low', line, s, e)) !== low) return;
    if (c.volume >= 0 && (volume = this.num(b, 'volume', line, s, e)) !== volume) return;
    if (this.adjust && c.adjclose >= 0) {
      const adj = this.num(b, 'adjclose', line, s, e);
      if (adj !== adj) return;
      const k = close === 0 ? 1 : adj / close;
      open *= k; high *= k; low *= k; close = adj;
    }
    const reason = sink.push(line, t, open, high, low, close, volume);
    if (reason) {
      const field = reason === 'negative-volume' ? this.fieldName('volume') : reason === 'high-below-low' ? this.fieldName('high')
        : reason === 'time-out-of-range' ? this.fieldName('time') : undefined;
      sink.reject(line, reason, field, () => lineText(b, s, e));
    } else if (shape !== 'date') {
      this.sawIntraday = true;
    }
  };
}
