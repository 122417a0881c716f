import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SharePayloadInput } from '../../../src/schema/share.ts';

export function template(file = 'sma-cross.json'): Record<string, unknown> {
  return JSON.parse(readFileSync(join(import.meta.dirname, '../../../public/strategies', file), 'utf8')) as Record<string, unknown>;
}

export function payload(doc: Record<string, unknown> = template()): SharePayloadInput {
  return {
    v: 1,
    doc,
    data: { symbols: ['SPY'], timeframe: '1d', from: 946_684_800_000, to: 1_704_067_200_000, rows: 6000, source: 'SPY.csv', missing: [] },
    fingerprint: '0123456789abcdef',
  };
}
