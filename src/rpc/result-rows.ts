import type { OrderRecord, RunResult, SignalEvent } from '../schema/results.ts';
import { S_VALUE, type ResultColumns } from '../lib/result-table.ts';
import { columnsBehind, decodeOrderAt, decodeSignalAt } from './result-columns.ts';

/**
 * A run's signals and orders as the audit explorer reads them: by index and by order id, one page at a
 * time. Over a pool result it reads the transferred columns and decodes only the rows asked for; over any
 * other result it reads the arrays. Both give the same objects in the same order.
 */
export interface AuditRows {
  readonly signalCount: number;
  /** Signal i (a fresh object per call where it is decoded from columns). */
  signal(i: number): SignalEvent;
  /** The strategies that signalled, in order of their first signal. */
  strategies(): readonly string[];
  /** Indices of the signals of one strategy, ascending. */
  signalsOf(strategyId: string): ArrayLike<number>;
  order(id: number): OrderRecord | undefined;
  /** The orders whose parentId is `id` (a bracket's exits), in log order. */
  exitsOf(id: number): readonly OrderRecord[];
}

/** The rows of a result: from the columns behind it when decodeResult made it, else from its arrays. */
export function auditRows(r: RunResult): AuditRows {
  const c = columnsBehind(r);
  return c ? columnRows(c) : arrayRows(r.signals, r.orders);
}

export function arrayRows(signals: readonly SignalEvent[], orders: readonly OrderRecord[]): AuditRows {
  let byId: Map<number, OrderRecord> | null = null;
  let exits: Map<number, OrderRecord[]> | null = null;
  return {
    signalCount: signals.length,
    signal: (i) => signals[i]!,
    strategies: () => [...new Set(signals.map((s) => s.strategyId))],
    signalsOf: (id) => signals.flatMap((s, i) => (s.strategyId === id ? [i] : [])),
    order: (id) => (byId ??= new Map(orders.map((o) => [o.id, o]))).get(id),
    exitsOf: (id) => {
      if (!exits) {
        exits = new Map();
        for (const o of orders) {
          if (o.parentId === undefined) continue;
          const list = exits.get(o.parentId);
          if (list) list.push(o);
          else exits.set(o.parentId, [o]);
        }
      }
      return exits.get(id) ?? [];
    },
  };
}

export function columnRows(c: ResultColumns): AuditRows {
  const sid = c.signals.str.strategyId!;
  const ids = c.orders.num.id!;
  const parent = c.orders.num.parentId!, parentState = c.orders.state.parentId!;
  let byId: Map<number, number> | null = null;
  let exits: Map<number, number[]> | null = null;
  return {
    signalCount: c.signals.length,
    signal: (i) => decodeSignalAt(c, i),
    strategies: () => {
      const seen = new Set<number>();
      for (let i = 0; i < sid.length; i++) seen.add(sid[i]!);
      return [...seen].map((k) => c.strings[k]!);
    },
    signalsOf: (id) => {
      const k = c.strings.indexOf(id);
      let n = 0;
      for (let i = 0; i < sid.length; i++) if (sid[i] === k) n++;
      const out = new Int32Array(n);
      for (let i = 0, j = 0; i < sid.length; i++) if (sid[i] === k) out[j++] = i;
      return out;
    },
    order: (id) => {
      if (!byId) {
        byId = new Map();
        for (let i = 0; i < ids.length; i++) byId.set(ids[i]!, i);
      }
      const i = byId.get(id);
      return i === undefined ? undefined : decodeOrderAt(c, i);
    },
    exitsOf: (id) => {
      if (!exits) {
        exits = new Map();
        for (let i = 0; i < parent.length; i++) {
          if (parentState[i] !== S_VALUE) continue;
          const list = exits.get(parent[i]!);
          if (list) list.push(i);
          else exits.set(parent[i]!, [i]);
        }
      }
      return (exits.get(id) ?? []).map((i) => decodeOrderAt(c, i));
    },
  };
}
