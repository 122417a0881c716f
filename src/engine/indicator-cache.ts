import { createIndicator, type Indicator } from '../indicators/index.ts';
import type { BarColumns } from '../schema/index.ts';
import type { Plan, PlanIndicator } from '../strategy/index.ts';

/**
 * Indicator outputs computed once per (asset bars, indicator key) as whole columns indexed by the
 * asset's bar index, then shared by every run that needs them: the candidates of an optimization batch,
 * or one run's repeated strategies. Each column is produced by a tight, monomorphic loop over one
 * indicator, which is also the fastest way to compute it.
 *
 * Keyed on the bar columns themselves (their time array and length), so one cache can serve several data
 * sets, or slices of one (walk-forward windows), without ever handing a column to the wrong bars.
 */
export class IndicatorCache {
  private readonly byBars = new WeakMap<Float64Array, Map<string, Float64Array[]>>();
  private count = 0;
  hits = 0;
  misses = 0;

  /** Output columns of `pi` (in pi.outputs order) over `bars`, computing them on first use. */
  get(pi: PlanIndicator, bars: BarColumns): Float64Array[] {
    let columns = this.byBars.get(bars.time);
    if (!columns) {
      columns = new Map();
      this.byBars.set(bars.time, columns);
    }
    const key = `${bars.length}|${pi.key}|${pi.outputs.map((o) => o.field).join(',')}`;
    const hit = columns.get(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const cols = computeColumns(pi, bars);
    columns.set(key, cols);
    this.count++;
    return cols;
  }

  /** Precomputes every indicator of a plan (e.g. before spreading a batch over workers). */
  warm(plan: Plan, bars: readonly BarColumns[]): void {
    for (const pi of plan.indicators) this.get(pi, bars[pi.asset]!);
  }

  /** Number of columns computed so far. */
  get size(): number {
    return this.count;
  }
}

type ColumnLoop = (ind: Indicator, b: BarColumns, src: Float64Array | null, outs: Float64Array[], fields: readonly string[], onlyValue: boolean) => void;

/**
 * The column loop, one copy per indicator class. A single shared loop sees every indicator kind at its
 * `update` call and V8 deoptimizes it back and forth (measured ~5× slower on W2's 21 columns); a copy per
 * class keeps each call site monomorphic, so the update inlines. The copies come from one source through
 * `new Function`, which gives each its own feedback; without code generation (a CSP) the shared loop runs.
 */
const LOOP_SOURCE = `
  const n = b.length;
  const extra = ind;
  for (let i = 0; i < n; i++) {
    let x;
    if (src === null) {
      const prev = i > 0 ? b.close[i - 1] : NaN;
      if (!(prev > 0)) {
        for (let k = 0; k < outs.length; k++) outs[k][i] = i > 0 ? outs[k][i - 1] : NaN;
        continue;
      }
      x = b.close[i] / prev - 1;
    } else {
      x = src[i];
    }
    const v = ind.update(b.time[i], x, b.high[i], b.low[i]);
    if (onlyValue) outs[0][i] = v;
    else for (let k = 0; k < outs.length; k++) outs[k][i] = fields[k] === 'value' ? v : extra[fields[k]];
  }`;

const loops = new Map<unknown, ColumnLoop>();
let sharedLoop: ColumnLoop | null = null;

function loopFor(ind: Indicator): ColumnLoop {
  let loop = loops.get(ind.constructor);
  if (!loop) {
    try {
      loop = new Function('ind', 'b', 'src', 'outs', 'fields', 'onlyValue', LOOP_SOURCE) as ColumnLoop;
    } catch {
      // Like the streaming kernel: when the return is undefined (no previous positive close), no update and
      // the outputs keep their last values.
      sharedLoop ??= (ind, b, src, outs, fields, onlyValue) => {
        const extra = ind as unknown as Record<string, number>;
        for (let i = 0; i < b.length; i++) {
          let x: number;
          if (src === null) {
            const prev = i > 0 ? b.close[i - 1]! : NaN;
            if (!(prev > 0)) {
              for (let k = 0; k < outs.length; k++) outs[k]![i] = i > 0 ? outs[k]![i - 1]! : NaN;
              continue;
            }
            x = b.close[i]! / prev - 1;
          } else {
            x = src[i]!;
          }
          const v = ind.update(b.time[i]!, x, b.high[i]!, b.low[i]!);
          if (onlyValue) outs[0]![i] = v;
          else for (let k = 0; k < outs.length; k++) outs[k]![i] = fields[k] === 'value' ? v : extra[fields[k]!]!;
        }
      };
      loop = sharedLoop;
    }
    loops.set(ind.constructor, loop);
  }
  return loop;
}

function computeColumns(pi: PlanIndicator, b: BarColumns): Float64Array[] {
  const outs = pi.outputs.map(() => new Float64Array(b.length));
  const ind = createIndicator(pi.spec);
  const fields = pi.outputs.map((o) => o.field);
  const onlyValue = fields.length === 1 && fields[0] === 'value';
  loopFor(ind)(ind, b, pi.source === 'return' ? null : b[pi.source], outs, fields, onlyValue);
  return outs;
}
