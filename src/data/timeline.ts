import type { BarColumns, Timeline } from '../schema/bars.ts';
import { GrowableF64 } from './grow.ts';

/**
 * The sorted union of all symbols' bar times, without duplicates (k-way merge; each input must be strictly
 * increasing). Few inputs are merged by scanning the heads, many through a binary heap.
 */
export function mergeTimeline(cols: readonly BarColumns[]): Timeline {
  cols.forEach((c) => {
    for (let i = 1; i < c.length; i++) {
      if (!(c.time[i]! > c.time[i - 1]!)) throw new RangeError(`${c.symbol} ${c.timeframe}: time at row ${i} is not after row ${i - 1}`);
    }
  });
  const live = cols.filter((c) => c.length > 0);
  if (live.length === 0) return { length: 0, time: new Float64Array(0) };
  if (live.length === 1) return { length: live[0]!.length, time: live[0]!.time.slice(0, live[0]!.length) };
  const total = live.reduce((n, c) => n + c.length, 0);
  const out = new GrowableF64(Math.min(total, Math.max(...live.map((c) => c.length)) * 2));
  if (live.length <= 16) scanMerge(live, out);
  else heapMerge(live, out);
  return { length: out.length, time: out.toArray() };
}

function scanMerge(cols: readonly BarColumns[], out: GrowableF64): void {
  const k = cols.length;
  const pos = new Int32Array(k);
  const times = cols.map((c) => c.time), lens = cols.map((c) => c.length);
  for (;;) {
    let min = Infinity;
    for (let j = 0; j < k; j++) if (pos[j]! < lens[j]!) { const t = times[j]![pos[j]!]!; if (t < min) min = t; }
    if (min === Infinity) return;
    out.push(min);
    for (let j = 0; j < k; j++) if (pos[j]! < lens[j]! && times[j]![pos[j]!] === min) pos[j]!++;
  }
}

function heapMerge(cols: readonly BarColumns[], out: GrowableF64): void {
  const k = cols.length;
  const heap = new Int32Array(k), key = new Float64Array(k), pos = new Int32Array(k);
  let size = 0;
  const less = (a: number, b: number) => key[heap[a]!]! < key[heap[b]!]!;
  const swap = (a: number, b: number) => { const t = heap[a]!; heap[a] = heap[b]!; heap[b] = t; };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < size && less(l, m)) m = l;
      if (r < size && less(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let j = 0; j < k; j++) { key[j] = cols[j]!.time[0]!; heap[size++] = j; }
  for (let i = (size >> 1) - 1; i >= 0; i--) down(i);
  let last = NaN;
  while (size > 0) {
    const j = heap[0]!;
    const t = key[j]!;
    if (t !== last) { out.push(t); last = t; }
    const p = ++pos[j]!;
    if (p < cols[j]!.length) key[j] = cols[j]!.time[p]!;
    else heap[0] = heap[--size]!;
    down(0);
  }
}
