import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';
import type { BenchRow, BenchSuite } from './harness.ts';
import { proxySummary, workloadSummary } from './summary.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const out = outIdx >= 0 ? args[outIdx + 1] : undefined;
const only = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--out');
const quick = args.includes('--quick');

const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort();
const results: Record<string, Record<string, BenchRow>> = {};
console.log(`node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}`);
for (const f of files) {
  const suite = (await import(pathToFileURL(join(here, f)).href)).default as BenchSuite;
  if (only.length && !only.some((o) => suite.name.toLowerCase().includes(o.toLowerCase()))) continue;
  console.log(`\n## ${suite.name}`);
  const rows = await suite.run({ quick });
  results[suite.name] = rows;
  console.table(rows);
}
if (out) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ ...workloadSummary(results), ...proxySummary(results), runtime: `node ${process.version}`, cores: os.cpus().length, results }, null, 2));
  console.log(`wrote ${out}`);
}
