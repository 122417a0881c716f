/**
 * The compiled walk's merge of strategies' candidate events (fast/merge.ts): every event once, in step
 * order, ties in document order, each with its index in its own list. Beyond four strategies it is a
 * counting sort scattered a band of 2^15 steps at a time; these lists span several bands, with events on
 * bands' first and last steps, strategies with no event in a band (or none at all), and many strategies at
 * one step. A scatter that lost a strategy's place between bands, or let one band's events take another's
 * places, fails here.
 */
import { describe, expect, it } from 'vitest';
import { mergedEvents, releaseMerge } from '../../../src/engine/fast/merge.ts';
import { Events } from '../../../src/engine/fast/signals.ts';
import { lcg } from '../../helpers/lcg.ts';

const BAND = 1 << 15;

function lists(seed: number, k: number, steps: number): Events[] {
  const r = lcg(seed);
  const none = new Float64Array(0);
  return Array.from({ length: k }, (_, i) => {
    const e = new Events(0);
    // Strategy 2 never fires; the others at a density of their own, always on the bands' edges.
    const density = i === 2 ? 0 : r() * 0.05;
    for (let s = 0; s < steps; s++) if (r() < density || (i !== 2 && (s % BAND === 0 || s % BAND === BAND - 1))) e.push(s, none);
    return e;
  });
}

function expected(events: readonly Events[]): [number, number, number][] {
  const all: [number, number, number][] = [];
  events.forEach((e, i) => { for (let q = 0; q < e.count; q++) all.push([e.steps[q]!, i, q]); });
  return all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

describe('merged candidate events', () => {
  it('passes over bands with no event, and ends with an empty window at the last step (2 and 6 strategies)', () => {
    const none = new Float64Array(0);
    for (const k of [2, 6]) {
      const events = Array.from({ length: k }, () => new Events(0));
      events[k - 1]!.push(5, none);
      events[0]!.push(3 * BAND + 7, none);
      events[k - 1]!.push(3 * BAND + 7, none);
      const m = mergedEvents(events, 5 * BAND);
      expect([m.total, m.end, m.step[0], m.strategy[0]]).toEqual([1, BAND, 5, k - 1]);
      expect(m.next()).toBe(true);
      expect([m.total, m.end, [...m.strategy.subarray(0, 2)], [...m.index.subarray(0, 2)]]).toEqual([2, 4 * BAND, [0, k - 1], [0, 1]]);
      expect(m.next()).toBe(false);
      expect([m.total, m.end]).toEqual([0, 5 * BAND]);
      releaseMerge(m);
    }
  });

  for (const [k, steps] of [[3, 2 * BAND + 17], [9, 3 * BAND + 5], [29, 2 * BAND], [40, BAND - 3]] as const) {
    it(`${k} strategies over ${steps} steps: step order, ties in document order, every event once`, () => {
      for (const seed of [1, 2, 3]) {
        const events = lists(seed * 31 + k, k, steps);
        const m = mergedEvents(events, steps);
        const got: [number, number, number][] = [];
        // Window by window, as a walk reads them: each holds the events of steps below its end, none before
        // the last window's end.
        let windows = 0, from = 0;
        do {
          for (let j = 0; j < m.total; j++) {
            expect(m.step[j]! >= from && m.step[j]! < m.end).toBe(true);
            got.push([m.step[j]!, m.strategy[j]!, m.index[j]!]);
          }
          windows++;
          from = m.end;
        } while (m.next());
        expect(m.total).toBe(0);
        expect(m.end).toBe(steps);
        expect(got).toEqual(expected(events));
        expect(windows).toBeGreaterThanOrEqual(Math.ceil(steps / BAND));
        releaseMerge(m);
      }
    });
  }
});
