/**
 * Every browser test fails when React warns that a state update was not wrapped in act(...): such a warning
 * means the test asserted on a render that was still settling (issue 16 took the count from 379 to 0; this keeps
 * it there, and makes the whole suite's count visible in CI, whose log does not carry the browser console).
 */
import { afterEach } from 'vitest';

const seen: string[] = [];
const original = console.error.bind(console);
console.error = (...args: unknown[]) => {
  const text = args.map(String).join(' ');
  if (/not wrapped in act\(|act\(\.\.\.\) is not supported|The current testing environment is not configured to support act/.test(text)) seen.push(text.slice(0, 300));
  original(...args);
};

afterEach(() => {
  if (seen.length === 0) return;
  const n = seen.length, first = seen[0]!;
  seen.length = 0;
  throw new Error(`React printed ${n} act(...) warning${n > 1 ? 's' : ''} in this test; the first: ${first}`);
});
