import { describe, expect, it } from 'vitest';
import { ActionsImportError, parseActions, parseSplitRatio, summarizeActions } from '../../../../src/data/csv/actions.ts';
import { MemoryActions } from '../../../../src/data/actions-store.ts';
import { ManualClock } from '../../../../src/lib/clock.ts';

const day = (s: string) => Date.parse(`${s}T00:00:00Z`);

describe('corporate-actions CSV', () => {
  it('reads splits (numbers and ratios) and dividends, sorted by symbol and ex-date, splits first on a shared date', () => {
    const text = '\uFEFFTicker;Ex_Date;Action;Ratio\r\nMSFT;2003-02-18;split;2:1\r\nAAPL;2020-08-31;Dividend;0.205\r\nAAPL;2020-08-31;SPLIT;4\r\n\r\nXYZ;2019-01-02;split;"1/10"\r\n';
    expect(parseActions(text, 'a.csv')).toEqual([
      { symbol: 'AAPL', exDate: day('2020-08-31'), type: 'split', value: 4 },
      { symbol: 'AAPL', exDate: day('2020-08-31'), type: 'dividend', value: 0.205 },
      { symbol: 'MSFT', exDate: day('2003-02-18'), type: 'split', value: 2 },
      { symbol: 'XYZ', exDate: day('2019-01-02'), type: 'split', value: 0.1 },
    ]);
  });

  it('columns in any order', () => {
    expect(parseActions('value,type,symbol,date\n0.5,dividend,KO,2021-03-12\n', 'b.csv')).toEqual([{ symbol: 'KO', exDate: day('2021-03-12'), type: 'dividend', value: 0.5 }]);
  });

  it('a bad line rejects the whole file and every problem says file:line:column (field)', () => {
    const text = 'symbol,date,type,value\nAAPL,2020-08-31,split,4\nAAPL,2020-02-30,dividend,0.2\nKO,2021-03-12,bonus,1\nKO,2021-03-13,dividend,-1\nKO,2021-03-14,split,1\nKO\n$X,2021-01-01,split,2\nAAPL,2020-08-31,split,4\n';
    let err: ActionsImportError | undefined;
    try { parseActions(text, 'acts.csv'); } catch (e) { err = e as ActionsImportError; }
    expect(err).toBeInstanceOf(ActionsImportError);
    expect(err!.problems.map((p) => [p.line, p.column, p.field])).toEqual([
      [3, 2, 'date'], [4, 3, 'type'], [5, 4, 'value'], [6, 4, 'value'], [7, undefined, undefined], [8, 1, 'symbol'], [9, undefined, undefined],
    ]);
    expect(err!.message).toContain('7 problems in corporate actions acts.csv; nothing was imported');
    expect(err!.message).toContain('acts.csv:3:2 (date): "2020-02-30" is not an ex-date');
    expect(err!.message).toContain('acts.csv:4:3 (type): "bonus" is not an action type: expected split or dividend');
    expect(err!.message).toContain('acts.csv:6:4 (value): a split ratio of 1 changes nothing');
    expect(err!.message).toContain('acts.csv:9: a second split of AAPL on 2020-08-31 (line 2 has one)');
  });

  it('a header without a needed column, and an empty file, are errors that say so', () => {
    expect(() => parseActions('symbol,date,value\nA,2020-01-01,2\n', 'h.csv')).toThrow(/h\.csv:1: the header has no "type" column \(accepted: type, action, kind\)/);
    expect(() => parseActions('\n\n', 'e.csv')).toThrow(/e\.csv:1: the file is empty/);
  });

  it('more than 20 problems: the message shows 20 and counts the rest', () => {
    const text = ['symbol,date,type,value', ...Array.from({ length: 25 }, () => 'A,2020-01-01,split,0')].join('\n');
    expect(() => parseActions(text, 'm.csv')).toThrow(/25 problems[\s\S]*… and 5 more/);
  });

  it('split ratios: number, new:old, new/old; anything else is NaN', () => {
    expect([parseSplitRatio('3:2'), parseSplitRatio('1/10'), parseSplitRatio('2'), parseSplitRatio('2:'), parseSplitRatio('0x2'), parseSplitRatio('1e999')]).toEqual([1.5, 0.1, 2, NaN, NaN, Infinity]);
  });

  it('summary per symbol, and the memory store replaces only the symbols a file names', async () => {
    const a = parseActions('symbol,date,type,value\nA,2020-01-02,split,2\nA,2020-03-02,dividend,1\nB,2020-02-02,dividend,1\n');
    expect(summarizeActions(a)).toEqual([
      { symbol: 'A', splits: 1, dividends: 1, from: day('2020-01-02'), to: day('2020-03-02') },
      { symbol: 'B', splits: 0, dividends: 1, from: day('2020-02-02'), to: day('2020-02-02') },
    ]);
    const store = new MemoryActions(new ManualClock(5));
    await store.replaceActions(a, 'one.csv');
    await store.replaceActions(parseActions('symbol,date,type,value\nB,2021-01-04,split,3\n'), 'two.csv');
    const rows = await store.listActions();
    expect(rows.map((r) => [r.symbol, r.source, r.actions.length, r.importedAt])).toEqual([['A', 'one.csv', 2, 5], ['B', 'two.csv', 1, 5]]);
    expect(await store.deleteActions('A')).toBe(true);
    expect(await store.deleteActions('A')).toBe(false);
  });
});
