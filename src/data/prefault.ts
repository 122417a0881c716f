/**
 * Fresh pages taken by a second thread while a read fills others. A column read from the store lands in new
 * shared memory, and every 4 KiB page of it costs a page fault on first write (~10 µs on the VMs here: W2's
 * store read was 27,800 faults, more than half its time). Faults are taken per thread, so a helper that writes
 * the first byte of each page of the part of a column the decoder will write last — while the decoder reads the
 * encoded bytes into the rest — halves what the decoder waits for. The helper writes zeros into memory nobody
 * has written yet and the decoder writes there only after the helper answered (readColumns awaits it), so the
 * bytes a read returns are those of a read without it.
 */

/** Bytes [from, to) of a shared buffer whose pages another thread should take first. */
export interface PageRange {
  readonly buffer: SharedArrayBuffer;
  readonly from: number;
  readonly to: number;
}

/** Takes the pages of the ranges; resolves when that is done (or when the helper is gone). */
export type Prefault = (ranges: readonly PageRange[]) => Promise<void>;

/** A helper's Prefault with how many of its requests the helper answered (a load that used it says so). */
export type HelperPrefault = Prefault & { readonly answered: () => number };

const PAGE = 4096;

/** A zero written into bytes [from, to) of `buffer` at `from` and at each 4 KiB boundary: each page taken once. */
export function zeroPages(buffer: ArrayBufferLike, from: number, to: number): void {
  const bytes = new Uint8Array(buffer);
  for (let p = from; p < to; p = (Math.floor(p / PAGE) + 1) * PAGE) bytes[p] = 0;
}

/** The helper's work: a zero written into each page of each range (the memory is zero already). */
export function touchPages(ranges: readonly PageRange[]): void {
  for (const { buffer, from, to } of ranges) zeroPages(buffer, from, to);
}

/** The worker side: answers each { id, ranges } with { id } once its pages are taken. */
export function servePrefault(port: { postMessage(m: unknown): void; onmessage: ((e: MessageEvent) => void) | null }): void {
  port.onmessage = (e: MessageEvent) => {
    const { id, ranges } = e.data as { id: number; ranges: PageRange[] };
    touchPages(ranges);
    port.postMessage({ id });
  };
}

interface HelperPort {
  postMessage(m: unknown): void;
  addEventListener(type: 'message', fn: (e: MessageEvent) => void): void;
  addEventListener(type: 'error', fn: () => void): void;
}

/**
 * A Prefault over a helper worker (servePrefault on its side). If the helper fails, every pending and later
 * request resolves at once: the decoder then takes its pages itself, as without a helper.
 */
export function helperPrefault(helper: HelperPort): HelperPrefault {
  const pending = new Map<number, () => void>();
  let next = 1, gone = false, answered = 0;
  helper.addEventListener('message', (e) => {
    const id = (e.data as { id?: unknown } | null)?.id;
    const done = typeof id === 'number' ? pending.get(id) : undefined;
    if (!done) return;
    answered++;
    pending.delete(id as number);
    done();
  });
  helper.addEventListener('error', () => {
    gone = true;
    for (const done of pending.values()) done();
    pending.clear();
  });
  const take = (ranges: readonly PageRange[]): Promise<void> => {
    if (gone || ranges.length === 0) return Promise.resolve();
    const id = next++;
    return new Promise<void>((resolve) => {
      pending.set(id, resolve);
      helper.postMessage({ id, ranges });
    });
  };
  return Object.assign(take, { answered: () => answered });
}

/**
 * The data worker's helper, started by `spawn` (a worker running servePrefault), where it can help: memory is
 * shared (the helper needs the same buffers) and a worker can start another. Otherwise, or when the start
 * fails, undefined: loads then take their pages themselves, as without one.
 */
export function startHelper(spawn: () => HelperPort): HelperPrefault | undefined {
  const g = globalThis as { crossOriginIsolated?: boolean };
  if (typeof SharedArrayBuffer === 'undefined' || g.crossOriginIsolated === false || typeof Worker === 'undefined') return undefined;
  try {
    return helperPrefault(spawn());
  } catch {
    return undefined;
  }
}
