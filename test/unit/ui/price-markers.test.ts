import { describe, expect, it } from 'vitest';
import type { RunResult, Trade } from '../../../src/schema/index.ts';
import { decodeResult, encodeResult } from '../../../src/rpc/result-columns.ts';
import { tradeRows } from '../../../src/rpc/trade-rows.ts';
import { groupByPixel } from '../../../src/ui/results/price-draw.ts';
import { buildMarks, clearOfBars, Clusters, clusterMarks, clusterTrades, hitCluster, MARK_COLORS, MARK_GAP, MARK_OFFSET, MARK_ROOM, markGap, roomForMarks } from '../../../src/ui/results/trade-marks.ts';

const trade = (side: Trade['side'], entryTime: number, exitTime: number, entryPrice: number, exitPrice: number, exitReason?: Trade['exitReason'], symbol = 'A'): Trade => ({
  symbol, side, quantity: 1, entryTime, exitTime, entryPrice, exitPrice, pnl: 0, returnPct: 0, fees: 0, strategyId: 's', ...(exitReason ? { exitReason } : {}),
});
const colorName = (c: number) => MARK_COLORS[c]!.label;
const identity = (v: number) => v;

describe('price chart markers', () => {
  it('are the same built from a pool result\'s trade columns as from the trade objects', () => {
    const reasons = [undefined, 'stop', 'target', 'trail', 'time', 'end'] as const;
    const trades = Array.from({ length: 60 }, (_, i) => trade(i % 3 ? 'long' : 'short', i * 10, i % 7 ? i * 10 + 5 : NaN, 10 + (i % 5), 11 - (i % 4), reasons[i % 6], i % 4 ? 'A' : 'B'));
    const result = { engineVersion: 't', trades, orders: [], signals: [] } as unknown as RunResult;
    const rows = tradeRows(decodeResult(encodeResult(result)));
    for (const symbol of ['A', 'B']) {
      const toX = (ms: number) => (ms === 50 ? NaN : ms / 2);
      expect(buildMarks(rows, symbol, toX)).toEqual(buildMarks(trades, symbol, toX));
    }
    expect(buildMarks(rows, 'A', identity).x.length).toBeGreaterThan(40);
  });

  it('puts long/short entries and exits in their own lanes, exits coloured by the rule that closed them', () => {
    const m = buildMarks([trade('long', 0, 10, 10, 11), trade('short', 10, 20, 11, 9, 'stop'), trade('long', 20, NaN, 9, NaN), trade('long', 5, 6, 1, 1, undefined, 'B')], 'A', identity);
    expect(m.order.map((o) => [...o])).toEqual([[0, 4], [2], [1], [3]]);
    expect([...m.lane]).toEqual([0, 2, 1, 3, 0]);
    expect([...m.color].map(colorName)).toEqual(['long', 'signal', 'short', 'stop-loss', 'long']);
    expect([...m.trade]).toEqual([0, 0, 1, 1, 2]);
  });

  it('thins a lane to one marker per gap: a merged marker counts its trades, sits at the extreme fill, and loses a colour it does not share', () => {
    // Five long exits 1 px apart, then one 30 px away; sell markers take the highest price.
    const trades = [0, 1, 2, 3, 4, 34].map((t, i) => trade('long', t - 100, t, 1, 10 + i, i === 2 ? 'target' : undefined));
    const m = buildMarks(trades, 'A', identity);
    const cl = new Clusters();
    clusterMarks(m, identity, (p) => 100 - p, 12, -1000, 1000, cl);
    // Lane 0 (entries at −100…−66) : two clusters; lane 2 (exits) two clusters.
    const exits = [...Array(cl.count).keys()].filter((c) => cl.lane[c] === 2);
    expect(exits.map((c) => cl.to[c]! - cl.from[c]! + 1)).toEqual([5, 1]);
    expect(exits.map((c) => cl.py[c])).toEqual([100 - 14, 100 - 15]);
    expect(exits.map((c) => cl.color[c])).toEqual([-1, 2]);
    expect(clusterTrades(m, cl, exits[0]!)).toEqual([0, 1, 2, 3, 4]);
    // Off-screen markers are skipped, not merged into the first visible one.
    clusterMarks(m, identity, identity, 12, 3, 1000, cl);
    expect([...Array(cl.count).keys()].filter((c) => cl.lane[c] === 2).map((c) => clusterTrades(m, cl, c))).toEqual([[3, 4], [5]]);
  });

  it('no wall of dots: 5,000 trades on a 1,000 px plot draw at most one marker per gap in each lane', () => {
    const trades = Array.from({ length: 5000 }, (_, i) => trade(i % 3 ? 'long' : 'short', i, i + 0.5, 10, 11, i % 7 ? undefined : 'stop'));
    const m = buildMarks(trades, 'A', (t) => t / 5);
    const cl = new Clusters();
    clusterMarks(m, identity, identity, 12, 0, 1000, cl);
    for (let lane = 0; lane < 4; lane++) {
      const xs = [...Array(cl.count).keys()].filter((c) => cl.lane[c] === lane).map((c) => cl.px[c]!);
      expect(xs.length).toBeLessThanOrEqual(Math.ceil(1000 / 12) + 1);
      for (let k = 1; k < xs.length; k++) expect(xs[k]! - xs[k - 1]!).toBeGreaterThanOrEqual(12);
    }
    // Every trade is still reachable through exactly one entry cluster.
    const entries = [...Array(cl.count).keys()].filter((c) => cl.lane[c]! < 2).flatMap((c) => clusterTrades(m, cl, c));
    expect(entries.sort((a, b) => a - b)).toEqual(trades.map((_, i) => i));
  });

  it('a wall of markers (the 20-year default: 118 long entries across a 1,300 px plot) thins to at most 40 clusters a lane; zoomed in, every marker is back', () => {
    const trades = Array.from({ length: 236 }, (_, i) => trade(i % 2 ? 'short' : 'long', i * 31, (i + 1) * 31, 10, 11));
    const m = buildMarks(trades, 'A', identity);
    const full = (t: number) => (t / (236 * 31)) * 1300;
    const gap = markGap(m, full, 0, 1300, 1);
    expect(gap).toBe(1300 / 40);
    const cl = new Clusters();
    clusterMarks(m, full, identity, gap, 0, 1300, cl);
    for (let lane = 0; lane < 4; lane++) expect([...Array(cl.count).keys()].filter((c) => cl.lane[c] === lane).length).toBeLessThanOrEqual(41);
    // Zoomed to a tenth of the span: 12 long entries over 1,300 px is not a wall.
    const zoomed = (t: number) => full(t) * 10;
    expect(markGap(m, zoomed, 0, 1300, 1)).toBe(MARK_GAP);
    // Twenty trades on a chart (the Chromium test's case) keep the plain gap; device pixels scale both.
    expect(markGap(buildMarks(trades.slice(0, 40), 'A', identity), full, 0, 1300, 2)).toBe(MARK_GAP * 2);
  });

  it('a click finds the marker under it (buys below the fill, sells above), and nothing elsewhere', () => {
    const m = buildMarks([trade('long', 100, 300, 50, 60)], 'A', identity);
    const cl = new Clusters();
    clusterMarks(m, identity, (p) => 200 - p, 12, 0, 1000, cl);
    // The long entry ▲ has its tip at y = 150 and its body below; the long exit ▼ tip at y = 140, body above.
    const entry = hitCluster(cl, 100, 155, 1);
    const exit = hitCluster(cl, 300, 135, 1);
    expect(cl.lane[entry]).toBe(0);
    expect(cl.lane[exit]).toBe(2);
    expect(hitCluster(cl, 100, 130, 1)).toBe(-1);
    expect(hitCluster(cl, 200, 150, 1)).toBe(-1);
  });

  it('groups bars closer than the minimum width into one drawn bar', () => {
    const xs = [0, 1, 2, 3, 10, 11, 30];
    const starts = new Int32Array(xs.length + 2);
    const n = groupByPixel(xs, 0, xs.length - 1, (x) => x, 3, starts);
    expect([...starts.slice(0, n + 1)]).toEqual([0, 3, 4, 6, 7]);
    expect(groupByPixel(xs, 4, 5, (x) => x * 10, 3, starts)).toBe(2);
  });

  it('markers keep clear of the bars they would cover: buys below the lowest low under them, sells above the highest high', () => {
    // Bars every 10 px; a long trade in at bar 5 (fill 100) and out at bar 8 (fill 104); bar 6 dips to 90, bar 9 spikes to 120.
    const xs = Float64Array.from({ length: 20 }, (_, i) => i * 10);
    const low = Float64Array.from(xs, (_, i) => (i === 6 ? 90 : 95));
    const high = Float64Array.from(xs, (_, i) => (i === 9 ? 120 : 110));
    const m = buildMarks([trade('long', 50, 80, 100, 104)], 'A', identity);
    const cl = new Clusters();
    const toPy = (p: number) => 200 - p;
    clusterMarks(m, identity, toPy, 12, 0, 1000, cl);
    clearOfBars(cl, xs, { high, low }, identity, toPy, 1);
    const at = (lane: number) => cl.py[[...Array(cl.count).keys()].find((c) => cl.lane[c] === lane)!];
    // The ▲ (entry) spans bars 4–6 with its count: below 90 by the offset. The ▽ (exit) spans bars 7–9: above 120.
    expect(at(0)).toBe(toPy(90) + MARK_OFFSET);
    expect(at(2)).toBe(toPy(120) - MARK_OFFSET);
    // The scale leaves MARK_ROOM pixels beyond the extremes on a 250 px plot.
    const [lo, hi] = roomForMarks(100, 200, 250);
    expect(((100 - lo) / (hi - lo)) * 250).toBeCloseTo(MARK_ROOM, 9);
    expect(((hi - 200) / (hi - lo)) * 250).toBeCloseTo(MARK_ROOM, 9);
  });
});
