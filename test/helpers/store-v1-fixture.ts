import { allocBars } from '../../src/data/columns.ts';
import type { BarColumns, StepSeries } from '../../src/schema/bars.ts';

/**
 * The data behind test/golden/fixtures/store-v1.json: bar and series files written by the version-1 store
 * (raw float64 columns, IndexedDB catalog at version 2), produced once by main's encoder before the format
 * changed. The values are chosen to stress the compact format: cents, sub-cent and binary-fraction prices,
 * a sum that is not a short decimal (0.1 + 0.2), -0, NaN, a volume past int32, irregular times with gaps
 * longer than 49 days (past a u32 count of milliseconds), and a monthly set.
 */
export function v1FixtureBars(): BarColumns[] {
  const minute = allocBars('MIN', '1m', 700);
  let t = Date.UTC(2020, 0, 2, 14, 30);
  for (let i = 0; i < minute.length; i++) {
    t += i % 97 === 0 ? 17 * 3_600_000 : 60_000;
    minute.time[i] = t;
    const p = 100 + ((i * 37) % 1000) / 100;
    minute.open[i] = p;
    minute.high[i] = p + 0.25;
    minute.low[i] = p - 0.125;
    minute.close[i] = i === 5 ? 0.1 + 0.2 : i === 6 ? 1 / 3 : p + 0.01;
    minute.volume[i] = i === 7 ? 5_000_000_000 : i * 100;
  }
  const odd = allocBars('ODD', '1d', 40);
  for (let i = 0; i < odd.length; i++) {
    odd.time[i] = Date.UTC(2000, 0, 1) + i * i * 86_400_000 * 3;
    odd.open[i] = i === 3 ? -0 : 999_999.99 - i;
    odd.high[i] = 1_000_000.5;
    odd.low[i] = i === 4 ? 1e-9 : 0.0001 * i;
    odd.close[i] = i === 9 ? NaN : 12_345.678_9 + i;
    odd.volume[i] = 0.5 * i;
  }
  const monthly = allocBars('MON', '1mo', 24);
  for (let i = 0; i < monthly.length; i++) {
    monthly.time[i] = Date.UTC(2001, i, 1);
    monthly.open[i] = monthly.high[i] = monthly.low[i] = monthly.close[i] = 20 + i * 1.07;
    monthly.volume[i] = 0;
  }
  return [minute, odd, monthly];
}

export function v1FixtureSeries(): StepSeries[] {
  const time = new Float64Array(30), value = new Float64Array(30);
  for (let i = 0; i < 30; i++) {
    time[i] = Date.UTC(2019, i, 5, 12, 30);
    value[i] = i % 5 === 0 ? -i * 1000 : Math.fround(i / 7);
  }
  return [{ name: 'nonfarm', symbol: null, length: 30, time, value }, { name: 'mentions', symbol: 'MIN', length: 3, time: new Float64Array([1, 2, 3]), value: new Float64Array([7, 8, 9]) }];
}
