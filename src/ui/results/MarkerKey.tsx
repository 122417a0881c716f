import { LANES, MARK_COLORS, type TradeMarks } from './trade-marks.ts';

const SHAPES = ['▲', '▼', '▽', '△'];

/** What the chart's markers mean, with how many of each this symbol has (only kinds that occur), and how to use the chart. */
export function MarkerKey({ marks, sampled }: { marks: TradeMarks; sampled?: string | undefined }) {
  const lanes = LANES.map((_, lane) => marks.order[lane]!.length);
  const colors = new Map<number, number>();
  for (let i = 0; i < marks.color.length; i++) if (marks.lane[i]! >= 2) colors.set(marks.color[i]!, (colors.get(marks.color[i]!) ?? 0) + 1);
  const how = `Click a bar to see why it traded${sampled ? ` (${sampled})` : ''}.`;
  if (marks.x.length === 0) return <p className="marker-key muted">No trades in this symbol. {how}</p>;
  return (
    <ul className="marker-key" aria-label="Marker key">
      {LANES.map((l, lane) => lanes[lane]! > 0 && (
        <li key={l.label}>
          <span aria-hidden="true" className="shape" style={{ color: lane < 2 ? `var(${MARK_COLORS[lane]!.cssVar})` : undefined }}>{SHAPES[lane]}</span>{' '}
          {l.label} ({lanes[lane]})
        </li>
      ))}
      {[...colors].sort((a, b) => a[0] - b[0]).map(([c, n]) => (
        <li key={c}>
          <span aria-hidden="true" className="swatch" style={{ background: `var(${MARK_COLORS[c]!.cssVar})` }} /> exit by {MARK_COLORS[c]!.label} ({n})
        </li>
      ))}
      <li className="muted">{how} Markers sit below (buys) or above (sells) the bars; a merged one shows a count, click it to list its trades.</li>
    </ul>
  );
}
