import { unavailableReasons, type Stats } from '../../schema/index.ts';
import { GROUPS } from './stats-groups.ts';

/** A statistic the run cannot support shows "not available" and why (docs/STATISTICS.md). */
export function StatsTable({ stats }: { stats: Stats }) {
  const why = unavailableReasons(stats);
  return (
    <table className="grid stats">
      <caption>Statistics</caption>
      {GROUPS.map(([group, rows]) => (
        <tbody key={group}>
          <tr className="group">
            <th colSpan={2} scope="colgroup">{group}</th>
          </tr>
          {rows.map(([label, key, format]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              {why[key] !== undefined
                ? <td className="na">not available<span className="why"> ({why[key]})</span></td>
                : <td className={`n${typeof stats[key] === 'number' && stats[key] < 0 ? ' neg' : ''}`}>{format(stats[key])}</td>}
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}
