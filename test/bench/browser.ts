/**
 * `npm run bench:browser [--quick] [--built] [--out FILE] [--workload W2]… [name…]`: serves the project with Vite on
 * 127.0.0.1 (a free port, the COOP/COEP headers of vite.config.ts), opens test/bench/browser.html in headless
 * Chromium, runs every test/bench/*.browser-bench.ts suite there, prints the rows, and closes the browser and
 * server. `--built` serves a production build of the bench page (vite build, then vite preview) instead of the
 * dev server's unbundled modules: what a user of the deployed static app loads (the renderers held 331 MB
 * before W2 built, 412 MB from the dev server, 2026-12-03).
 */
import { chargeFaults, workloadSummary } from './summary.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright';
import { build, createServer, preview } from 'vite';
import { freshMemory, type BenchRow } from './harness.ts';
import { RendererMemory } from './renderer-memory.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const out = outIdx >= 0 ? args[outIdx + 1] : undefined;
const quick = args.includes('--quick');
const built = args.includes('--built');
const valued = new Set(['--out', '--workload']);
const workloads = args.filter((_, i) => args[i - 1] === '--workload');
const only = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1]!));

const configFile = join(root, 'vite.config.ts');
/** The page's server: started by listen(), its port read afterwards. */
interface PageServer { listen(): Promise<void>; port(): number; close(): Promise<void> }

async function devServer(): Promise<PageServer> {
  const s = await createServer({ root, configFile, logLevel: 'warn', server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false } });
  return { listen: async () => { await s.listen(); }, port: () => (s.httpServer!.address() as AddressInfo).port, close: () => s.close() };
}

async function builtServer(): Promise<PageServer> {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-build-'));
  await build({ root, configFile, logLevel: 'warn', build: { outDir, emptyOutDir: true, rollupOptions: { input: join(root, 'test', 'bench', 'browser.html') } } });
  let p: Awaited<ReturnType<typeof preview>> | null = null;
  return {
    listen: async () => { p = await preview({ root, configFile, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } }); },
    port: () => (p!.httpServer.address() as AddressInfo).port,
    close: async () => {
      await p?.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/**
 * What one minor page fault costs this machine, in µs (a property of the kernel and the VM, not of the
 * process): measured in this Node process before the browser starts and after it closes, the lower of the
 * two, so that the fault time the rows derive from their renderers' fault counts is not overstated.
 */
const usPerFault = (): number => freshMemory(() => process.resourceUsage().minorPageFault).usPerFault as number;

const usBefore = usPerFault();
const server = built ? await builtServer() : await devServer();
// A persistent profile on disk: an incognito context keeps OPFS in memory behind a slower path.
const profile = mkdtempSync(join(tmpdir(), 'bench-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  headless: true,
  // --expose-gc: a bench may collect the page's garbage before a memory window (workers' heaps end with them).
  args: ['--js-flags=--expose-gc', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const memory = new RendererMemory(profile);
let failed = false;
try {
  await server.listen();
  const port = server.port();
  const open = async () => {
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (!memory.onConsole(m.text())) console.log(`[page] ${m.text()}`);
    });
    page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/test/bench/browser.html`);
    await page.waitForFunction(() => window.__benchReady === true, undefined, { timeout: 120_000 });
    return page;
  };
  // Set-up (e.g. data written to OPFS) in a page of its own, closed with its renderer before the benches run.
  const setupPage = await open();
  const setup = await setupPage.evaluate((o) => window.__setupBenches!(o), { quick, only, workloads }) as Record<string, Record<string, BenchRow>>;
  await setupPage.close();
  const page = await open();
  const version = browser.browser()?.version() ?? 'unknown';
  console.log(`chromium ${version}, crossOriginIsolated=${await page.evaluate(() => crossOriginIsolated)}, ${built ? 'production build' : 'dev server'}`);
  const results = await page.evaluate(
    (o) => window.__runBenches!(o), { quick, only, workloads },
  ) as Record<string, Record<string, BenchRow>>;
  for (const [name, rows] of Object.entries(setup)) results[name] = { ...rows, ...results[name] };
  // Rows a bench marked with '[mem] begin/end ROW' get the renderer's peak resident memory over that window.
  for (const rows of Object.values(results)) {
    for (const [name, row] of Object.entries(rows)) {
      Object.assign(row, memory.figures(name) ?? {});
    }
  }
  await browser.close();
  const measured = [usBefore, usPerFault()].filter((x) => x > 0);
  const us = measured.length > 0 ? Math.min(...measured) : NaN;
  for (const rows of Object.values(results)) chargeFaults(rows, us);
  for (const [name, rows] of Object.entries(results)) {
    console.log(`\n## ${name} (chromium)`);
    console.table(rows);
  }
  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify({ ...workloadSummary(results), runtime: `chromium ${version}`, served: built ? 'production build' : 'dev server', results }, null, 2));
    console.log(`wrote ${out}`);
  }
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  memory.stop();
  await browser.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
