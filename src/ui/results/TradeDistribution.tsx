import { useMemo } from 'react';
import type { Trade } from '../../schema/index.ts';
import { asTradeRows, type TradeRows } from '../../rpc/trade-rows.ts';
import { formatCount } from './format.ts';
import { histogram } from './report-math.ts';

// PAD_L holds a 5-character count ("1,234") at the phone font (styles.css: 18 units under 760 px).
const W = 640, H = 150, PAD_L = 60, PAD_B = 22;

const pct = (x: number) => `${Number(x.toFixed(6))} %`;

/** How trade returns are spread: a histogram, losses red and gains green, bins aligned on 0. */
export function TradeDistribution({ trades }: { trades: TradeRows | readonly Trade[] }) {
  const { h, n, wins } = useMemo(() => {
    const returns = Array.from(asTradeRows(trades).numbers('returnPct'));
    return { h: histogram(returns), n: returns.length, wins: returns.filter((r) => r > 0).length };
  }, [trades]);
  if (h.counts.length === 0) return null;
  const max = Math.max(...h.counts);
  const bw = (W - PAD_L) / h.counts.length;
  const every = Math.max(1, Math.ceil(h.counts.length / 8));
  return (
    <section aria-labelledby="h-dist" className="distribution">
      <h2 id="h-dist">Trade returns</h2>
      <p className="muted">
        {formatCount(n)} trades: {formatCount(wins)} gains, {formatCount(n - wins)} losses or flat; bins of {pct(h.width)}.
      </p>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W }} role="img"
        aria-label={`Histogram of ${n} trade returns from ${pct(h.edges[0]!)} to ${pct(h.edges[h.edges.length - 1]! + h.width)}`}>
        <line x1={PAD_L} x2={W} y1={H - PAD_B} y2={H - PAD_B} className="axis" />
        {/* Hanging from the top edge: a baseline at a fixed y clipped the count once phones enlarged the font. */}
        <text x={PAD_L - 4} y={0} textAnchor="end" dominantBaseline="text-before-edge" className="tick">{formatCount(max)}</text>
        <text x={PAD_L - 4} y={H - PAD_B} textAnchor="end" className="tick">0</text>
        {h.counts.map((c, i) => {
          const x = PAD_L + i * bw, bh = max ? (c / max) * (H - PAD_B - 6) : 0;
          const lo = h.edges[i]!;
          return (
            <g key={i}>
              <rect x={x + 1} y={H - PAD_B - bh} width={Math.max(1, bw - 2)} height={bh} className={lo < 0 ? 'loss' : 'gain'}>
                <title>{`${pct(lo)} to ${pct(lo + h.width)}: ${c} trade${c === 1 ? '' : 's'}`}</title>
              </rect>
              {i % every === 0 && <text x={x} y={H - 6} className="tick">{pct(lo)}</text>}
            </g>
          );
        })}
      </svg>
    </section>
  );
}
