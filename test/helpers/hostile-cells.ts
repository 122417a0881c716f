/**
 * Cells the import fuzzers put in place of a time or a number: overflowing digits, non-finite spellings,
 * hex, empty. Each fuzzer appends the few that only its format has; order matters (seeded picks).
 */
export const HOSTILE_TIME_CELLS: readonly string[] = ['9'.repeat(25), '9'.repeat(400), 'x', '', '1e12'];
export const HOSTILE_NUMBER_CELLS: readonly string[] = ['1e999', '1E400', '-1e999', '', 'abc', '-1', '1.5e2', '.5', '1e-3', 'NaN', 'Infinity', '0x10'];
