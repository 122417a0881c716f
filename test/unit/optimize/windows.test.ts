import { describe, expect, it } from 'vitest';
import { parseWindowSizes, planWindows, sliceData, SpaceError, timelineOf } from '../../../src/optimize/index.ts';
import { dailyBars, smaCross } from './fixtures.ts';

const DAY = 86_400_000;
const line = (n: number, step = DAY) => Float64Array.from({ length: n }, (_, i) => i * step);
const idx = (w: { from: number; to: number }, step = DAY) => [w.from / step, w.to / step];

describe('walk-forward windows', () => {
  it('parses IN/OUT in bars or days', () => {
    expect(parseWindowSizes('756/126')).toEqual({ inSample: 756, outOfSample: 126, unit: 'bars' });
    expect(parseWindowSizes('730d/180d')).toEqual({ inSample: 730, outOfSample: 180, unit: 'days' });
    for (const bad of ['756', '730d/180', '0/5', 'a/b', '1.5/2']) expect(() => parseWindowSizes(bad), bad).toThrow(SpaceError);
  });

  it('rolls: in-sample slides, out-of-sample spans tile the rest, the last one may be short', () => {
    const w = planWindows(line(25), { inSample: 10, outOfSample: 5, unit: 'bars' });
    expect(w.map((x) => [idx(x.inSample), idx(x.outOfSample)])).toEqual([
      [[0, 9], [10, 14]], [[5, 14], [15, 19]], [[10, 19], [20, 24]],
    ]);
    const short = planWindows(line(23), { inSample: 10, outOfSample: 5, unit: 'bars' });
    expect(short.at(-1)!.outOfSample.bars).toBe(3);
    expect(short.every((x) => x.inSample.bars === 10)).toBe(true);
  });

  it('anchors: every in-sample window starts at the first bar', () => {
    const w = planWindows(line(25), { inSample: 10, outOfSample: 5, unit: 'bars', anchored: true });
    expect(w.map((x) => [idx(x.inSample), idx(x.outOfSample)])).toEqual([
      [[0, 9], [10, 14]], [[0, 14], [15, 19]], [[0, 19], [20, 24]],
    ]);
  });

  it('cuts day-sized windows on the calendar, so gaps do not stretch them', () => {
    // Bars every 2 days: a 10-day in-sample window holds 5 bars.
    const w = planWindows(line(20, 2 * DAY), { inSample: 10, outOfSample: 6, unit: 'days' });
    expect(w[0]!.inSample).toEqual({ from: 0, to: 8 * DAY, bars: 5 });
    expect(w[0]!.outOfSample).toEqual({ from: 10 * DAY, to: 14 * DAY, bars: 3 });
    expect(w[1]!.inSample.from).toBe(6 * DAY);
    expect(w.at(-1)!.outOfSample.to).toBe(38 * DAY);
    expect(planWindows(line(5), { inSample: 10, outOfSample: 5, unit: 'bars' })).toEqual([]);
  });

  it('slices every column and series to a span without copying, dropping later publications', () => {
    const bars = dailyBars(30);
    const t = (i: number) => bars.time[i]!;
    const series = { name: 'x', symbol: null, length: 3, time: Float64Array.of(t(0), t(12), t(25)), value: Float64Array.of(1, 2, 3) };
    const s = sliceData({ bars: [bars], series: [series] }, t(5), t(14));
    const b = s.bars[0]!;
    expect(b.length).toBe(10);
    expect(b.time[0]).toBe(t(5));
    expect(b.close.buffer).toBe(bars.close.buffer);
    expect(b.close[9]).toBe(bars.close[14]);
    expect(Array.from(s.series![0]!.value)).toEqual([1, 2]);
    // Regression: a walk-forward window of a finerData search lost the bar magnifier's finer bars.
    expect(sliceData({ bars: [bars], finer: [bars] }, t(5), t(14)).finer).toEqual([bars]);
    expect(s.finer).toBeUndefined();
  });

  it('builds the timeline from the assets the document reads, within its range', () => {
    const doc = smaCross();
    const spy = dailyBars(30);
    const other = dailyBars(40, 2, 'QQQ', Date.UTC(2009, 0, 1));
    expect(timelineOf(doc, { bars: [spy, other] })).toEqual(spy.time);
    const ranged = { ...doc, settings: { ...doc.settings, range: { from: '2010-01-10', to: '2010-01-12' } } };
    expect(Array.from(timelineOf(ranged, { bars: [spy] }))).toEqual([Date.UTC(2010, 0, 10), Date.UTC(2010, 0, 11), Date.UTC(2010, 0, 12)]);
  });
});
