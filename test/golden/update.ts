/**
 * Regenerates the golden fixtures: `npx tsx test/golden/update.ts`.
 * Only after an intended engine change that alters results, together with a bump of ENGINE_VERSION in
 * src/engine/version.ts; review the diff of the fixture (headline numbers, trade count) before committing.
 */
import { writeFileSync } from 'node:fs';
import { SHARED_DATA } from '../helpers/shared-data.ts';
import { determinismRun } from './determinism.ts';
import { FIXTURE, goldenRun, toFixture } from './sma-cross-goog.ts';

// The determinism fixture needs no shared data.
const determinismFile = new URL('./fixtures/determinism.json', import.meta.url);
writeFileSync(determinismFile, `${JSON.stringify(determinismRun(), null, 2)}\n`);
console.log(`wrote ${determinismFile.pathname}`);

if (SHARED_DATA === null) {
  console.error('shared data folder not found: cannot regenerate golden fixtures');
  process.exit(1);
}
const { result, bars } = await goldenRun();
const fixture = toFixture(result, bars);
// JSON has no NaN/Infinity: they are written as strings and read back by the test.
writeFileSync(FIXTURE, `${JSON.stringify(fixture, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`);
const s = fixture.stats;
console.log(`wrote ${FIXTURE}: ${bars} bars, ${s.tradeCount} trades, total return ${s.totalReturnPct.toFixed(2)} %, buy & hold ${s.buyHoldReturnPct.toFixed(2)} %, max drawdown ${s.maxDrawdownPct.toFixed(2)} %, Sharpe ${s.sharpe.toFixed(3)}`);

