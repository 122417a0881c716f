import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/index.ts';
import { decodeResult, encodeResult } from '../../../src/rpc/result-columns.ts';
import { crossDoc, dailyBars, parse } from '../pool/fixture.ts';

/** Regression: the pool's columnar results dropped trade.dividends, so an app run with dividends differed from the engine's. */
describe('result columns carry corporate-action fields', () => {
  it('trade.dividends survives the round trip through columns (raw prices with a dividend)', () => {
    const bars = dailyBars();
    const aaa = bars.find((b) => b.symbol === 'AAA')!;
    const exDate = Math.floor(aaa.time[600]! / 86_400_000) * 86_400_000;
    const doc = parse({ ...crossDoc(), settings: { ...crossDoc().settings, prices: 'raw' } });
    const r = runBacktest(doc, { bars, actions: [{ symbol: 'AAA', exDate, type: 'dividend', value: aaa.close[599]! / 100 }] });
    const withDividends = r.trades.filter((t) => t.dividends !== undefined);
    expect(withDividends.length).toBeGreaterThan(0);
    const back = decodeResult(encodeResult(r));
    expect(back.trades).toEqual(r.trades);
    expect(back.corporateActions).toEqual(r.corporateActions);
  });
});
