import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMain } from '../../../src/cli/generate.ts';
import { startFakeProviders, type FakeProviders } from './fake/server.ts';
import { scriptFor, template } from './script.ts';

let fake: FakeProviders;
let dir: string;
beforeAll(async () => {
  fake = await startFakeProviders();
  dir = mkdtempSync(join(tmpdir(), 'generate-'));
  writeFileSync(join(dir, 'SPY.csv'), 'date,open,high,low,close,volume\n2024-01-02,1,1,1,1,1\n');
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const SECRET = 'sk-cli-secret-abcdef123456';

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await generateMain(argv, { out: (t) => out.push(t), err: (t) => err.push(t), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run generate', () => {
  it('prints the validated document, the explanation and the attempt log; never the key', async () => {
    const doc = template('rsi-mean-reversion.json');
    fake.script(scriptFor(doc));
    const r = await run(['RSI mean reversion on SPY', '--base-url', `${fake.url}/v1`, '--model', 'gpt-4o-mini', '--data', join(dir, 'SPY.csv')], { OPENAI_API_KEY: SECRET });
    expect(r.code, r.err).toBe(0);
    // The templates run on the embedded S&P 500 index (issue 16), and the fake model returns the template.
    expect(JSON.parse(r.out)).toMatchObject({ name: 'RSI mean reversion', settings: { universe: ['SPX'] } });
    expect(r.err).toContain('Rule "Buy oversold dips in an uptrend": when all of (RSI(14 bars) is below oversold;');
    expect(r.err).toMatch(/outline #1 gpt-4o-mini: ok, \d+ ms, \d+ prompt chars, 1200\+300 tokens, \$0\.000/);
    expect(r.out + r.err).not.toContain(SECRET);
  });

  it('--edit, --out and --json through a vault proxy with PROXY_TOKEN', async () => {
    const doc = template('golden-cross.json');
    const file = join(dir, 'golden.json');
    writeFileSync(file, JSON.stringify(doc));
    fake.script(scriptFor(doc));
    const out = join(dir, 'out.json');
    const r = await run(['keep it as it is', '--provider', 'anthropic', '--proxy', fake.url, '--edit', file, '--out', out, '--json', '--data', join(dir, 'SPY.csv')], { PROXY_TOKEN: 'tok-1234567' });
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { ok: boolean; attempts: unknown[]; totals: { attempts: number } };
    expect(j.ok).toBe(true);
    expect(j.totals.attempts).toBe(j.attempts.length);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ name: doc.name });
    expect(fake.requests[0]!.path).toBe('/anthropic/v1/messages');
    expect(fake.requests[0]!.prompt).toContain('Current document:');
  });

  it('exits 1 with the final error', async () => {
    fake.script({ outline: [{ refusal: 'no.' }] });
    const r = await run(['something', '--provider', 'gemini', '--base-url', fake.url], { GEMINI_API_KEY: SECRET });
    expect(r.code).toBe(1);
    expect(r.err).toContain('declined to answer (SAFETY)');
    expect(r.err).not.toContain(SECRET);
  });

  it('says how to configure a provider when there is no key', async () => {
    const r = await run(['something', '--provider', 'anthropic'], {});
    expect(r.code).toBe(2);
    expect(r.err).toContain('set ANTHROPIC_API_KEY');
    expect((await run([])).err).toContain('usage: npm run generate');
  });
});
