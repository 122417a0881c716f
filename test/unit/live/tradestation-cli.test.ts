/**
 * `npm run live -- --broker tradestation` against the TradeStation fake, directly and through the proxy in relay
 * mode (the proxy holds the OAuth client id and secret) and vault mode (it holds the refresh token too): every
 * call the adapter makes is allow-listed, the proxy drops a vault token TradeStation refuses, what the adapter
 * never needs is refused before TradeStation sees it, and no secret is printed, journaled or logged.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { liveCli } from '../../../src/cli/live.ts';
import { tradestationBroker } from '../../../src/live/connect.ts';
import { allRoutesTo, startProxy } from '../proxy/fakes.ts';
import { FakeTradeStation } from './fake-tradestation.ts';
import { crossDoc as cross, swingBars } from './fake-server.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const PROXY_TOKEN = 'proxy-token-0123456789abcdef';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function fakeTs(): Promise<FakeTradeStation> {
  const fake = new FakeTradeStation(10_000);
  await fake.start();
  cleanup.push(() => fake.stop());
  const list = swingBars(30, T0, DAY);
  fake.bars.set('SPY', list);
  fake.now = list[20]!.t;
  return fake;
}

function stateDir(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ts-cli-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 's.json');
  writeFileSync(file, JSON.stringify(cross()));
  return { dir, file };
}

async function cliRun(argv: string[], env: Record<string, string>): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [], err: string[] = [];
  const code = await liveCli(argv, { env, out: (x) => out.push(x), err: (x) => err.push(x), sleep: async () => {} });
  return { code, out, err };
}

function expectNoSecret(fake: FakeTradeStation, texts: string[]): void {
  for (const t of texts) for (const s of [fake.clientSecret, fake.refreshToken, 'ts-ACCESS-', PROXY_TOKEN]) expect(t).not.toContain(s);
}

describe('TradeStation through npm run live and the proxy', () => {
  it('--broker tradestation --paper directly (client id, secret and refresh token from the environment): the deployment opens on the account; nothing secret is printed or journaled', async () => {
    const fake = await fakeTs();
    const { dir, file } = stateDir();
    const env = { TRADESTATION_CLIENT_ID: fake.clientId, TRADESTATION_CLIENT_SECRET: fake.clientSecret, TRADESTATION_REFRESH_TOKEN: fake.refreshToken, TRADESTATION_ACCOUNT_ID: fake.account };
    const r = await cliRun(['--strategy', file, '--broker', 'tradestation', '--paper', '--trading-url', fake.url, '--auth-url', fake.url, '--state', join(dir, 'st'), '--max-steps', '0', '--json'], env);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const journal = readFileSync(join(dir, 'st', 'journal.jsonl'), 'utf8');
    expect(journal).toContain(fake.account);
    expect(journal).toContain('"broker":"tradestation-sim"');
    expect(fake.tokenRequests).toHaveLength(1);
    expectNoSecret(fake, [journal, ...r.out]);
    // Missing keys: a usage error that names the variables, never a value.
    const bad = await cliRun(['--strategy', file, '--broker', 'tradestation', '--paper', '--state', join(dir, 'st2')], { TRADESTATION_REFRESH_TOKEN: fake.refreshToken, TRADESTATION_ACCOUNT_ID: fake.account });
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toMatch(/TRADESTATION_CLIENT_ID, TRADESTATION_CLIENT_SECRET and TRADESTATION_REFRESH_TOKEN/);
    expectNoSecret(fake, bad.err);
  });

  it('relay mode (the proxy adds the client id and secret to the refresh) and vault mode (the proxy holds the refresh token and injects access tokens): all calls allowed; hostile requests never reach TradeStation', async () => {
    const fake = await fakeTs();
    const { dir, file } = stateDir();
    const client = { TRADESTATION_CLIENT_ID: fake.clientId, TRADESTATION_CLIENT_SECRET: fake.clientSecret };
    const relay = await startProxy({ allowOrigins: [], routes: allRoutesTo(fake.url) }, client);
    cleanup.push(() => relay.close());
    const vault = await startProxy({ allowOrigins: [], routes: allRoutesTo(fake.url) }, { ...client, PROXY_TOKEN, TRADESTATION_REFRESH_TOKEN: fake.refreshToken });
    cleanup.push(() => vault.close());
    const a = await cliRun(['--strategy', file, '--broker', 'tradestation', '--paper', '--proxy', relay.node.url, '--state', join(dir, 'relay'), '--max-steps', '0'], { TRADESTATION_REFRESH_TOKEN: fake.refreshToken, TRADESTATION_ACCOUNT_ID: fake.account });
    expect(a.err).toEqual([]);
    expect(a.code).toBe(0);
    const b = await cliRun(['--strategy', file, '--broker', 'tradestation', '--paper', '--proxy', vault.node.url, '--state', join(dir, 'vault'), '--max-steps', '0'], { PROXY_TOKEN, TRADESTATION_ACCOUNT_ID: fake.account });
    expect(b.err).toEqual([]);
    expect(b.code).toBe(0);
    // Both refreshes reached TradeStation with the secret the proxy holds; the CLI never had it.
    expect(fake.tokenRequests.map((t) => t.client_secret)).toEqual([fake.clientSecret, fake.clientSecret]);
    expect([...relay.logs, ...vault.logs].every((l) => l.status < 400)).toBe(true);
    expect(relay.logs.some((l) => l.pattern === 'POST /oauth/token')).toBe(true);
    const journals = ['relay', 'vault'].map((d) => readFileSync(join(dir, d, 'journal.jsonl'), 'utf8'));
    expectNoSecret(fake, [...journals, ...a.out, ...b.out, JSON.stringify(relay.logs), JSON.stringify(vault.logs)]);

    // Vault mode: a token TradeStation stops taking is dropped by the proxy; the adapter's one retry gets a fresh one.
    const viaVault = tradestationBroker({ sim: true, accountId: fake.account, proxyUrl: vault.node.url, proxyToken: PROXY_TOKEN });
    fake.expireTokens();
    expect((await viaVault.account()).id).toBe(fake.account);
    expect(fake.unauthorized).toBe(1);

    const seen = fake.requests.length;
    const hostile: [string, string][] = [
      ['PUT', '/tradestation-sim/v3/orderexecution/orders/700000001'], // replace an order
      ['POST', '/tradestation-sim/v3/orderexecution/ordergroups'],
      ['GET', '/tradestation-sim/v3/brokerage/accounts/SIM1234567M/wallets'],
      ['GET', '/tradestation-sim/v3/marketdata/stream/quotes/SPY'],
      ['POST', '/tradestation-sim/oauth/revoke'],
      ['DELETE', '/tradestation-sim/v3/brokerage/accounts/SIM1234567M/orders'],
    ];
    for (const [method, path] of hostile) {
      const r = await fetch(`${relay.node.url}${path}`, { method, headers: { authorization: 'Bearer x' } });
      expect(r.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
    }
    expect(fake.requests.slice(seen).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });
});
