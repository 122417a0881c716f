import { zeroPages } from './prefault.ts';

/**
 * Shared memory whose pages were taken while the page was idle, for the loads the current document will make.
 *
 * A bar set loads into new shared memory, and the first write of each 4 KiB page of it is a page fault: on the
 * VMs here ~10 µs each, 26,900 of them in W2's read of 7 assets (265 of its 321 ms). Those faults do not depend
 * on the data, only on the sizes, and the sizes of a document's loads are known from the catalog before Run is
 * pressed. So when the app is idle after an edit, the data worker makes buffers of exactly those sizes and
 * writes a zero into each page (in slices, so a load asked meanwhile is not held up); `sharedAllocator` hands
 * them out by exact byte length. The read still happens in full when the run asks for it: only the kernel's
 * page work moved. A reserved buffer is all zeros, as a new one is, so a load is byte for byte the same.
 *
 * The cost is memory held early: the reserve is what the loads would take anyway, held from the idle moment
 * instead of from Run, capped at RESERVE_CAP_BYTES, replaced by the next document's reserve and dropped once
 * the load it was made for is done (`reserveTouched([])`).
 */

/** Most memory a reserve holds (sizes past it, in order, are not reserved: those loads take fresh pages). */
export const RESERVE_CAP_BYTES = 512 * 2 ** 20;

/** Bytes touched per slice before the worker yields to its other messages (~1,000 pages, ~10 ms here). */
const SLICE_BYTES = 4 * 2 ** 20;

const ready = new Map<number, SharedArrayBuffer[]>();
let generation = 0;
let taken = 0;
let made = 0;

/** A touched buffer of exactly `byteLength` bytes from the reserve, or undefined (the caller allocates). */
export function takeTouched(byteLength: number): SharedArrayBuffer | undefined {
  const list = ready.get(byteLength);
  const b = list?.pop();
  if (list && list.length === 0) ready.delete(byteLength);
  if (b) taken++;
  return b;
}

export interface ReserveReport {
  /** Touched buffers this call left in the reserve, kept or made (fewer when a later call replaced it; 0 without sharing). */
  buffers: number;
  bytes: number;
  /** Sizes left out by RESERVE_CAP_BYTES. */
  skipped: number;
}

/** What the reserve holds now, how many buffers it has made and touched, and how many of them loads took (since start). */
export function touchedState(): { buffers: number; bytes: number; made: number; taken: number } {
  let buffers = 0, bytes = 0;
  for (const [n, list] of ready) {
    buffers += list.length;
    bytes += n * list.length;
  }
  return { buffers, bytes, made, taken };
}

const yieldNow = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * Replaces the reserve with touched buffers of these byte lengths (an empty list drops it). Resolves once they
 * are all touched, or early when a later call replaced this one. Each buffer is offered as soon as its own pages
 * are taken. Without SharedArrayBuffer there is nothing to reserve: loads then use plain memory, moved or copied.
 */
export async function reserveTouched(sizes: readonly number[], cap = RESERVE_CAP_BYTES): Promise<ReserveReport> {
  const mine = ++generation;
  // Buffers of the previous reserve that this one asks for again are kept as they are (a document prepared
  // twice is touched once); the others are let go.
  const before = new Map(ready);
  ready.clear();
  const report: ReserveReport = { buffers: 0, bytes: 0, skipped: 0 };
  if (typeof SharedArrayBuffer === 'undefined') return report;
  let budget = cap;
  const offer = (b: SharedArrayBuffer) => {
    const list = ready.get(b.byteLength);
    if (list) list.push(b);
    else ready.set(b.byteLength, [b]);
    report.buffers++;
    report.bytes += b.byteLength;
  };
  const todo: number[] = [];
  for (const n of sizes) {
    if (!(n > 0) || n > budget) {
      if (n > 0) report.skipped++;
      continue;
    }
    budget -= n;
    const kept = before.get(n)?.pop();
    if (kept) offer(kept);
    else todo.push(n);
  }
  for (const n of todo) {
    const b = new SharedArrayBuffer(n);
    made++;
    for (let at = 0; at < n; at += SLICE_BYTES) {
      zeroPages(b, at, Math.min(n, at + SLICE_BYTES));
      await yieldNow();
      if (generation !== mine) return report;
    }
    offer(b);
  }
  return report;
}
