import type { BarColumns } from '../../schema/bars.ts';
import { allocBars } from '../columns.ts';
import { GrowableF64 } from '../grow.ts';
import { isSaneTime } from '../../lib/time.ts';
import type { ImportReport, RejectReason, RejectedRow } from './report.ts';

/**
 * Collects validated bars into growable columns, with the line number of each kept row so that duplicates
 * found after sorting can still be reported by line. Validation rules: a time in [TIME_MIN, TIME_MAX)
 * (1800–2200), every value a finite number, prices ≥ 0, volume ≥ 0, high ≥ low.
 */
export class BarSink {
  private readonly ct = new GrowableF64(1 << 16);
  private readonly co = new GrowableF64(1 << 16);
  private readonly ch = new GrowableF64(1 << 16);
  private readonly cl = new GrowableF64(1 << 16);
  private readonly cc = new GrowableF64(1 << 16);
  private readonly cv = new GrowableF64(1 << 16);
  private readonly cols = [this.ct, this.co, this.ch, this.cl, this.cc, this.cv];
  private lines = new Uint32Array(1 << 16);
  private n = 0;
  private unsorted = false;
  private lastT = -Infinity;
  rowsRead = 0;
  readonly byReason: Partial<Record<RejectReason, number>> = {};
  readonly rejected: RejectedRow[] = [];
  rejectedCount = 0;

  constructor(private readonly maxSamples: number) {}

  reject(line: number, reason: RejectReason, field: string | undefined, text: () => string): void {
    this.rejectedCount++;
    this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
    if (this.rejected.length < this.maxSamples) {
      const row: RejectedRow = { line, reason, text: text().slice(0, 200) };
      if (field !== undefined) row.field = field;
      this.rejected.push(row);
    }
  }

  /** Returns the reason when the row is invalid (and records nothing), else appends it. */
  push(line: number, t: number, o: number, h: number, l: number, c: number, v: number): RejectReason | null {
    if (!isSaneTime(t)) return 'time-out-of-range';
    // o − o is NaN for ±Infinity and NaN: one test for all five values.
    if ((o - o) + (h - h) + (l - l) + (c - c) + (v - v) !== 0) return 'non-finite';
    if (!(o >= 0 && h >= 0 && l >= 0 && c >= 0)) return 'negative-price';
    if (!(v >= 0)) return 'negative-volume';
    if (h < l) return 'high-below-low';
    if (this.n === this.lines.length) {
      const next = new Uint32Array(this.n * 2);
      next.set(this.lines);
      this.lines = next;
    }
    this.lines[this.n++] = line;
    this.ct.push(t); this.co.push(o); this.ch.push(h); this.cl.push(l); this.cc.push(c); this.cv.push(v);
    if (t <= this.lastT) this.unsorted = true;
    this.lastT = t;
    return null;
  }

  get length(): number {
    return this.n;
  }

  /** Times seen so far (for timeframe inference). */
  times(): Float64Array {
    return this.cols[0]!.data.subarray(0, this.n);
  }

  /**
   * Sorts by time (stable, so file order breaks ties) and drops duplicate times keeping the LAST
   * occurrence in the file: a later line is taken to be a correction of an earlier one.
   */
  finish(symbol: string, timeframe: string): { bars: BarColumns; sorted: boolean; duplicates: number } {
    const n = this.n;
    const src = this.cols.map((c) => c.data);
    const time = src[0]!;
    let order: Uint32Array | null = null;
    if (this.unsorted) {
      const idx = new Uint32Array(n);
      for (let i = 0; i < n; i++) idx[i] = i;
      // Typed-array sort is not guaranteed stable; the index breaks ties so file order is kept.
      idx.sort((a, b) => time[a]! - time[b]! || a - b);
      order = idx;
    }
    const at = (i: number) => (order ? order[i]! : i);
    let kept = 0;
    const keep = new Uint32Array(n);
    let duplicates = 0;
    for (let i = 0; i < n; i++) {
      const r = at(i);
      if (i + 1 < n && time[at(i + 1)] === time[r]) {
        duplicates++;
        const later = this.lines[at(i + 1)]!;
        this.reject(this.lines[r]!, 'duplicate-time', 'time',
          () => `same time (${new Date(time[r]!).toISOString()}) as line ${later}, which is kept`);
        continue;
      }
      keep[kept++] = r;
    }
    const bars = allocBars(symbol, timeframe, kept);
    const dst = [bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume];
    if (!order && duplicates === 0) {
      dst.forEach((d, f) => d.set(src[f]!.subarray(0, kept)));
    } else {
      for (let f = 0; f < 6; f++) {
        const s = src[f]!, d = dst[f]!;
        for (let i = 0; i < kept; i++) d[i] = s[keep[i]!]!;
      }
    }
    return { bars, sorted: order !== null, duplicates };
  }

  report(base: Pick<ImportReport, 'format' | 'symbol' | 'timeframe' | 'timezone' | 'adjusted' | 'bytesRead' | 'notes'>, bars: BarColumns, sorted: boolean, duplicates: number): ImportReport {
    return {
      ...base,
      rowsRead: this.rowsRead,
      rowsKept: bars.length,
      rowsRejected: this.rejectedCount,
      byReason: this.byReason,
      rejected: this.rejected,
      sorted,
      duplicates,
      first: bars.length ? bars.time[0]! : NaN,
      last: bars.length ? bars.time[bars.length - 1]! : NaN,
    };
  }
}
