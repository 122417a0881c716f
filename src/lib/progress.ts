/**
 * A run's progress cell in shared memory (EngineTask.progress): the engine worker writes the fraction of the
 * run done, the pool reads it on its own schedule. No message per report: each was 0.2-0.5 ms of a busy
 * Chromium worker. An Int32Array because Atomics has no float64 access; the unit is a millionth.
 */
const SCALE = 1_000_000;

export function newProgressCell(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

export function writeProgress(cell: Int32Array, fraction: number): void {
  Atomics.store(cell, 0, Math.round(fraction * SCALE));
}

export function readProgress(cell: Int32Array): number {
  return Atomics.load(cell, 0) / SCALE;
}
