import type { Zone } from '../../lib/zone.ts';
import { ImportError } from './report.ts';
import type { BarSink } from './sink.ts';
import { parseTime } from './times.ts';

type Item = Record<string, unknown>;

/**
 * Alpaca `{"bars":[{t:"…Z",o,h,l,c,v}]}` (or `{"bars":{"SYM":[…]}}`), Polygon `{"results":[{t:ms,o,h,l,c,v}]}`,
 * or a bare array of such items. The "line" of a rejected row is its 1-based item number.
 */
export function parseJsonBars(text: string, symbol: string, zone: Zone, sink: BarSink): 'alpaca-json' | 'polygon-json' {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ImportError(`not valid JSON: ${(e as Error).message}`);
  }
  let items: unknown;
  let format: 'alpaca-json' | 'polygon-json' = 'alpaca-json';
  if (Array.isArray(doc)) items = doc;
  else if (doc && typeof doc === 'object') {
    const o = doc as Item;
    if (Array.isArray(o.results)) { items = o.results; format = 'polygon-json'; }
    else if (Array.isArray(o.bars)) items = o.bars;
    else if (o.bars && typeof o.bars === 'object') {
      const bySymbol = o.bars as Record<string, unknown>;
      const keys = Object.keys(bySymbol);
      const key = keys.includes(symbol) ? symbol : keys.length === 1 ? keys[0]! : undefined;
      if (!key) throw new ImportError(`JSON holds bars for ${keys.join(', ')}; choose one with the symbol option`);
      items = bySymbol[key];
    }
  }
  if (!Array.isArray(items)) throw new ImportError('JSON has neither "bars" (Alpaca) nor "results" (Polygon) array');
  const enc = new TextEncoder();
  items.forEach((raw, k) => {
    const line = k + 1;
    sink.rowsRead++;
    const text = () => JSON.stringify(raw);
    if (!raw || typeof raw !== 'object') return sink.reject(line, 'missing-field', undefined, text);
    const it = raw as Item;
    let t = NaN;
    if (typeof it.t === 'number') t = it.t < 1e11 ? it.t * 1000 : it.t;
    else if (typeof it.t === 'string') {
      const bytes = enc.encode(it.t);
      t = parseTime(bytes, 0, bytes.length, zone);
    }
    if (t !== t) return sink.reject(line, 'bad-time', 't', text);
    const vals: number[] = [];
    for (const key of ['o', 'h', 'l', 'c', 'v'] as const) {
      const v = it[key];
      if (v === undefined || v === null) return sink.reject(line, key === 'v' ? 'missing-field' : 'nan', key, text);
      const x = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
      if (!Number.isFinite(x)) return sink.reject(line, x === x ? 'non-finite' : 'unparseable-number', key, text);
      vals.push(x);
    }
    const reason = sink.push(line, t, vals[0]!, vals[1]!, vals[2]!, vals[3]!, vals[4]!);
    if (reason) sink.reject(line, reason, reason === 'time-out-of-range' ? 't' : undefined, text);
  });
  return format;
}
