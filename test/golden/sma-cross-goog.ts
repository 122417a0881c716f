/**
 * The golden run shared by the fixture generator (update.ts) and the test: public/strategies/sma-cross.json
 * rebound to GOOG on the shared daily file, cash 10,000, commission 0.2 % of notional, next-open fills,
 * whole units. Needs ../shared/data (see test/helpers/shared-data.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINE_VERSION, runBacktest } from '../../src/engine/index.ts';
import { loadCsvFile } from '../../src/data/node/index.ts';
import { parseDocument, type RunResult, type Stats, type Trade } from '../../src/schema/index.ts';
import { rebindSymbol } from '../../src/strategy/index.ts';
import { PROJECT_ROOT, sharedDataPath } from '../helpers/shared-data.ts';

export const FIXTURE = join(PROJECT_ROOT, 'test', 'golden', 'fixtures', 'sma-cross-goog.json');

export interface GoldenFixture {
  engineVersion: string;
  description: string;
  bars: number;
  stats: Stats;
  trades: Trade[];
}

export async function goldenRun(): Promise<{ result: RunResult; bars: number }> {
  const parsed = parseDocument(JSON.parse(readFileSync(join(PROJECT_ROOT, 'public', 'strategies', 'sma-cross.json'), 'utf8')));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const base = rebindSymbol(parsed.doc, 'GOOG');
  const doc = {
    ...base,
    settings: { ...base.settings, initialCash: 10_000, fees: { ...base.settings.fees, fraction: 0.002 }, fillModel: 'nextOpen' as const, units: 'whole' as const },
  };
  const { bars } = await loadCsvFile(sharedDataPath('daily', 'GOOG.csv'), { symbol: 'GOOG' });
  return { result: runBacktest(doc, { bars: [bars] }), bars: bars.length };
}

export function toFixture(result: RunResult, bars: number): GoldenFixture {
  return {
    engineVersion: ENGINE_VERSION,
    description: 'sma-cross.json rebound to GOOG, daily/GOOG.csv, cash 10000, fees.fraction 0.002, nextOpen, whole units',
    bars,
    stats: result.stats,
    trades: result.trades,
  };
}
