import { describe, expect, it } from 'vitest';
import { allocBars, barsEqual } from '../../../src/data/columns.ts';
import { decodeBars, decodeSeries, encodeBars, encodeSeries, toBytes } from '../../../src/data/codec.ts';
import { BarFormatError, FORMAT_VERSION } from '../../../src/data/format.ts';
import type { BarColumns } from '../../../src/schema/bars.ts';

function sample(n: number, symbol = 'TEST'): BarColumns {
  const b = allocBars(symbol, '1m', n);
  for (let i = 0; i < n; i++) {
    b.time[i] = 1_600_000_000_000 + i * 60_000;
    b.open[i] = 999_999.99 - i / 100;
    b.high[i] = 1_000_000 - i / 100;
    b.low[i] = 0.01 + i / 100;
    b.close[i] = 123.45 + i / 100;
    b.volume[i] = i * 7;
  }
  return b;
}

describe('bar file format', () => {
  it('round-trips bit for bit, across chunk boundaries', async () => {
    const b = sample(1000);
    for (const chunk of [1, 7, 1000, 65_536]) {
      expect(barsEqual(await decodeBars(toBytes(encodeBars(b, chunk))), b)).toBe(true);
    }
  });

  it('keeps every cent up to 1,000,000 exactly', async () => {
    const b = allocBars('C', '1d', 4);
    [0.01, 0.07, 999_999.99, 123_456.78].forEach((p, i) => { b.time[i] = i; b.close[i] = p; });
    const back = await decodeBars(toBytes(encodeBars(b)));
    expect(Array.from(back.close)).toEqual([0.01, 0.07, 999_999.99, 123_456.78]);
  });

  it('reads a half-open time range by index, including ranges inside one chunk and empty ranges', async () => {
    const b = sample(500);
    const bytes = toBytes(encodeBars(b, 16));
    const t = (i: number) => b.time[i]!;
    const r = await decodeBars(bytes, { from: t(37), to: t(301) });
    expect(r.length).toBe(264);
    expect(r.time[0]).toBe(t(37));
    expect(r.close[263]).toBe(b.close[300]);
    expect((await decodeBars(bytes, { from: t(40) + 1, to: t(42) })).length).toBe(1);
    expect((await decodeBars(bytes, { from: t(499) + 1 })).length).toBe(0);
    expect((await decodeBars(bytes, { to: t(0) })).length).toBe(0);
    expect((await decodeBars(bytes, { from: t(3) })).length).toBe(497);
  });

  it('finds range ends inside one large chunk by binary search, matching a linear filter', async () => {
    const b = sample(5000);
    const bytes = toBytes(encodeBars(b));
    for (const [i, j] of [[0, 5000], [1, 4999], [600, 601], [1234, 4321], [4999, 5000], [2500, 2500]] as const) {
      const from = b.time[i]!, to = j < 5000 ? b.time[j]! : Infinity;
      const r = await decodeBars(bytes, { from, to });
      expect(r.length).toBe(j - i);
      if (r.length) expect([r.time[0], r.close[r.length - 1]]).toEqual([b.time[i], b.close[j - 1]]);
    }
  });

  it('stores empty bar sets and step series', async () => {
    const e = await decodeBars(toBytes(encodeBars(allocBars('E', '1d', 0))));
    expect(e).toMatchObject({ symbol: 'E', timeframe: '1d', length: 0 });
    const s = { name: 'cpi', symbol: null, length: 2, time: new Float64Array([1, 2]), value: new Float64Array([3.5, -1]) };
    const back = await decodeSeries(toBytes(encodeSeries(s)));
    expect(back).toMatchObject({ name: 'cpi', symbol: null, length: 2 });
    expect(Array.from(back.value)).toEqual([3.5, -1]);
    await expect(decodeBars(toBytes(encodeSeries(s)))).rejects.toThrow(/not bars/);
  });

  it('refuses unsorted or non-finite times when writing', () => {
    const b = sample(3);
    b.time[2] = b.time[1]!;
    expect(() => encodeBars(b)).toThrow(/row 2: time .* is not after/);
    b.time[2] = NaN;
    expect(() => encodeBars(b)).toThrow(/row 2: time is not finite/);
  });

  describe('refuses damaged files with a clear error', () => {
    const good = toBytes(encodeBars(sample(100), 32));
    const damaged = (fn: (b: Uint8Array) => Uint8Array) => decodeBars(fn(good.slice()), undefined, 'X.col');

    it('wrong magic', async () => {
      await expect(damaged((b) => { b[0] = 0x41; return b; })).rejects.toThrow(/X.col: wrong magic/);
    });
    it('unknown version', async () => {
      await expect(damaged((b) => { new DataView(b.buffer).setUint32(8, FORMAT_VERSION + 1, true); return b; }))
        .rejects.toThrow(new RegExp(`unknown format version ${FORMAT_VERSION + 1}`));
    });
    it('truncated body, truncated header, empty file', async () => {
      await expect(damaged((b) => b.subarray(0, b.length - 8))).rejects.toThrow(/truncated: header says 100 rows/);
      await expect(damaged((b) => b.subarray(0, 60))).rejects.toThrow(BarFormatError);
      await expect(damaged(() => new Uint8Array(0))).rejects.toThrow(/shorter than the 56-byte header/);
    });
    it('a count that disagrees with the size', async () => {
      const longer = new Uint8Array(good.length + 48);
      longer.set(good);
      await expect(damaged(() => longer)).rejects.toThrow(/row count 100 disagrees with the file size/);
      await expect(damaged((b) => { new DataView(b.buffer).setUint32(24, 99, true); return b; })).rejects.toThrow(/checksum|chunk count|disagrees/);
    });
    it('a corrupt header byte or body', async () => {
      await expect(damaged((b) => { b[60] = b[60]! ^ 1; return b; })).rejects.toThrow(/checksum mismatch/);
      const headerBytes = new DataView(good.buffer).getUint32(12, true);
      // The first block is chunk 0's times (one-byte steps of a minute): a zero step breaks the order and the index.
      await expect(damaged((b) => { b[headerBytes + 5] = 0; return b; })).rejects.toThrow(BarFormatError);
    });
  });
});
