/** One server-sent event: its `event:` name (absent for the default "message") and its joined `data:` lines. */
export interface SseEvent {
  event?: string;
  data: string;
}

/**
 * Reads a text/event-stream body event by event (the WHATWG framing: fields per line, a blank line ends an
 * event, `:` starts a comment, CR, LF and CRLF all end a line). Chunks may split lines and UTF-8 sequences
 * anywhere, so bytes are decoded with a streaming decoder and only whole lines are interpreted.
 */
export async function* readSse(body: ReadableStream<Uint8Array>, onBytes?: (n: number) => void): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let event: string | undefined;
  let received = 0;
  const take = (line: string): SseEvent | null => {
    if (line === '') {
      const out = data.length > 0 ? { event, data: data.join('\n') } : null;
      data = [];
      event = undefined;
      return out;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    return null;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (value) {
        received += value.byteLength;
        onBytes?.(received);
      }
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (;;) {
        const m = /\r\n|\r|\n/.exec(buffer);
        // A lone CR at the end of the buffer may be the first half of CRLF: wait for the next chunk.
        if (!m || (m[0] === '\r' && m.index === buffer.length - 1 && !done)) break;
        const line = buffer.slice(0, m.index);
        buffer = buffer.slice(m.index + m[0].length);
        const ev = take(line);
        if (ev) yield ev;
      }
      if (done) {
        if (buffer !== '') {
          const ev = take(buffer);
          if (ev) yield ev;
        }
        const last = take('');
        if (last) yield last;
        return;
      }
    }
  } finally {
    reader.releaseLock();
  }
}
