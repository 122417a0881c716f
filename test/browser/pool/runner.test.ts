import { wrap, type Remote } from 'comlink';
import { deleteDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DataService } from '../../../src/data/browser/service.ts';
import { IndicatorCache, runBacktest } from '../../../src/engine/index.ts';
import { chartOverlays } from '../../../src/engine/overlays.ts';
import { EnginePool } from '../../../src/rpc/pool.ts';
import { compile } from '../../../src/strategy/index.ts';
import type { RunProgress } from '../../../src/ui/runner.ts';
import { createBrowserRunner } from '../../../src/ui/runner-browser.ts';
import type { BarSource } from '../../../src/ui/runner-pool.ts';
import { crossDoc, crossDocBothAssets, dailyBars, parse, asPoolRun } from '../../unit/pool/fixture.ts';
import { generateMinuteBars } from '../../../src/data/synthetic.ts';
import { resample } from '../../../src/data/resample.ts';

const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

/** The data worker on its own OPFS directory and catalog, holding the fixture's daily bars (or, with `csv`, these files imported). */
async function dataWorker(csv?: Record<string, string>): Promise<{ source: BarSource; gets: () => number; api: Remote<DataService>; asked: string[] }> {
  const tag = Math.random().toString(36).slice(2);
  const worker = new Worker(new URL('../../../workers/import.worker.ts', import.meta.url), { type: 'module' });
  const api = wrap<DataService>(worker);
  await api.open({ dir: `runner-bars-${tag}`, dbName: `runner-catalog-${tag}` });
  cleanup.push(async () => {
    await api.close();
    worker.terminate();
    await (await navigator.storage.getDirectory()).removeEntry(`runner-bars-${tag}`, { recursive: true }).catch(() => undefined);
    await deleteDB(`runner-catalog-${tag}`);
  });
  if (!csv) for (const b of dailyBars()) await api.put(b);
  for (const [name, text] of Object.entries(csv ?? {})) await api.importBars(name, new Blob([text]), { fileName: name });
  let n = 0;
  const asked: string[] = [];
  const source: BarSource = {
    list: () => api.list(),
    get: (s, tf, range, fields) => {
      n++;
      asked.push(`${s} ${tf} ${range ? JSON.stringify(range) : 'all'}${fields && fields.length < 5 ? ` ${fields.join(',')}` : ''}`);
      return api.get(s, tf, range, fields);
    },
    getSeries: (name, s) => api.getSeries(name, s),
    listActions: () => api.listActions(),
  };
  return { source, gets: () => n, api, asked };
}

function runner(source: BarSource, share?: boolean) {
  const jobsDb = `runner-jobs-${Math.random().toString(36).slice(2)}`;
  const r = createBrowserRunner({ data: source, size: 2, share, jobsDb });
  cleanup.push(() => deleteDB(jobsDb), () => r.close());
  return r;
}

describe('PoolRunner: the UI Runner on stored bars and the engine pool', () => {
  it('runs a document on bars loaded from OPFS, equal to an in-page run, shared or copied', async () => {
    const { source, gets } = await dataWorker();
    const doc = crossDoc();
    const expected = asPoolRun(runBacktest(doc, { bars: dailyBars() }));
    for (const share of [true, false]) {
      const r = runner(source, share);
      expect(r.shared).toBe(share);
      const seen: RunProgress[] = [];
      const result = await r.run(doc, { onProgress: (p) => seen.push(p) });
      expect(asPoolRun(result)).toEqual(expected);
      expect(seen.map((p) => p.phase).filter((p, i, a) => a[i - 1] !== p)).toEqual(['queued', 'warmingUp', 'running']);
      // A second run reuses the loaded data set (the catalog files did not change).
      const before = gets();
      expect(asPoolRun(await r.run(doc))).toEqual(expected);
      expect(gets()).toBe(before);
    }
  });

  it('has each asset\'s indicator columns computed while the next one loads (shared memory): the run seeds them and computes none', async () => {
    const provided = vi.spyOn(EnginePool.prototype, 'provideColumns');
    cleanup.push(() => provided.mockRestore());
    const { source } = await dataWorker();
    const doc = crossDocBothAssets();
    const r = runner(source);
    expect(asPoolRun(await r.run(doc))).toEqual(asPoolRun(runBacktest(doc, { bars: dailyBars() })));
    expect(provided).toHaveBeenCalledTimes(1);
    const [data, , , lists] = provided.mock.calls[0]!;
    expect((await Promise.all(lists)).map((l) => l.length)).toEqual([2, 1]);
    const counts = await (provided.mock.contexts[0] as EnginePool).columnCounts(data);
    expect(counts).toEqual([{ computed: 0, seeded: compile(doc).indicators.length }]);
    // Copied bars (no shared memory) are not sent ahead: the run's worker computes its own columns.
    expect(asPoolRun(await runner(source, false).run(doc))).toEqual(asPoolRun(runBacktest(doc, { bars: dailyBars() })));
    expect(provided).toHaveBeenCalledTimes(1);
  });

  it('aligned stored sets arrive as views of their own of one time column; the run\'s data set holds one view for all (timeId)', async () => {
    const provided = vi.spyOn(EnginePool.prototype, 'provideColumns');
    cleanup.push(() => provided.mockRestore());
    const { source, api } = await dataWorker();
    const aligned = generateMinuteBars({ symbols: ['ALA', 'ALB'], years: 1, seed: 3, gaps: false }).map((b) => resample(b, '1d'));
    for (const b of aligned) await api.put(b);
    const [ga, gb] = [await api.get('ALA', '1d'), await api.get('ALB', '1d')];
    expect(ga!.time).not.toBe(gb!.time);
    expect(gb!.timeId).toBe(ga!.timeId);
    const doc = parse({
      version: 1, name: 'aligned', settings: { universe: ['ALA', 'ALB'], timeframe: '1d', initialCash: 10_000, fees: { fraction: 0.001 }, units: 'whole' },
      strategies: [{ id: 'a', name: 'a', condition: { lhs: { kind: 'sma', asset: 'ALB', window: { bars: 5 } }, op: 'crossesAbove', rhs: { kind: 'sma', asset: 'ALB', window: { bars: 20 } } }, action: { type: 'setWeight', asset: 'ALA', weight: 0.5 } }],
    });
    const r = runner(source);
    expect(asPoolRun(await r.run(doc))).toEqual(asPoolRun(runBacktest(doc, { bars: aligned })));
    const [data] = provided.mock.calls[0]!;
    expect(data.bars[1]!.time).toBe(data.bars[0]!.time);
  });

  it('prepare touches the memory the run\'s loads then take: each reserved buffer taken, the run unchanged, nothing left held', async () => {
    const { source, api, asked } = await dataWorker();
    const doc = crossDoc();
    const r = runner({ ...source, reserve: (loads, fields) => api.reserve(loads, fields) });
    await r.prepare(doc);
    const held = await api.reserved();
    // Open and close of AAA and BBB, and a time column for each distinct (rows, first, last).
    const rows = (await api.list()).filter((d) => d.kind === 'bars');
    const times = new Set(rows.map((d) => `${d.rows}|${d.first}|${d.last}`));
    const timeBytes = [...times].reduce((n, k) => n + Number(k.split('|')[0]) * 8, 0);
    expect(held.bytes).toBe(rows.reduce((n, d) => n + 2 * d.rows * 8, 0) + timeBytes);
    expect(held.buffers).toBe(rows.length + times.size);
    expect(asked).toEqual([]); // preparing reads no bars
    expect(asPoolRun(await r.run(doc))).toEqual(asPoolRun(runBacktest(doc, { bars: dailyBars() })));
    const after = await api.reserved();
    expect(after.taken - held.taken).toBe(held.buffers);
    expect(after.bytes).toBe(0);
    // The kept data set serves the document now: preparing it again reserves nothing.
    await r.prepare(doc);
    expect((await api.reserved()).bytes).toBe(0);
  });

  it('a reserve made for one document is left to it when another document\'s load ends meanwhile, and its run takes it', async () => {
    const { source, api } = await dataWorker();
    const both = crossDoc();
    const bbbOnly = parse({
      ...both, name: 'BBB only', settings: { ...both.settings, universe: ['BBB'] },
      // It reads BBB's high too: a price buffer of a size the other document's load does not ask for.
      strategies: [{ id: 'b', name: 'b', condition: { lhs: { kind: 'price', asset: 'BBB', field: 'high' }, op: '>', rhs: 0 }, action: { type: 'setWeight', asset: 'BBB', weight: 0.5 } }],
    });
    const r = runner({ ...source, reserve: (loads, fields) => api.reserve(loads, fields) });
    await r.prepare(bbbOnly);
    const held = await api.reserved();
    expect(held.bytes).toBeGreaterThan(0);
    await r.run(both); // its load was not the one the reserve was made for (and takes what matches its sizes)
    const between = await api.reserved();
    expect(between.bytes).toBeGreaterThan(0);
    expect(asPoolRun(await r.run(bbbOnly))).toEqual(asPoolRun(runBacktest(bbbOnly, { bars: dailyBars() })));
    const after = await api.reserved();
    expect(after.taken).toBeGreaterThan(between.taken);
    expect(after.bytes).toBe(0);
  });

  it('loads only the price fields the document reads; the price chart reads the others once, beside them', async () => {
    const { source, asked } = await dataWorker();
    const doc = crossDoc();
    const bars = dailyBars();
    const r = runner(source);
    expect(asPoolRun(await r.run(doc))).toEqual(asPoolRun(runBacktest(doc, { bars })));
    expect(asked).toEqual(['AAA 1d all open,close', 'BBB 1d all open,close']);
    // The chart draws every field: equal to the engine's overlays on the full bars, the missing fields read once.
    const plan = compile(doc);
    const want = chartOverlays(plan, { bars }, new IndicatorCache(), 40, doc.settings);
    expect(await r.overlays(doc, 40)).toEqual(want);
    expect(await r.overlays(doc, 40)).toEqual(want);
    expect(asked.slice(2)).toEqual(['AAA 1d all high,low,volume', 'BBB 1d all high,low,volume']);
    // A document reading a field the kept data set lacks loads again with both sets' fields; the run is unchanged.
    const hl = parse({ ...doc, strategies: [...doc.strategies, { id: 'hl', name: 'high above', condition: { lhs: { kind: 'price', asset: 'BBB', field: 'high' }, op: '>', rhs: 1e9 }, action: { type: 'alert', message: 'x' } }] });
    expect(asPoolRun(await r.run(hl))).toEqual(asPoolRun(runBacktest(hl, { bars })));
    expect(asked.slice(4)).toEqual(['AAA 1d all open,high,close', 'BBB 1d all open,high,close']);
  });

  it('loads the stored corporate actions of the run\'s symbols into every run: equal to an engine run with the same actions, raw and adjusted', async () => {
    const { source, api } = await dataWorker();
    const bars = dailyBars();
    const [aaa, bbb] = [bars.find((b) => b.symbol === 'AAA')!, bars.find((b) => b.symbol === 'BBB')!];
    const date = (t: number) => new Date(t).toISOString().slice(0, 10);
    // A 2-for-1 split and a dividend of 1 % of the close on AAA, a 1-for-4 reverse split on BBB (whole units: cash in lieu).
    const csv = ['symbol,date,type,value', `AAA,${date(aaa.time[300]!)},split,2`, `AAA,${date(aaa.time[600]!)},dividend,${(aaa.close[599]! / 100).toFixed(4)}`,
      `BBB,${date(bbb.time[450]!)},split,1:4`, 'ZZZ,2020-01-02,split,3'].join('\n');
    const stored = await api.importActions(new Blob([csv]), 'actions.csv');
    const actions = stored.flatMap((r) => r.actions);
    const mine = actions.filter((a) => a.symbol !== 'ZZZ');
    const r = runner(source);
    // Adjusted first: its load is the one that has each asset's columns computed ahead (with the symbol's actions).
    for (const prices of ['adjusted', 'raw'] as const) {
      const doc = parse({ ...crossDoc(), settings: { ...crossDoc().settings, prices } });
      const app = await r.run(doc);
      expect(asPoolRun(app)).toEqual(asPoolRun(runBacktest(doc, { bars, actions: mine })));
      expect(asPoolRun(app)).toEqual(asPoolRun(runBacktest(doc, { bars, actions })));
      expect(app.curves).not.toEqual(runBacktest(doc, { bars }).curves);
      if (prices === 'raw') expect(app.corporateActions?.map((e) => `${e.symbol} ${e.type} ${e.value}`)).toEqual(['AAA split 2', 'BBB split 0.25', 'AAA dividend ' + mine[1]!.value]);
    }
    // A delete on the Data page reaches the next run (the cached data set is not reused).
    await api.deleteActions('AAA');
    const doc = parse({ ...crossDoc(), settings: { ...crossDoc().settings, prices: 'raw' } });
    expect(asPoolRun(await r.run(doc))).toEqual(asPoolRun(runBacktest(doc, { bars, actions: mine.filter((a) => a.symbol === 'BBB') })));
  });

  it('rejects with AbortError when aborted and names missing data', async () => {
    const { source } = await dataWorker();
    const r = runner(source);
    const ctl = new AbortController();
    const run = r.run(crossDoc(), { signal: ctl.signal });
    ctl.abort();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const other = parse({ ...crossDoc(), settings: { ...crossDoc().settings, universe: ['AAA', 'ZZZ'] }, strategies: [{ id: 'x', name: 'x', action: { type: 'alert', message: 'hi' } }] });
    await expect(r.run(other)).rejects.toThrow(/no 1d bars stored for ZZZ/);
  });

  it('a load that fails part-way cancels the indicator columns it already sent ahead', async () => {
    const original = EnginePool.prototype.assetColumns;
    let onSent = () => {};
    const whenSent = new Promise<void>((ok) => { onSent = ok; });
    const sent = vi.spyOn(EnginePool.prototype, 'assetColumns').mockImplementation(function (this: EnginePool, ...args) {
      onSent();
      return original.apply(this, args);
    });
    cleanup.push(() => sent.mockRestore());
    const { source } = await dataWorker();
    // ZZZ is not stored, and its answer waits until AAA's columns are on their way (at most 5 s: then the count
    // below fails), so the load fails after they were sent. A fixed 100 ms wait lost that race in a loaded CI run.
    const slow: typeof source = {
      ...source,
      get: async (...a) => (await source.get(...a)) ?? Promise.race([whenSent, new Promise((ok) => setTimeout(ok, 5000))]).then(() => null),
    };
    const doc = parse({ ...crossDoc(), settings: { ...crossDoc().settings, universe: ['AAA', 'ZZZ'] }, strategies: [crossDoc().strategies[0]!] });
    await expect(runner(slow).run(doc)).rejects.toThrow(/no 1d bars stored for ZZZ/);
    expect(sent).toHaveBeenCalledTimes(1);
    expect(sent.mock.calls[0]![4]?.aborted).toBe(true);
  });

  it('a load whose bars arrive but whose step series is not stored cancels the columns it sent ahead too', async () => {
    const sent = vi.spyOn(EnginePool.prototype, 'assetColumns');
    cleanup.push(() => sent.mockRestore());
    const { source } = await dataWorker();
    const doc = parse({ ...crossDoc(), strategies: [crossDoc().strategies[0]!, { id: 'cpi', name: 'cpi', condition: { lhs: { kind: 'series', name: 'cpi' }, op: '>', rhs: 3 }, action: { type: 'alert', message: 'cpi' } }] });
    await expect(runner(source).run(doc)).rejects.toThrow(/series "cpi".* is not stored/);
    expect(sent).toHaveBeenCalled();
    for (const call of sent.mock.calls) expect(call[4]?.aborted).toBe(true);
  });

  it('a finerData document gets the finest stored timeframe under its own, over its range: imported minutes change the exit', async () => {
    // The hand-computed "up first" day of test/unit/engine/exits.test.ts: day 3's daily bar holds both the
    // stop (9.5) and the target (11); its minutes reach 11 first. A February minute lies outside the range.
    const day = (n: number) => new Date(Date.UTC(2024, 0, n)).toISOString().slice(0, 10);
    const daily = ['Date,Open,High,Low,Close,Volume', `${day(1)},10,10,10,10,1`, `${day(2)},10,10.2,9.8,10,0`, `${day(3)},10,11.2,9.3,10,0`].join('\n');
    const minutes = ['time,open,high,low,close,volume', '2024-01-02T14:30:00Z,10,10.2,9.8,10,5', '2024-01-03T14:30:00Z,10,10.4,9.9,10.3,5',
      '2024-01-03T14:31:00Z,10.3,11.2,10.3,11,5', '2024-01-03T14:32:00Z,11,11,9.3,9.5,5', '2024-02-06T14:30:00Z,10,10,10,10,5'].join('\n');
    const { source, asked, api } = await dataWorker({ 'A.csv': `${daily}\n`, 'A-minutes.csv': `${minutes}\n` });
    expect((await api.list()).map((d) => d.id).sort()).toEqual(['bars:A:1d', 'bars:A:1m']);
    const bracket = (intrabar: 'pessimistic' | 'finerData') => parse({
      version: 1, name: 'bracket', settings: { universe: ['A'], timeframe: '1d', initialCash: 1000, intrabar, range: { to: '2024-01-05' } },
      strategies: [{ id: 's1', name: 's1', condition: { lhs: { kind: 'price', field: 'volume' }, op: '=', rhs: 1 },
        action: { type: 'buy', amount: { unit: 'all' }, exits: { stopLoss: { percent: 5 }, takeProfit: { percent: 10 } } } }],
    });
    const r = runner(source);
    const plain = await r.run(bracket('pessimistic'));
    expect(plain.trades[0]).toMatchObject({ exitPrice: 9.5, exitReason: 'stop' });
    expect(asked).toEqual(['A 1d all']);
    const magnified = await r.run(bracket('finerData'));
    expect(magnified.trades[0]).toMatchObject({ exitPrice: 11, exitReason: 'target', exitTime: Date.UTC(2024, 0, 3) });
    expect(magnified.warnings.join()).not.toMatch(/finerData/);
    // The minutes were read only over the range: no `from`, so unbounded before; up to `to` plus a margin of whole days.
    expect(asked.slice(1)).toEqual(['A 1d all', `A 1m ${JSON.stringify({ to: Date.UTC(2024, 0, 5) + 3 * 86_400_000 })}`]);
  });
});
