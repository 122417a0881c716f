import { describe, expect, it } from 'vitest';
import { defaultPoolSize } from '../../../src/rpc/pool.ts';

describe('default engine workers per device', () => {
  it('every core on 1 or 2 cores, all but one from 3 on, and 1 for a missing or nonsense count', () => {
    expect([1, 2, 3, 4, 8, 16].map(defaultPoolSize)).toEqual([1, 2, 2, 3, 7, 15]);
    expect([0, -4, NaN, 2.7].map(defaultPoolSize)).toEqual([1, 1, 1, 2]);
  });
});
