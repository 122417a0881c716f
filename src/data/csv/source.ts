import { abortError } from '../abort.ts';

/** Anything an import can read bytes from. Strings are encoded as UTF-8. */
export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Uint8Array | string;

export interface ProgressInfo {
  bytesRead: number;
  /** Known when the caller passed it (file size). */
  totalBytes?: number;
  rowsRead: number;
}


/** Iterates byte chunks, checking the signal before each one; a stream's reader is released on exit. */
export async function* chunksOf(src: ByteSource, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  if (typeof src === 'string') src = new TextEncoder().encode(src);
  if (src instanceof Uint8Array) {
    if (signal?.aborted) throw abortError(signal);
    // Large in-memory inputs are cut so progress and cancellation still happen between pieces.
    for (let i = 0; i < src.length || i === 0; i += 1 << 20) {
      if (signal?.aborted) throw abortError(signal);
      yield src.subarray(i, i + (1 << 20));
      if (src.length === 0) break;
    }
    return;
  }
  if (typeof (src as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (src as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        if (signal?.aborted) throw abortError(signal);
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      if (signal?.aborted) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
  for await (const chunk of src as AsyncIterable<Uint8Array>) {
    if (signal?.aborted) throw abortError(signal);
    yield chunk;
  }
}
