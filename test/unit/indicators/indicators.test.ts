import { describe, expect, it } from 'vitest';
import {
  ATR, Bollinger, EMA, Highest, Lowest, MACD, ROC, RSI, SMA, StdDev, WMA, createIndicator,
  type Indicator, type IndicatorSpec, type WindowSpec,
} from '../../../src/indicators/index.ts';
import { Rng } from '../../../src/lib/rng.ts';

const S = 1000;
const run = (ind: Indicator, pts: readonly (readonly [number, number])[]) => pts.map(([t, v]) => ind.update(t, v, v, v));

describe('EMA on a duration window', () => {
  it('EMA {ms: 3000} on 1 s data 2, 5, 1, 6.25 gives 2, 3.5, 2.25, 4.25 (raw), ready once 3 s of history', () => {
    const e = new EMA({ ms: 3000 });
    const raw: number[] = [];
    const ready: boolean[] = [];
    [2, 5, 1, 6.25].forEach((v, i) => {
      e.update(i * S, v, v, v);
      raw.push(e.raw);
      ready.push(e.ready);
    });
    expect(raw).toEqual([2, 3.5, 2.25, 4.25]);
    expect(ready).toEqual([false, false, false, true]);
    expect(e.value).toBe(4.25);
  });

  it('a gap longer than the window forgets the past; a short gap weighs less', () => {
    const e = new EMA({ ms: 3000 });
    run(e, [[0, 10], [10 * S, 20]]);
    expect(e.raw).toBe(20);
    const f = new EMA({ ms: 3000 });
    run(f, [[0, 10], [500, 20]]);
    const x = 500 / 3000;
    expect(f.raw).toBeCloseTo(10 + ((2 * x) / (1 + x)) * 10, 12);
  });

  it('seed "sma" on a duration window starts from the window mean when ready', () => {
    const e = new EMA({ ms: 3000 }, 'sma');
    run(e, [[0, 1], [S, 2], [2 * S, 3]]);
    expect(e.raw).toBeNaN();
    run(e, [[3 * S, 7]]);
    expect(e.value).toBe((2 + 3 + 7) / 3);
  });
});

describe('duration windows hold exactly (t − D, t]', () => {
  it('an observation exactly D old has left the window', () => {
    const hi = new Highest({ ms: 3000 });
    const sma = new SMA({ ms: 3000 });
    const pts = [[0, 9], [S, 1], [2 * S, 2], [3 * S, 3]] as const;
    run(hi, pts);
    run(sma, pts);
    expect(hi.value).toBe(3);
    expect(sma.value).toBe(2);
  });

  it('ROC uses the as-of value at t − D (the last observation at or before it)', () => {
    const r = new ROC({ ms: 3000 });
    run(r, [[0, 100], [1500, 50], [2900, 70], [4000, 110]]);
    // t − D = 1000: the as-of value is the one at 0.
    expect(r.value).toBeCloseTo(10, 12);
    run(r, [[4600, 105]]);
    // t − D = 1600: the as-of value is the one at 1500.
    expect(r.value).toBeCloseTo(110, 12);
  });
});

describe('conventions at the edges', () => {
  it('RSI is 100 with gains and no losses, and 50 on a flat series (0/0)', () => {
    const up = new RSI({ bars: 3 });
    run(up, [[0, 1], [S, 2], [2 * S, 3], [3 * S, 4]]);
    expect(up.value).toBe(100);
    const flat = new RSI({ bars: 3 });
    run(flat, [[0, 5], [S, 5], [2 * S, 5], [3 * S, 5]]);
    expect(flat.value).toBe(50);
  });

  it('ATR firstBar "range" is ready one bar before "skip"', () => {
    const a = new ATR({ bars: 3 });
    const b = new ATR({ bars: 3 }, 'skip');
    expect([a.warmupBars, b.warmupBars]).toEqual([3, 4]);
    const bars = [[10, 12, 9], [11, 13, 10], [12, 12.5, 11], [11, 12, 10.5]] as const;
    const outs = bars.map(([c, h, l], i) => [a.update(i, c, h, l), b.update(i, c, h, l)]);
    expect(outs[2]![0]).toBeCloseTo((3 + 3 + 1.5) / 3, 12);
    expect(outs[2]![1]).toBeNaN();
    expect(outs[3]![1]).toBeCloseTo((3 + 1.5 + 1.5) / 3, 12);
  });

  it('MACD rejects mixed window kinds', () => {
    expect(() => new MACD({ bars: 12 }, { ms: 26 }, { bars: 9 })).toThrow(/all be bars or all durations/);
  });

  it.each([{ bars: 0 }, { bars: 2.5 }, { ms: 0 }, { ms: -1 }, { ms: Infinity }])('rejects window %j', (w) => {
    expect(() => new SMA(w)).toThrow();
  });

  it('Bollinger rejects a negative k', () => expect(() => new Bollinger({ bars: 5 }, -1)).toThrow());
});

const specs: IndicatorSpec[] = [
  { kind: 'sma', window: { bars: 5 } }, { kind: 'ema', window: { bars: 5 }, seed: 'sma' }, { kind: 'wma', window: { ms: 5000 } },
  { kind: 'rsi', window: { bars: 5 } }, { kind: 'bollinger', window: { bars: 5 }, k: 1.5 },
  { kind: 'macd', fast: { bars: 3 }, slow: { bars: 6 }, signal: { bars: 4 } }, { kind: 'atr', window: { ms: 4000 }, firstBar: 'skip' },
  { kind: 'stddev', window: { bars: 5 } }, { kind: 'roc', window: { bars: 5 } }, { kind: 'highest', window: { ms: 3000 } },
  { kind: 'lowest', window: { bars: 5 } },
];

describe('createIndicator and the contract', () => {
  it('builds the class for each kind', () => {
    const classes = [SMA, EMA, WMA, RSI, Bollinger, MACD, ATR, StdDev, ROC, Highest, Lowest];
    specs.forEach((s, i) => expect(createIndicator(s)).toBeInstanceOf(classes[i]!));
    const b = createIndicator({ kind: 'bollinger', window: { bars: 3 } });
    expect(b.k).toBe(2);
  });

  it.each(specs.map((s) => [s.kind, s] as const))('%s: NaN until ready, ready at warmup, reset restores the fresh state', (_, spec) => {
    const rng = new Rng(7);
    const ind = createIndicator(spec);
    const bars = ind.warmupMs > 0 ? 0 : ind.warmupBars;
    const first: number[] = [];
    let t = 0;
    for (let i = 0; i < 40; i++) {
      t += 1000;
      const c = 100 + rng.normal();
      const v = ind.update(t, c, c + rng.next(), c - rng.next());
      first.push(v);
      expect(Number.isNaN(v)).toBe(!ind.ready);
      if (bars > 0) expect(ind.ready).toBe(i + 1 >= bars);
      else expect(ind.ready).toBe(t - 1000 >= ind.warmupMs);
    }
    ind.reset();
    expect(ind.ready).toBe(false);
    expect(ind.value).toBeNaN();
    const again = new Rng(7);
    t = 0;
    const second = first.map(() => {
      t += 1000;
      const c = 100 + again.normal();
      return ind.update(t, c, c + again.next(), c - again.next());
    });
    expect(second).toEqual(first);
  });

  it('multi-output fields are NaN until ready', () => {
    const m = new MACD({ bars: 2 }, { bars: 3 }, { bars: 2 });
    const b = new Bollinger({ bars: 3 });
    run(m, [[0, 1], [S, 2], [2 * S, 3]]);
    run(b, [[0, 1], [S, 2]]);
    expect([m.value, m.signal, m.histogram, b.upper, b.lower]).toEqual([NaN, NaN, NaN, NaN, NaN]);
    run(m, [[3 * S, 5]]);
    expect(m.ready && Number.isFinite(m.signal) && Number.isFinite(m.histogram)).toBe(true);
  });
});

describe('running sums do not drift', () => {
  it.each<WindowSpec>([{ bars: 50 }, { ms: 50_000 }])('SMA, WMA, StdDev stay within 1e-9 relative of naive recomputation over 100k updates (%j)', (w) => {
    const rng = new Rng(11);
    const sma = new SMA(w), wma = new WMA(w), sd = new StdDev(w);
    const xs: number[] = [];
    const ts: number[] = [];
    let x = 50_000;
    let t = 0;
    for (let i = 0; i < 100_000; i++) {
      t += 1 + rng.int(0, 1999);
      x += rng.normal() * 5;
      xs.push(x);
      ts.push(t);
      sma.update(t, x, x, x);
      wma.update(t, x, x, x);
      sd.update(t, x, x, x);
      if (i % 9973 !== 9972) continue;
      let lo = i;
      if ('bars' in w) lo = i - w.bars + 1;
      else while (lo > 0 && ts[lo - 1]! > t - w.ms) lo--;
      const win = xs.slice(lo, i + 1);
      const n = win.length;
      const mean = win.reduce((a, b) => a + b, 0) / n;
      const wmean = win.reduce((a, b, k) => a + (k + 1) * b, 0) / ((n * (n + 1)) / 2);
      const sdev = Math.sqrt(win.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
      expect(Math.abs(sma.value - mean) / mean).toBeLessThan(1e-9);
      expect(Math.abs(wma.value - wmean) / wmean).toBeLessThan(1e-9);
      expect(Math.abs(sd.value - sdev) / sdev).toBeLessThan(1e-9);
    }
  });
});
