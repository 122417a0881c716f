import uPlot from 'uplot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { unavailableReasons, type StrategyDocument, type Trade } from '../../../src/schema/index.ts';
import { EquityCharts } from '../../../src/ui/results/EquityCharts.tsx';
import { ResultsView } from '../../../src/ui/results/ResultsView.tsx';
import { GROUPS } from '../../../src/ui/results/stats-groups.ts';
import '../../../src/ui/styles.css';
import { RESULT } from './fixture.ts';
import { cleanup, render } from './render.tsx';

/** Every download the page starts: its file name and blob (the anchor click itself is swallowed). */
let saved: { name: string; blob: Blob }[] = [];
beforeEach(() => {
  saved = [];
  const blobs = new Map<string, Blob>();
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, b as Blob);
    return url;
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, blob: blobs.get(this.href)! });
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
});

/** RFC 4180 rows: quoted cells may hold commas, quotes ("") and line breaks ("Buy & hold, whole period"). */
function parseCsv(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' && cell === '') {
      const end = text.indexOf('"', i + 1);
      let j = end;
      while (text[j + 1] === '"') j = text.indexOf('"', j + 2);
      cell = text.slice(i + 1, j).replace(/""/g, '"');
      i = j;
    } else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += ch;
  }
  return rows;
}

async function exported(button: string): Promise<{ name: string; text: string; type: string }> {
  await userEvent.click(page.getByRole('group', { name: 'Export' }).getByRole('button', { name: button }));
  await vi.waitFor(() => expect(saved).toHaveLength(1), { timeout: 5_000 });
  const [s] = saved;
  saved = [];
  return { name: s!.name, text: await s!.blob.text(), type: s!.blob.type };
}

const DOC = { version: 1, name: 'SMA crossover (10/20)' } as unknown as StrategyDocument;

describe('Exports', () => {
  it('trades CSV: one row per trade, every column equal to the result at full precision', async () => {
    await render(<ResultsView result={RESULT} title="SMA crossover (10/20)" doc={DOC} />);
    const { name, text, type } = await exported('Trades CSV');
    expect(name).toBe('sma-crossover-10-20-trades.csv');
    expect(type).toBe('text/csv;charset=utf-8');
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(['symbol', 'side', 'quantity', 'entryTime', 'entryPrice', 'exitTime', 'exitPrice', 'pnl', 'returnPct', 'fees', 'strategyId', 'exitReason']);
    expect(rows).toHaveLength(RESULT.trades.length);
    rows.forEach((r, i) => {
      expect(r).toHaveLength(header!.length);
      const t = RESULT.trades[i]!;
      const back: Trade = {
        symbol: r[0]!, side: r[1] as Trade['side'], quantity: Number(r[2]), entryTime: Date.parse(r[3]!), entryPrice: Number(r[4]),
        exitTime: Date.parse(r[5]!), exitPrice: Number(r[6]), pnl: Number(r[7]), returnPct: Number(r[8]), fees: Number(r[9]), strategyId: r[10]!,
        ...(r[11] !== 'signal' ? { exitReason: r[11] as Trade['exitReason'] } : {}),
      };
      expect(back).toEqual(t);
    });
  });

  it('statistics CSV: every statistic of the table, values equal to the result, not-available ones empty with the reason', async () => {
    await render(<ResultsView result={RESULT} title="SMA crossover (10/20)" doc={DOC} />);
    const [header, ...rows] = parseCsv((await exported('Statistics CSV')).text);
    expect(header).toEqual(['group', 'key', 'statistic', 'value', 'notAvailable']);
    const keys = GROUPS.flatMap(([, r]) => r.map(([, k]) => k));
    expect(rows.map((r) => r[1])).toEqual(keys);
    const why = unavailableReasons(RESULT.stats);
    for (const [, key, , value, na] of rows) {
      const k = key as keyof typeof RESULT.stats;
      if (why[k] !== undefined) expect([value, na]).toEqual(['', why[k]]);
      else if (k === 'startTime' || k === 'endTime') expect(Date.parse(value!)).toBe(RESULT.stats[k]);
      else expect(Number(value)).toBe(RESULT.stats[k]);
    }
    expect(rows.find((r) => r[1] === 'profitFactor')).toEqual(['Trade statistics', 'profitFactor', 'Profit factor', '', 'no losing trade']);
    expect(rows.find((r) => r[1] === 'buyHoldWholeReturnPct')?.[2]).toBe('Buy & hold, whole period');
  });

  it('equity CSV: the sampled curves point by point', async () => {
    await render(<ResultsView result={RESULT} title="SMA crossover (10/20)" doc={DOC} />);
    const [header, ...rows] = parseCsv((await exported('Equity CSV')).text);
    expect(header).toEqual(['time', 'equity', 'drawdown', 'benchmark']);
    const c = RESULT.curves;
    expect(rows.map((r) => Date.parse(r[0]!))).toEqual([...c.time]);
    expect(rows.map((r) => Number(r[1]))).toEqual([...c.equity]);
    expect(rows.map((r) => Number(r[2]))).toEqual([...c.drawdown]);
    expect(rows.map((r) => Number(r[3]))).toEqual([...c.benchmark]);
  });

  it('result JSON: the document and the whole result, curves as arrays and NaN as null', async () => {
    await render(<ResultsView result={RESULT} title="SMA crossover (10/20)" doc={DOC} />);
    const { name, text, type } = await exported('Result JSON');
    expect([name, type]).toEqual(['sma-crossover-10-20-result.json', 'application/json']);
    const j = JSON.parse(text) as { document: unknown; result: typeof RESULT & { curves: Record<string, number[]> } };
    expect(j.document).toEqual(DOC);
    expect(j.result.curves.equity).toEqual([...RESULT.curves.equity]);
    expect(j.result.curves.time).toEqual([...RESULT.curves.time]);
    expect(j.result.trades).toEqual(RESULT.trades);
    expect(j.result.signals).toEqual(JSON.parse(JSON.stringify(RESULT.signals)));
    expect(j.result.stats.profitFactor).toBeNull();
    expect(j.result.stats.sharpe).toBe(RESULT.stats.sharpe);
    expect([j.result.engineVersion, j.result.barCount]).toEqual([RESULT.engineVersion, RESULT.barCount]);
  });

  it('chart PNG: the chart canvas with its title band, opaque, as image/png', async () => {
    const host = await render(<div style={{ width: '800px' }}><EquityCharts curves={RESULT.curves} /></div>);
    const key = host.querySelector('.charts')!.getAttribute('data-sync-key')!;
    await vi.waitFor(() => expect(uPlot.sync(key).plots.length).toBe(2));
    const canvas = (uPlot.sync(key).plots[0] as uPlot).ctx.canvas;
    await userEvent.click(page.getByRole('button', { name: 'Save Equity vs benchmark as PNG' }));
    // Encoding a PNG takes a while on a loaded machine.
    await vi.waitFor(() => expect(saved).toHaveLength(1), { timeout: 15_000 });
    const { name, blob } = saved[0]!;
    expect([name, blob.type]).toEqual(['equity-vs-benchmark-chart.png', 'image/png']);
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const img = await createImageBitmap(blob);
    expect(img.width).toBe(canvas.width);
    expect(img.height).toBeGreaterThan(canvas.height);
    // The chart was drawn into it: the pixels are not one flat colour, and the corner is the opaque panel colour.
    const c = new OffscreenCanvas(img.width, img.height).getContext('2d')!;
    c.drawImage(img, 0, 0);
    const px = c.getImageData(0, 0, img.width, img.height).data;
    expect(px[3]).toBe(255);
    const colours = new Set<number>();
    for (let i = 0; i < px.length; i += 4 * 97) colours.add((px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!);
    expect(colours.size).toBeGreaterThan(3);
  });
});
