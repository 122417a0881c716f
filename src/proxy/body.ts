export type BodyRead = { ok: true; bytes: Uint8Array<ArrayBuffer> | null } | { ok: false };

/**
 * Reads a request body, stopping as soon as it passes `limit` bytes. The count is of bytes actually read,
 * so a missing, lying or chunked Content-Length cannot slip a larger body through.
 */
export async function readCapped(req: Request, limit: number): Promise<BodyRead> {
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) {
    await req.body?.cancel().catch(() => undefined);
    return { ok: false };
  }
  if (!req.body) return { ok: true, bytes: null };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
    if (n > limit) {
      await reader.cancel().catch(() => undefined);
      return { ok: false };
    }
    chunks.push(value);
  }
  if (n === 0) return { ok: true, bytes: null };
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return { ok: true, bytes: out };
}
