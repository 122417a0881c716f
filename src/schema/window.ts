import { z } from 'zod';
import { DURATION_RE, parseDuration } from '../lib/duration.ts';
import { CountSchema, type NumberLike } from './number.ts';

/**
 * `{ "bars": 20 }` counts observations; `{ "duration": "30d" }` holds exactly the observations whose
 * time lies in (t − 30 days, t], which is what irregular data (gaps, halts, half days) need.
 */
/** Longest duration window: 5,218 weeks, about 100 years (longer could never fill, and overflows nothing useful). */
export const MAX_DURATION_MS = 5218 * 604_800_000;

export type Window = { bars: NumberLike } | { duration: string };

export const WindowSchema = z.union(
  [
    z.strictObject({ bars: CountSchema }),
    z.strictObject({
      duration: z.string().refine((s) => DURATION_RE.test(s) && parseDuration(s) > 0, {
        error: 'expected a duration like "15m", "4h", "30d" or "2w"',
      }).refine((s) => !(parseDuration(s) > MAX_DURATION_MS), { error: 'expected at most 100 years (5218w)' }),
    }),
  ],
  { error: 'expected bars or duration' },
);
