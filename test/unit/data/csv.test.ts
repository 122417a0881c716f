import { describe, expect, it } from 'vitest';
import { importBars } from '../../../src/data/csv/import.ts';
import { importSeries } from '../../../src/data/csv/series.ts';
import { parseNumber } from '../../../src/data/csv/numbers.ts';
import { ImportError } from '../../../src/data/csv/report.ts';

const iso = (t: number | undefined) => new Date(t!).toISOString();
const enc = new TextEncoder();

describe('number parsing', () => {
  it('equals Number() on decimal text, including the fallback path', () => {
    for (const s of ['0', '1.5', '-0.07', '999999.99', '123456.789012345', '1e3', '12345678901234567890', '+3.25', '0.000001', '.5', '7.']) {
      const b = enc.encode(s);
      expect(parseNumber(b, 0, b.length)).toBe(Number(s));
    }
    for (const s of ['', '-', '1.2.3', 'abc', '1,5', '0x10']) {
      const b = enc.encode(s);
      expect(parseNumber(b, 0, b.length)).toBeNaN();
    }
  });
});

describe('CSV import formats', () => {
  it('Yahoo Finance, raw and adjusted', async () => {
    const csv = 'Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,10,12,9,11,5.5,100\n2020-01-03,11,13,10,12,6,200\n';
    const raw = await importBars(csv, { symbol: 'X' });
    expect(raw.report).toMatchObject({ format: 'yahoo', timeframe: '1d', rowsKept: 2, adjusted: false });
    expect(iso(raw.bars.time[0])).toBe('2020-01-02T00:00:00.000Z');
    expect(raw.bars.close[1]).toBe(12);
    const adj = await importBars(csv, { symbol: 'X', adjust: true });
    expect(adj.report.adjusted).toBe(true);
    expect([adj.bars.open[0], adj.bars.high[0], adj.bars.close[0]]).toEqual([5, 6, 5.5]);
  });

  it('unnamed date column with date-times in the exchange zone', async () => {
    const csv = ',Open,High,Low,Close,Volume\n2021-07-01 09:30:00,1,2,0.5,1.5,10\n2021-07-01 09:31:00,1,2,0.5,1.5,10\n';
    const { bars, report } = await importBars(csv, { symbol: 'SPY' });
    expect(report).toMatchObject({ format: 'unnamed-date', timezone: 'America/New_York', timeframe: '1m' });
    expect(iso(bars.time[0])).toBe('2021-07-01T13:30:00.000Z');
    const utc = await importBars(csv, { symbol: 'SPY', timezone: 'UTC' });
    expect(iso(utc.bars.time[0])).toBe('2021-07-01T09:30:00.000Z');
  });

  it('generic epoch seconds, milliseconds and ISO with offsets', async () => {
    const rows = (ts: string[]) => `time,open,high,low,close,volume\n${ts.map((t) => `${t},1,1,1,1,1`).join('\n')}`;
    const s = await importBars(rows(['1609459200', '1609459260']), { symbol: 'A' });
    const ms = await importBars(rows(['1609459200000', '1609459260000']), { symbol: 'A' });
    const isoZ = await importBars(rows(['2021-01-01T00:00:00Z', '2021-01-01T02:01:00+02:00']), { symbol: 'A' });
    for (const r of [s, ms, isoZ]) expect(Array.from(r.bars.time)).toEqual([1609459200000, 1609459260000]);
  });

  it('NinjaTrader end-stamped minutes become bar starts', async () => {
    const { bars, report } = await importBars('20110103 090100;126.35;126.39;126.35;126.39;1579\n20110103 090200;1;1;1;1;3\n', { symbol: 'SPY' });
    expect(report).toMatchObject({ format: 'ninjatrader', timezone: 'UTC', timeframe: '1m' });
    expect(iso(bars.time[0])).toBe('2011-01-03T09:00:00.000Z');
    expect(bars.volume[0]).toBe(1579);
  });

  it('Alpaca and Polygon bar JSON', async () => {
    const alpaca = JSON.stringify({ bars: [{ t: '2021-02-01T14:30:00Z', o: 1, h: 2, l: 0.5, c: 1.5, v: 100 }, { t: '2021-02-01T14:31:00Z', o: 1, h: 1, l: 1, c: 1, v: 1 }] });
    const a = await importBars(alpaca, { symbol: 'AAPL' });
    expect(a.report).toMatchObject({ format: 'alpaca-json', rowsKept: 2, timeframe: '1m' });
    expect(iso(a.bars.time[0])).toBe('2021-02-01T14:30:00.000Z');
    const multi = JSON.stringify({ bars: { AAPL: [{ t: '2021-02-01T14:30:00Z', o: 1, h: 2, l: 0.5, c: 1.5, v: 100 }] } });
    expect((await importBars(multi, { symbol: 'AAPL' })).bars.length).toBe(1);
    const polygon = JSON.stringify({ ticker: 'AAPL', results: [{ t: 1612189800000, o: 1, h: 2, l: 0.5, c: 1.5, v: 9 }, { t: 1612189860000, o: 1, h: 2, l: 3, c: 1.5, v: 9 }] });
    const p = await importBars(polygon, { symbol: 'AAPL' });
    expect(p.report).toMatchObject({ format: 'polygon-json', rowsKept: 1, rowsRejected: 1, byReason: { 'high-below-low': 1 } });
    expect(p.report.rejected[0]!.line).toBe(2);
  });

  it('close-only data and the stocks.csv month-name dates', async () => {
    const { bars, report } = await importBars('date,price\nJan 1 2000,39.81\nFeb 1 2000,36.35\n', { symbol: 'MSFT' });
    expect(report.timeframe).toBe('1mo');
    expect(report.notes.join()).toMatch(/close-only/);
    expect(iso(bars.time[1])).toBe('2000-02-01T00:00:00.000Z');
    expect([bars.open[0], bars.high[0], bars.low[0], bars.close[0], bars.volume[0]]).toEqual([39.81, 39.81, 39.81, 39.81, 0]);
  });

  it('honours overrides: forced format, column names, delimiter', async () => {
    const csv = 'when|px|o|hi|lo|qty\n2020-01-02|5|4|6|3|10\n';
    const { bars } = await importBars(csv, { symbol: 'Z', delimiter: '|', columns: { time: 'when', close: 'px', open: 'o', high: 'hi', low: 'lo', volume: 'qty' } });
    expect([bars.open[0], bars.high[0], bars.low[0], bars.close[0], bars.volume[0]]).toEqual([4, 6, 3, 5, 10]);
    await expect(importBars('time,open,high,low,close\n1,1,1,1,1\n', { symbol: 'Z', format: 'yahoo' })).rejects.toThrow(/Adj Close/);
  });
});

describe('CSV validation and report', () => {
  const csv = [
    'time,open,high,low,close,volume',
    '2020-01-03,1,2,1,2,10',
    '2020-01-01,1,2,1,2,10',
    'garbage,1,2,1,2,10',
    '2020-01-04,1,abc,1,2,10',
    '2020-01-05,1,2,3,2,10',
    '2020-01-06,-1,2,1,2,10',
    '2020-01-07,1,2,1,null,10',
    '2020-01-08,1,2,1',
    '',
    '2020-01-03,5,6,4,5,99',
    '2020-01-09,1,2,1,2,-5',
    '2020-01-10,1,2,1,NaN,5',
  ].join('\r\n');

  it('reports every bad row with line and reason, sorts, and keeps the last duplicate', async () => {
    const { bars, report } = await importBars(csv, { symbol: 'V' });
    expect(report.rowsRead).toBe(11);
    expect(report.rowsKept).toBe(2);
    expect(report.rowsRead).toBe(report.rowsKept + report.rowsRejected);
    expect(report.byReason).toEqual({
      'bad-time': 1, 'unparseable-number': 0 + 1, 'high-below-low': 1, 'negative-price': 1, nan: 2, 'missing-field': 1,
      'negative-volume': 1, 'duplicate-time': 1,
    });
    expect(report.rejected.map((r) => [r.line, r.reason, r.field])).toEqual([
      [4, 'bad-time', 'time'], [5, 'unparseable-number', 'high'], [6, 'high-below-low', 'high'], [7, 'negative-price', undefined],
      [8, 'nan', 'close'], [9, 'missing-field', undefined], [12, 'negative-volume', 'volume'], [13, 'nan', 'close'],
      [2, 'duplicate-time', 'time'],
    ]);
    expect(report.sorted).toBe(true);
    expect(report.duplicates).toBe(1);
    expect(Array.from(bars.time).map(iso)).toEqual(['2020-01-01T00:00:00.000Z', '2020-01-03T00:00:00.000Z']);
    expect(bars.volume[1]).toBe(99);
  });

  it('gives the same result whatever the chunking', async () => {
    const whole = await importBars(csv, { symbol: 'V' });
    const bytes = enc.encode(csv);
    async function* byteByByte() { for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1); }
    const split = await importBars(byteByByte(), { symbol: 'V' });
    expect(split.report).toEqual(whole.report);
    expect(Array.from(split.bars.close)).toEqual(Array.from(whole.bars.close));
  });

  it('fails with the counts when no row is valid, and on empty input', async () => {
    await expect(importBars('time,open,high,low,close\nx,1,1,1,1\n', { symbol: 'E' })).rejects.toThrow(/no valid rows \(1 read; bad-time: 1\)/);
    await expect(importBars('', { symbol: 'E' })).rejects.toThrow(ImportError);
    await expect(importBars('a,b\n1,2\n', { symbol: 'E' })).rejects.toThrow(/no time column/);
    await expect(importBars('time,close\n1,1\n')).rejects.toThrow(/symbol is needed/);
  });

  it('reports progress and stops on cancel', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${1_600_000_000 + i * 60},1,1,1,1,1`).join('\n');
    const bytes = enc.encode(`time,open,high,low,close,volume\n${rows}\n`);
    const seen: number[] = [];
    async function* chunks() { for (let i = 0; i < bytes.length; i += 4096) yield bytes.subarray(i, i + 4096); }
    await importBars(chunks(), { symbol: 'P', totalBytes: bytes.length, onProgress: (p) => seen.push(p.bytesRead) });
    expect(seen.at(-1)).toBe(bytes.length);
    expect(seen.length).toBeGreaterThan(10);
    const ac = new AbortController();
    const run = importBars(chunks(), { symbol: 'P', signal: ac.signal, onProgress: (p) => { if (p.bytesRead > 20_000) ac.abort(); } });
    await expect(run).rejects.toThrow(/abort/i);
  });
});

describe('series import', () => {
  it('keys values by the time they became known, per symbol, last revision wins', async () => {
    const csv = 'symbol,period,published_at,eps\nAAPL,2020-Q1,2020-04-30,2.55\nMSFT,2020-Q1,2020-04-29,1.4\nAAPL,2020-Q2,2020-07-30,2.58\nAAPL,2020-Q2,2020-07-30,2.59\nAAPL,x,bad,1\n';
    const { series, report } = await importSeries(csv);
    expect(report).toMatchObject({ name: 'eps', timeColumn: 'published_at', rowsRead: 5, rowsKept: 3, rowsRejected: 2 });
    const aapl = series.find((s) => s.symbol === 'AAPL')!;
    expect(Array.from(aapl.value)).toEqual([2.55, 2.59]);
    expect(iso(aapl.time[0])).toBe('2020-04-30T00:00:00.000Z');
  });

  it('global (time, value) series take their name from the file', async () => {
    const { series } = await importSeries('date,value\n2020-02-01,1.5\n2020-01-01,1.2\n', { fileName: 'cpi.csv' });
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ name: 'cpi', symbol: null, length: 2 });
    expect(Array.from(series[0]!.value)).toEqual([1.2, 1.5]);
  });
});
