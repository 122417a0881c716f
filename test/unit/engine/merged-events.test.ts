/**
 * The compiled walk's merge of strategies' candidate events (fast/merge.ts): every event once, in step
 * order, ties in document order, each with its index in its own list. Beyond four strategies it is a
 * counting sort scattered a band of 2^15 steps at a time; these lists span several bands, with events on
 * bands' first and last steps, strategies with no event in a band (or none at all), and many strategies at
 * one step. A scatter that lost a strategy's place between bands, or let one band's events take another's
 * places, fails here.
 */
import { describe, expect, it } from 'vitest';
import { acquireMerge, mergedEvents, releaseMerge } from '../../../src/engine/fast/merge.ts';
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
  for (const [k, steps] of [[3, 2 * BAND + 17], [9, 3 * BAND + 5], [29, 2 * BAND], [40, BAND - 3]] as const) {
    it(`${k} strategies over ${steps} steps: step order, ties in document order, every event once`, () => {
      for (const seed of [1, 2, 3]) {
        const events = lists(seed * 31 + k, k, steps);
        const m = mergedEvents(events, steps, acquireMerge());
        const got: [number, number, number][] = [];
        for (let j = 0; j < m.total; j++) got.push([m.step[j]!, m.strategy[j]!, m.index[j]!]);
        expect(got).toEqual(expected(events));
        releaseMerge(m);
      }
    });
  }
});
