/**
 * Locates the reference data in `../shared/data` relative to the project root (see that folder's README).
 * A fresh clone does not have it: tests that need it use `describe.skipIf(!SHARED_DATA)` and call
 * `warnIfNoSharedData` so the skip is visible in the output, not silent.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const dir = join(PROJECT_ROOT, '..', 'shared', 'data');

/** Absolute path of the shared data folder, or null when it is absent. */
export const SHARED_DATA: string | null = existsSync(dir) ? dir : null;

/** Path of a file inside the shared data folder; throws when the folder is absent (guard with SHARED_DATA). */
export function sharedDataPath(...parts: string[]): string {
  if (SHARED_DATA === null) throw new Error(`shared data folder not found at ${dir}`);
  return join(SHARED_DATA, ...parts);
}

/** Prints a visible notice when the shared data are absent; call at the top of a test file that needs them. */
export function warnIfNoSharedData(what: string): void {
  if (SHARED_DATA === null) console.warn(`[skipped] ${what}: shared reference data not found at ${dir}`);
}
