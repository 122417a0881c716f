import { describe, expect, it } from 'vitest';
import expected from './fixtures/determinism.json';
import { determinismRun } from './determinism.ts';

describe('determinism (Node half; the Chromium half is test/browser/determinism.test.ts)', () => {
  it('a seeded multi-asset, multi-strategy run matches the checked-in summary bit for bit', () => {
    const got = determinismRun();
    expect(got.trades).toBeGreaterThan(10);
    expect(got).toEqual(expected);
  });
});
