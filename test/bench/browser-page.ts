/**
 * The page side of `npm run bench:browser`: finds every test/bench/*.browser-bench.ts (each default-exports
 * a BenchSuite), runs those the runner asks for, and hands the rows back through window.__runBenches.
 */
import type { BenchOptions, BenchRow, BenchSuite } from './harness.ts';

const modules = import.meta.glob<{ default: BenchSuite }>('./*.browser-bench.ts');

declare global {
  interface Window {
    __runBenches?: (opts: BenchOptions & { only: string[] }) => Promise<Record<string, Record<string, BenchRow>>>;
    __setupBenches?: (opts: BenchOptions & { only: string[] }) => Promise<Record<string, Record<string, BenchRow>>>;
    __benchReady?: boolean;
  }
}

async function* suites(only: string[]): AsyncGenerator<BenchSuite> {
  for (const path of Object.keys(modules).sort()) {
    const suite = (await modules[path]!()).default;
    if (!only.length || only.some((o) => suite.name.toLowerCase().includes(o.toLowerCase()))) yield suite;
  }
}

window.__setupBenches = async ({ quick, only, workloads }) => {
  const results: Record<string, Record<string, BenchRow>> = {};
  for await (const suite of suites(only)) {
    if (!suite.setup) continue;
    console.log(`setting up ${suite.name}`);
    results[suite.name] = await suite.setup({ quick, workloads });
  }
  return results;
};

window.__runBenches = async ({ quick, only, workloads }) => {
  const results: Record<string, Record<string, BenchRow>> = {};
  for await (const suite of suites(only)) {
    document.getElementById('status')!.textContent = `running ${suite.name}`;
    console.log(`running ${suite.name}`);
    results[suite.name] = await suite.run({ quick, workloads });
  }
  document.getElementById('status')!.textContent = 'done';
  return results;
};
window.__benchReady = true;
