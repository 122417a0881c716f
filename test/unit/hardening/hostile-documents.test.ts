/**
 * Attack suite (issue #10): every hostile document goes through `validate` (parseDocument), the `backtest`
 * CLI (file → validate → run) and the share-link decoder. A refusal must name the JSON path the case
 * expects; an accepted document must run; nothing may throw past its entry point.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtestCli } from '../../../src/cli/backtest.ts';
import { parseDocument } from '../../../src/schema/validate.ts';
import { decodeShareHash, SHARE_PREFIX } from '../../../src/ui/share/codec.ts';
import { hostileCases, type HostileCase } from './hostile-documents.ts';

const cases = hostileCases();
let dir = '';
let csvFile = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hostile-'));
  csvFile = join(dir, 'SPY.csv');
  const rows = ['date,open,high,low,close,volume'];
  for (let i = 0; i < 300; i++) {
    const p = 100 + 10 * Math.sin(i / 10);
    rows.push(`${new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)},${p},${p + 1},${p - 1},${p + 0.5},1000`);
  }
  await writeFile(csvFile, rows.join('\n'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function linkOf(json: string): string {
  const text = `{"v":1,"doc":${json},"data":{"symbols":["SPY"],"timeframe":"1d","from":1577836800000,"to":1603584000000,"rows":300,"source":"SPY.csv","missing":[]},"fingerprint":null}`;
  const bin = deflateSync(new TextEncoder().encode(text), { level: 6 });
  let s = '';
  for (let i = 0; i < bin.length; i += 0x8000) s += String.fromCharCode(...bin.subarray(i, i + 0x8000));
  return SHARE_PREFIX + btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const mismatches: string[] = [];
const counts = { validate: 0, backtest: 0, link: 0, refused: 0, accepted: 0 };

function check(c: HostileCase, stage: string, ok: boolean, detail: string): void {
  if (!ok) mismatches.push(`${c.name} [${stage}]: ${detail}`);
}

describe('hostile documents through validate, backtest and the link decoder', () => {
  it(`refuses each with its JSON path or runs it (${cases.length} documents)`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    for (const [i, c] of cases.entries()) {
      // validate
      let parsed: ReturnType<typeof parseDocument> | undefined;
      try {
        parsed = parseDocument(JSON.parse(c.json));
        counts.validate++;
        if (c.refuse) check(c, 'validate', !parsed.ok && parsed.errors.some((e) => c.refuse && (c.refuse as RegExp).test(e.path)),
          parsed.ok ? 'accepted' : JSON.stringify(parsed.errors.slice(0, 3)));
        else check(c, 'validate', parsed.ok, parsed.ok ? '' : JSON.stringify(parsed.errors.slice(0, 3)));
      } catch (e) {
        check(c, 'validate', false, `threw ${String(e).slice(0, 200)}`);
      }
      if (c.refuse) counts.refused++;
      else counts.accepted++;

      // backtest (the CLI: read file, validate, load data, run)
      const file = join(dir, `doc-${i}.json`);
      await writeFile(file, c.json);
      const out: string[] = [], err: string[] = [];
      try {
        const code = await backtestCli(['--strategy', file, '--data', csvFile, '--json'], (s) => out.push(s), (s) => err.push(s));
        counts.backtest++;
        if (c.refuse) {
          const msg = err.join('\n');
          check(c, 'backtest', code === 2 && /invalid strategy|too large|not valid JSON/.test(msg) && !/Maximum call stack|RangeError/.test(msg), `exit ${code}: ${msg.slice(0, 300)}`);
        } else {
          const r = code === 0 ? JSON.parse(out[0]!) as { stats: { finalEquity: number | null } } : null;
          check(c, 'backtest', code === 0 && typeof r?.stats.finalEquity === 'number' && Number.isFinite(r.stats.finalEquity), `exit ${code}: ${err.join('\n').slice(0, 300)}`);
        }
      } catch (e) {
        check(c, 'backtest', false, `threw ${String(e).slice(0, 200)}`);
      }

      // share link
      try {
        const r = decodeShareHash(linkOf(c.json));
        counts.link++;
        if (c.refuse) {
          check(c, 'link', !r.ok && (r.error.kind !== 'schema' || r.error.errors.some((e) => /^doc/.test(e.path) && (c.refuse as RegExp).test(e.path.replace(/^doc\.?/, '') || '(document)'))),
            r.ok ? 'accepted' : `${r.error.kind}: ${JSON.stringify(r.error.errors.slice(0, 3))}`);
        } else {
          check(c, 'link', r.ok, r.ok ? '' : `${r.error.message} ${JSON.stringify(r.error.errors.slice(0, 2))}`);
        }
      } catch (e) {
        check(c, 'link', false, `threw ${String(e).slice(0, 200)}`);
      }
    }
    console.log(`hostile documents: ${cases.length} documents (${counts.refused} refused, ${counts.accepted} accepted); `
      + `validate ${counts.validate}, backtest CLI ${counts.backtest}, link decoder ${counts.link}; ${mismatches.length} mismatches`);
    expect(mismatches).toEqual([]);
  });
});
