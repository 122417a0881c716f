import { transfer } from 'comlink';
import type { RunResult } from '../schema/results.ts';
import type { AssetOverlay, EngineService, EngineTask } from '../engine/service.ts';
import type { SignalShare } from '../engine/index.ts';
import { columnTransferables, encodeResult, type ColumnarResult } from './result-columns.ts';

/**
 * The large typed arrays of a result (its curves), as distinct transferable ArrayBuffers: moving them
 * costs nothing, cloning them costs a copy per run. Shared buffers are skipped (they cannot be transferred).
 */
export function resultTransferables(result: RunResult): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const c = result.curves;
  for (const a of [c.time, c.equity, c.drawdown, c.benchmark]) {
    if (a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) out.add(a.buffer);
  }
  return [...out];
}

/** The sampled columns of chart overlays (fresh per call, so always transferable). */
export function overlayTransferables(overlays: readonly AssetOverlay[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const o of overlays) {
    for (const a of [o.time, o.end, o.open, o.high, o.low, o.close, o.volume, ...o.lines.map((l) => l.values)]) {
      if (a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) out.add(a.buffer);
    }
  }
  return [...out];
}

/** The event arrays of signal shares (fresh per share, so always transferable). */
export function shareTransferables(shares: readonly SignalShare[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const s of shares) {
    for (const a of [s.strategies, s.ready, ...s.events.flatMap((e) => [e.steps, e.memory, e.values])]) {
      if (a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) out.add(a.buffer);
    }
  }
  return [...out];
}

/** The engine API over the wire: the service, plus runs returned as transferred columns. */
export type WorkerService = Omit<EngineService, 'prime'> & {
  /**
   * A run whose trades, orders and signals come back as columns (result-columns.ts), every buffer
   * transferred. Signals carry no trace (it is not computed): the page asks explain for the one it opens.
   */
  runColumns(task: EngineTask): ColumnarResult;
  /** The engine's prime (EngineService.prime) with its result as runColumns gives one, so the page warms its reading too. */
  prime(): ColumnarResult;
};

/** The service as a worker exposes it: run results and chart overlays leave the worker by transfer, not structured clone. */
export function withResultTransfer(service: EngineService): WorkerService {
  const asColumns = (result: RunResult): ColumnarResult => {
    const out = encodeResult(result);
    return transfer(out, [...resultTransferables(result), ...columnTransferables(out.columns)]);
  };
  return {
    ...service,
    run: (task) => {
      const result = service.run(task);
      return transfer(result, resultTransferables(result));
    },
    runColumns: (task) => asColumns(service.run({ ...task, audit: false, columns: true })),
    prime: () => asColumns(service.prime()),
    signalShare: (task) => {
      const out = service.signalShare(task);
      return out && transfer(out, shareTransferables([out]));
    },
    overlays: (...args) => {
      const out = service.overlays(...args);
      return transfer(out, overlayTransferables(out));
    },
  };
}
