/**
 * npm run live: practice on the embedded data (sim broker) with --max-steps, resumed from the same --state;
 * paper trading against the Alpaca fake with keys from the environment (never printed); usage errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { liveCli } from '../../../src/cli/live.ts';
import { FakeAlpaca } from './fake-alpaca.ts';

const dirs: string[] = [];
const fakes: FakeAlpaca[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'live-cli-'));
  dirs.push(d);
  return d;
}

const STRATEGY = {
  version: 1,
  name: 'SMA cross on SPX',
  settings: { universe: ['SPX'], timeframe: '1d', initialCash: 10_000, units: 'whole' },
  strategies: [
    { id: 'in', name: 'in', condition: { lhs: { kind: 'sma', window: { bars: 5 } }, op: 'crossesAbove', rhs: { kind: 'sma', window: { bars: 20 } } }, action: { type: 'setWeight', weight: 1 } },
    { id: 'out', name: 'out', condition: { lhs: { kind: 'sma', window: { bars: 5 } }, op: 'crossesBelow', rhs: { kind: 'sma', window: { bars: 20 } } }, action: { type: 'setWeight', weight: 0 } },
  ],
};

async function cli(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [], err: string[] = [];
  const code = await liveCli(argv, { env, out: (s) => out.push(s), err: (s) => err.push(s), sleep: async () => {} });
  return { code, out, err };
}

describe('npm run live', () => {
  it('practice on the embedded data: --max-steps stops, the same --state resumes where it stopped, --json prints one event per line', async () => {
    const dir = tmp();
    const file = join(dir, 'strategy.json');
    writeFileSync(file, JSON.stringify(STRATEGY));
    const state = join(dir, 'state');
    const first = await cli(['--strategy', file, '--broker', 'sim', '--state', state, '--max-steps', '150', '--json']);
    expect(first.err).toEqual([]);
    expect(first.code).toBe(0);
    const events = first.out.map((l) => JSON.parse(l) as { type: string; steps?: number });
    expect(events.filter((e) => e.type === 'bar').length).toBe(150);
    expect(events.some((e) => e.type === 'fill')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'summary', steps: 150 });
    const second = await cli(['--broker', 'sim', '--state', state, '--max-steps', '50', '--json']);
    expect(second.code).toBe(0);
    const bars = second.out.map((l) => JSON.parse(l) as { type: string; time: number }).filter((e) => e.type === 'bar');
    const firstBars = events.filter((e) => e.type === 'bar') as unknown as { time: number }[];
    expect(bars.length).toBe(50);
    expect(bars[0]!.time).toBeGreaterThan(firstBars.at(-1)!.time);
  });

  it('practice without --max-steps ends at the end of the data (regression: it ticked for ever)', async () => {
    const dir = tmp();
    const file = join(dir, 'strategy.json');
    writeFileSync(file, JSON.stringify(STRATEGY));
    const out: string[] = [], err: string[] = [];
    // A bound for the test only: a loop that does not end on its own is stopped and then fails the assertions.
    const stop = { stopped: false };
    let sleeps = 0;
    const code = await liveCli(['--strategy', file, '--broker', 'sim', '--state', join(dir, 'state'), '--json'], {
      env: {}, out: (s) => out.push(s), err: (s) => err.push(s), stop,
      sleep: async () => { if (++sleeps > 100_000) stop.stopped = true; },
    });
    expect(code).toBe(0);
    expect(stop.stopped).toBe(false);
    const events = out.map((l) => JSON.parse(l) as { type: string; steps?: number });
    const bars = events.filter((e) => e.type === 'bar').length;
    expect(bars).toBeGreaterThan(200);
    expect(events.at(-1)).toMatchObject({ type: 'summary', steps: bars });
  });

  it('paper trading against the Alpaca fake: keys from the environment, never in the output or the state', async () => {
    const fake = new FakeAlpaca(10_000);
    fakes.push(fake);
    await fake.start();
    const DAY = 86_400_000, T0 = Date.UTC(2024, 0, 1);
    fake.bars.set('SPX', Array.from({ length: 40 }, (_, i) => ({ t: T0 + i * DAY, o: 100 + 10 * Math.sin(i / 3), h: 120, l: 80, c: 100 + 10 * Math.sin((i + 1) / 3), v: 1 })));
    fake.now = T0 + 30 * DAY;
    const dir = tmp();
    const file = join(dir, 'strategy.json');
    writeFileSync(file, JSON.stringify(STRATEGY));
    const env = { APCA_API_KEY_ID: fake.key, APCA_API_SECRET_KEY: fake.secret };
    const r = await cli(['--strategy', file, '--broker', 'alpaca', '--paper', '--trading-url', fake.url, '--data-url', fake.url, '--state', join(dir, 's'), '--max-steps', '0'], env);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out.at(-1)).toMatch(/0 bar\(s\) stepped; equity 10000\.00/);
    const state = readFileSync(join(dir, 's', 'journal.jsonl'), 'utf8');
    expect(state).toContain('PA3FAKE0001');
    for (const text of [state, ...r.out, ...r.err]) {
      expect(text).not.toContain(fake.secret);
      expect(text).not.toContain(fake.key);
    }
    // Live (not --paper) needs the account named.
    const live = await cli(['--strategy', file, '--broker', 'alpaca', '--trading-url', fake.url, '--data-url', fake.url, '--state', join(dir, 'live'), '--max-steps', '0'], env);
    expect(live.code).toBe(2);
    expect(live.err[0]).toMatch(/--confirm-account naming the account it trades \(PA3FAKE0001\)/);
  });

  it('usage errors: no state, missing keys, an unknown broker', async () => {
    expect((await cli(['--broker', 'sim'])).code).toBe(2);
    const noKeys = await cli(['--broker', 'alpaca', '--paper', '--state', tmp(), '--strategy', 'x.json']);
    expect(noKeys.code).not.toBe(0);
    const bad = await cli(['--broker', 'ib', '--state', tmp()]);
    expect(bad.err[0]).toMatch(/--broker must be alpaca, tradier, tradestation or sim/);
    const d = tmp();
    writeFileSync(join(d, 's.json'), JSON.stringify(STRATEGY));
    const noTradierKeys = await cli(['--broker', 'tradier', '--paper', '--state', join(d, 'st'), '--strategy', join(d, 's.json')], { TRADIER_ACCOUNT_ID: 'VA1' });
    expect(noTradierKeys.code).toBe(2);
    expect(noTradierKeys.err[0]).toMatch(/set TRADIER_TOKEN and TRADIER_ACCOUNT_ID/);
  });
});
