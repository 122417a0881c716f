import { afterEach, describe, expect, it } from 'vitest';
import { resample } from '../../../src/data/resample.ts';
import { generateMinuteBars } from '../../../src/data/synthetic.ts';
import { IndicatorCache, runBacktest } from '../../../src/engine/index.ts';
import { prepareTimes } from '../../../src/engine/fast/columns.ts';
import { dropPrepared, preparedCount, prepareTimeline, timelineFor } from '../../../src/engine/fast/timeline.ts';
import { createEngineService } from '../../../src/engine/service.ts';
import { compile } from '../../../src/strategy/index.ts';
import type { BarColumns } from '../../../src/schema/index.ts';
import { crossDoc, parse } from '../pool/fixture.ts';

/**
 * A worker readies a run's timeline, day and calendar columns from the first asset that arrives ahead of the
 * run (EngineService.assetColumns → prepareTimes). The run must give what it gives without them, bit for bit,
 * and must only take them for times that are exactly its own.
 */

afterEach(dropPrepared);

/** Two aligned daily sets, each with a time column of its own (equal values, other arrays). */
function aligned(): BarColumns[] {
  return generateMinuteBars({ symbols: ['AAA', 'BBB'], years: 3, seed: 11, gaps: false }).map((b) => {
    const d = resample(b, '1d');
    return { ...d, time: Float64Array.from(d.time) };
  });
}

const copy = (b: BarColumns): BarColumns => ({ ...b, time: Float64Array.from(b.time) });
const run = (bars: BarColumns[], doc = crossDoc()) => runBacktest(doc, { bars }, { audit: false, indicatorCache: new IndicatorCache() });

describe('times readied ahead of a run (prepareTimes)', () => {
  it('a run on other arrays with the same times takes the prepared timeline, and gives the same result bit for bit', () => {
    const bars = aligned();
    const want = run(bars.map(copy));
    expect(want.engine).toBe('fast');
    const doc = crossDoc();
    prepareTimes(bars[0]!, doc.settings, compile(doc));
    const prepared = prepareTimeline(bars[0]!)!;
    const cols = bars.map(copy);
    const got = run(cols, doc);
    expect(got).toEqual(want);
    expect(preparedCount()).toBe(0); // taken: the run's timeline holds it now
    const tl = timelineFor(cols, Infinity);
    expect(tl.time).toBe(prepared.time);
    expect(tl.stepOf[1]).toBe(prepared.stepOf[0]);
  });

  it('times equal in length and ends but not in one value are not taken (and the run is still right)', () => {
    const bars = aligned();
    const other = copy(bars[0]!);
    other.time[100] = (other.time[99]! + other.time[101]!) / 2;
    const doc = crossDoc();
    prepareTimes(other, doc.settings, compile(doc));
    const prepared = prepareTimeline(other)!;
    const cols = bars.map(copy);
    expect(run(cols, doc)).toEqual(run(bars.map(copy)));
    expect(timelineFor(cols, Infinity).time).not.toBe(prepared.time);
  });

  it('nothing for a run cut at a range end, or for times that do not increase (the run reports those itself)', () => {
    const bars = aligned();
    const base = crossDoc();
    const cut = parse({ ...base, settings: { ...base.settings, range: { to: '2021-06-01' } } });
    prepareTimes(bars[0]!, cut.settings, compile(cut));
    expect(preparedCount()).toBe(0);
    const broken = copy(bars[0]!);
    broken.time[5] = broken.time[4]!;
    expect(() => prepareTimes(broken, base.settings, compile(base))).not.toThrow();
    expect(preparedCount()).toBe(0);
    prepareTimes(bars[0]!, base.settings, compile(base));
    expect(preparedCount()).toBe(1);
    expect(() => run([broken, copy(bars[1]!)], base)).toThrow(/time went backwards or repeated/);
  });

  it('the worker service readies them when an asset in shared memory arrives ahead of its run', () => {
    const svc = createEngineService();
    const bars = aligned().map((b) => {
      const time = new Float64Array(new SharedArrayBuffer(b.length * 8));
      time.set(b.time);
      return { ...b, time };
    });
    const doc = crossDoc();
    svc.assetColumns(doc, undefined, bars[0]!, undefined);
    const ready = prepareTimeline(bars[0]!)!;
    svc.load('d', { bars });
    const r = svc.run({ id: 1, dataId: 'd', doc, audit: false });
    expect(r.stats).toEqual(run(aligned()).stats);
    expect(timelineFor(bars, Infinity).time).toBe(ready.time);
  });
});
