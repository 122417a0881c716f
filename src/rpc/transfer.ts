import { transfer } from 'comlink';
import type { RunResult } from '../schema/results.ts';
import type { AssetOverlay, EngineService } from '../engine/service.ts';

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
    for (const a of [o.time, o.open, o.high, o.low, o.close, ...o.lines.map((l) => l.values)]) {
      if (a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) out.add(a.buffer);
    }
  }
  return [...out];
}

/** The service as a worker exposes it: run results and chart overlays leave the worker by transfer, not structured clone. */
export function withResultTransfer(service: EngineService): EngineService {
  return {
    ...service,
    run: (task) => {
      const result = service.run(task);
      return transfer(result, resultTransferables(result));
    },
    overlays: (...args) => {
      const out = service.overlays(...args);
      return transfer(out, overlayTransferables(out));
    },
  };
}
