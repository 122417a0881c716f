import { describe, expect, it } from 'vitest';
import expected from '../golden/fixtures/determinism.json';
import { determinismRun } from '../golden/determinism.ts';

describe('determinism (Chromium half; the Node half is test/golden/determinism.test.ts)', () => {
  it('the same run in real Chromium gives the summary Node checked in, bit for bit', () => {
    expect(navigator.userAgent).toMatch(/Chrome/);
    expect(determinismRun()).toEqual(expected);
  });
});
