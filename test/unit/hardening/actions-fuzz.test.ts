/**
 * Seeded corporate-actions fuzz with a differential oracle (issue 11 item 3, as series-fuzz does for series):
 * random files of good and hostile rows go through parseActions and a deliberately plain reference; both
 * must accept the same files with the same actions, and on a rejected file the parser must name exactly the
 * lines the reference finds bad. Every 10th accepted file round-trips through the actions store.
 */
import { describe, expect, it } from 'vitest';
import { ActionsImportError, parseActions } from '../../../src/data/csv/actions.ts';
import { MemoryActions } from '../../../src/data/actions-store.ts';
import type { CorporateAction } from '../../../src/schema/actions.ts';
import { HOSTILE_NUMBER_CELLS, HOSTILE_TIME_CELLS } from '../../helpers/hostile-cells.ts';

const CASES = 1500;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The reference: split on commas, Date.parse for the date (round-tripped to reject 2000-02-30), Number for values. */
function reference(text: string): { ok: true; actions: CorporateAction[] } | { ok: false; badLines: number[] } {
  const lines = text.split('\n');
  const bad: number[] = [];
  const out: CorporateAction[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const f = lines[i]!.split(',').map((x) => x.trim());
    if (f.length < 4) { bad.push(i + 1); continue; }
    const [symbol, date, typeRaw, valueText] = f as [string, string, string, string];
    const t = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
    const dateOk = Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === date && date >= '1800' && date < '2200';
    const type = typeRaw.toLowerCase();
    let value = NaN;
    if (type === 'split') {
      const m = /^(\d+\.?\d*|\.\d+):(\d+\.?\d*|\.\d+)$/.exec(valueText);
      value = NUM.test(valueText) ? Number(valueText) : m ? Number(m[1]) / Number(m[2]) : NaN;
      if (!(value >= 1e-6 && value <= 1e6) || value === 1) value = NaN;
    } else if (type === 'dividend') {
      value = NUM.test(valueText) ? Number(valueText) : NaN;
      if (!(value > 0 && value <= 1e6)) value = NaN;
    }
    const symOk = symbol !== '' && !/[\s$"]/.test(symbol[0]!) && !/[\s"]/.test(symbol) && symbol.length <= 32;
    if (!dateOk || Number.isNaN(value) || !symOk) { bad.push(i + 1); continue; }
    const key = `${symbol}|${t}|${type}`;
    if (seen.has(key)) { bad.push(i + 1); continue; }
    seen.add(key);
    out.push({ symbol, exDate: t, type: type as 'split' | 'dividend', value });
  }
  if (bad.length > 0) return { ok: false, badLines: bad };
  const rank = (x: CorporateAction) => (x.type === 'split' ? 0 : 1);
  out.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0) || a.exDate - b.exDate || rank(a) - rank(b));
  return { ok: true, actions: out };
}

function fuzzFile(r: () => number, hostileRate: number): string {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const lines = ['symbol,date,type,value'];
  const n = 1 + Math.floor(r() * 12);
  for (let i = 0; i < n; i++) {
    const date = new Date(Date.UTC(1995 + Math.floor(r() * 30), Math.floor(r() * 12), 1 + Math.floor(r() * 28))).toISOString().slice(0, 10);
    const type = pick(['split', 'dividend', 'Split', 'DIVIDEND']);
    const value = type.toLowerCase() === 'split' ? pick(['2', '3:2', '1:10', '0.5', '4']) : String(Math.round(r() * 300) / 100 + 0.01);
    const cells = [pick(['AAA', 'BBB', 'C.D']), date, type, value];
    if (r() < hostileRate) {
      const k = Math.floor(r() * 4);
      cells[k] = k === 0 ? pick(['', ' ', '$X', 'A B', 'x'.repeat(40)])
        : k === 1 ? pick([...HOSTILE_TIME_CELLS, '2001-02-29', '2000-13-01', '1799-12-31', '2200-01-01', '20200101'])
          : k === 2 ? pick(['', 'bonus', 'splits', 'div'])
            : pick([...HOSTILE_NUMBER_CELLS, '1', '1:1', '0:5', '5:0', '1e7', '-0', '2:1:1']);
    }
    if (r() < 0.03) cells.pop();
    lines.push(cells.join(','));
  }
  return lines.join(r() < 0.5 ? '\n' : '\r\n');
}

describe('corporate-actions import fuzz against a reference parser', () => {
  it(`agrees on ${CASES} seeded files: same actions when accepted, the same bad lines when rejected`, async () => {
    const r = rng(311);
    const store = new MemoryActions();
    const mismatches: string[] = [];
    let rows = 0, accepted = 0, roundTrips = 0;
    for (let c = 0; c < CASES; c++) {
      const text = fuzzFile(r, c % 4 === 0 ? 0 : 0.15);
      rows += text.split('\n').length - 1;
      const want = reference(text.replace(/\r/g, ''));
      let got: typeof want;
      try {
        const actions = parseActions(text, 'f.csv');
        got = { ok: true, actions };
        accepted++;
        if (c % 10 === 0 && actions.length > 0) {
          await store.replaceActions(actions, 'f.csv');
          const back = (await store.listActions()).filter((x) => actions.some((a) => a.symbol === x.symbol)).flatMap((x) => x.actions);
          roundTrips++;
          if (JSON.stringify(back) !== JSON.stringify(actions)) mismatches.push(`case ${c}: store round trip differs`);
        }
      } catch (e) {
        if (!(e instanceof ActionsImportError)) { mismatches.push(`case ${c}: threw ${(e as Error).message}`); continue; }
        if (!e.message.includes('f.csv:')) mismatches.push(`case ${c}: the message does not name the file`);
        got = { ok: false, badLines: [...new Set(e.problems.map((p) => p.line))] };
      }
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`case ${c}: ${JSON.stringify(got).slice(0, 300)} vs ${JSON.stringify(want).slice(0, 300)}\n${text}`);
    }
    console.log(`actions fuzz: ${CASES} cases, ${rows} rows, ${accepted} files accepted, ${roundTrips} store round trips, ${mismatches.length} mismatches`);
    expect(accepted).toBeGreaterThan(CASES / 5);
    expect(accepted).toBeLessThan(CASES * 0.8);
    expect(mismatches.slice(0, 3)).toEqual([]);
  });
});
