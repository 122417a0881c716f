/**
 * Golden run on real data (uses ../shared/data/daily/GOOG.csv; skipped with a notice when it is absent):
 * public/strategies/sma-cross.json rebound to GOOG, cash 10,000, commission 0.2 % of notional, next-open
 * fills, whole units. Every statistic must match the checked-in fixture to 1e-9 relative and every trade
 * exactly. Headline (reviewed by hand when the fixture was made): 93 trades, buy & hold +607.37 % from the first tradable bar (+703.46 % over the whole file),
 * strategy +462.64 %, max drawdown −33.93 %, always in the market once the SMAs are ready.
 *
 * The fixture is a regression guard, not a truth: regenerate it with
 *     npx tsx test/golden/update.ts
 * only when an intended engine change alters results — and then bump ENGINE_VERSION in
 * src/engine/version.ts in the same commit, and review the fixture's diff (trade count, headline numbers).
 * A fixture that changes without an intended change is a bug to find, not a file to regenerate.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENGINE_VERSION } from '../../src/engine/index.ts';
import type { Stats } from '../../src/schema/index.ts';
import { SHARED_DATA, warnIfNoSharedData } from '../helpers/shared-data.ts';
import { FIXTURE, goldenRun, type GoldenFixture } from './sma-cross-goog.ts';

warnIfNoSharedData('golden run sma-cross on GOOG');

function readFixture(): GoldenFixture {
  return JSON.parse(readFileSync(FIXTURE, 'utf8'), (_, v: unknown) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v)) as GoldenFixture;
}

describe.skipIf(SHARED_DATA === null)('golden: sma-cross on GOOG (shared data)', () => {
  it('matches the checked-in statistics and trade list', async () => {
    const want = readFixture();
    const { result, bars } = await goldenRun();
    expect(result.engineVersion, 'results changed? bump ENGINE_VERSION and regenerate (see the comment above)').toBe(want.engineVersion);
    expect(ENGINE_VERSION).toBe(want.engineVersion);
    expect(bars).toBe(want.bars);

    for (const key of Object.keys(want.stats) as (keyof Stats)[]) {
      const a = result.stats[key], b = want.stats[key];
      if (Number.isNaN(b) || !Number.isFinite(b)) expect(a, key).toBe(b);
      else expect(Math.abs(a - b), `${key}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
    }
    expect(Object.keys(result.stats).sort()).toEqual(Object.keys(want.stats).sort());
    expect(result.trades).toEqual(want.trades);

    // Sanity independent of the fixture: the headline numbers, and an always-in-the-market long/short
    // strategy whose every trade starts where the previous one ended, on the opposite side.
    expect(result.stats.tradeCount).toBe(93);
    expect(result.stats.buyHoldReturnPct).toBeCloseTo(607.37, 2);
    expect(result.stats.buyHoldWholeReturnPct).toBeCloseTo(703.46, 2);
    expect(result.stats.periodsPerYear).toBe(252);
    const t = result.trades;
    for (let i = 1; i < t.length; i++) {
      expect(t[i]!.entryTime).toBe(t[i - 1]!.exitTime);
      expect(t[i]!.side).not.toBe(t[i - 1]!.side);
      expect(t[i]!.strategyId).toBe(t[i]!.side);
    }
    expect(result.orders.every((o) => o.status === 'filled' && o.reason === null)).toBe(true);
  });
});
