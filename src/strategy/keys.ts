import type { IndicatorSpec, WindowSpec } from '../indicators/index.ts';
import { parseDuration, formatDuration } from '../lib/duration.ts';
import type { IndicatorNode, Window } from '../schema/index.ts';
import type { IndicatorSource } from './plan.ts';

/** After substitution, windows hold plain numbers. */
export function windowSpec(w: Window): WindowSpec {
  if ('bars' in w) return { bars: w.bars as number };
  return { ms: parseDuration(w.duration) };
}

export function windowLabel(w: WindowSpec): string {
  return 'bars' in w ? String(w.bars) : formatDuration(w.ms);
}

type WindowedKind = 'sma' | 'ema' | 'wma' | 'rsi' | 'stddev' | 'roc' | 'highest' | 'lowest' | 'atr' | 'bollinger' | 'macd';
const WINDOWED_KINDS: ReadonlySet<string> = new Set<WindowedKind>(['sma', 'ema', 'wma', 'rsi', 'stddev', 'roc', 'highest', 'lowest', 'atr', 'bollinger', 'macd']);

export type IndicatorInstanceNode = IndicatorNode & { kind: WindowedKind };

/** A node that names an indicator instance (an SMA, an ATR, a band of Bollinger…), not a price or a portfolio value. */
export function isIndicatorNode(node: IndicatorNode): node is IndicatorInstanceNode {
  return WINDOWED_KINDS.has(node.kind);
}

/** The instance an indicator node needs: same kind, parameters, asset and source ⇒ same instance. */
export function indicatorInstance(node: IndicatorInstanceNode): { spec: IndicatorSpec; source: IndicatorSource; output: 'value' | 'upper' | 'lower' | 'signal' | 'histogram' } {
  switch (node.kind) {
    case 'bollinger': {
      const output = node.band === 'middle' ? 'value' : node.band;
      return { spec: { kind: 'bollinger', window: windowSpec(node.window), k: (node.k as number | undefined) ?? 2 }, source: node.source ?? 'close', output };
    }
    case 'macd': {
      const output = node.output === 'line' ? 'value' : node.output;
      return {
        spec: { kind: 'macd', fast: windowSpec(node.fast), slow: windowSpec(node.slow), signal: windowSpec(node.signal) },
        source: node.source ?? 'close',
        output,
      };
    }
    case 'atr':
      return { spec: { kind: 'atr', window: windowSpec(node.window) }, source: 'close', output: 'value' };
    default:
      return { spec: { kind: node.kind, window: windowSpec(node.window) }, source: node.source ?? 'close', output: 'value' };
  }
}

/**
 * In place, in Array.prototype.sort's default order (UTF-16 code units, which `<` on strings compares): an
 * insertion sort, since key lists are a handful long and the built-in sort allocates a work copy per call.
 */
function sortStrings(a: string[]): void {
  for (let i = 1; i < a.length; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > x) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}

/**
 * JSON.stringify of the strings keys are made of (property names, kinds, sources, symbols), memoized: at most
 * MAX_QUOTED of them, none longer than MAX_QUOTED_LENGTH, so the memo stays small whatever a document holds.
 */
const quoted = new Map<string, string>();
const MAX_QUOTED = 4096;
const MAX_QUOTED_LENGTH = 64;

function quote(s: string): string {
  if (s.length > MAX_QUOTED_LENGTH) return JSON.stringify(s);
  let q = quoted.get(s);
  if (q === undefined) {
    q = JSON.stringify(s);
    if (quoted.size < MAX_QUOTED) quoted.set(s, q);
  }
  return q;
}

/** Stable JSON (sorted keys) so equal specs give equal keys whatever order the document wrote them in. */
export function stableKey(x: unknown): string {
  // Built by concatenation (no map/join arrays): compile keys every indicator node, once per optimizer candidate.
  // Strings and finite numbers as JSON.stringify writes them (a finite number's JSON is its String).
  if (typeof x === 'string') return quote(x);
  if (typeof x === 'number') return Number.isFinite(x) ? String(x) : 'null';
  if (typeof x !== 'object' || x === null) return JSON.stringify(x);
  if (Array.isArray(x)) {
    let out = '[';
    // `?? ''`: as join, an undefined element (stableKey(undefined) is undefined at run time) is empty.
    for (let i = 0; i < x.length; i++) out += (i > 0 ? ',' : '') + ((stableKey(x[i]) as string | undefined) ?? '');
    return `${out}]`;
  }
  const keys = Object.keys(x);
  sortStrings(keys);
  let out = '{';
  for (let i = 0; i < keys.length; i++) out += `${i > 0 ? ',' : ''}${quote(keys[i]!)}:${stableKey((x as Record<string, unknown>)[keys[i]!])}`;
  return `${out}}`;
}

export function specLabel(spec: IndicatorSpec, source: IndicatorSource, asset: string): string {
  const src = source === 'close' ? '' : ` ${source}`;
  switch (spec.kind) {
    case 'bollinger': return `BB(${windowLabel(spec.window)}, ${spec.k ?? 2}) of ${asset}${src}`;
    case 'macd': return `MACD(${windowLabel(spec.fast)}, ${windowLabel(spec.slow)}, ${windowLabel(spec.signal)}) of ${asset}${src}`;
    default: return `${spec.kind.toUpperCase()}(${windowLabel(spec.window)}) of ${asset}${src}`;
  }
}
