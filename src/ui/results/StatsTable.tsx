import { unavailableReasons, type Stats } from '../../schema/index.ts';
import { statisticHref } from '../docs/links.ts';
import { STAT_HELP } from './stat-help.ts';
import { GROUPS } from './stats-groups.ts';

/**
 * A cell after the value with a tooltip (hover or keyboard focus) saying what the statistic measures and a link
 * to its formula in the in-app docs. The link is the focus target, so the tooltip is reachable without a mouse;
 * it has its own cell so the row header and the value read exactly as before.
 */
function StatHelp({ label, statKey }: { label: string; statKey: string }) {
  const help = STAT_HELP[statKey as keyof typeof STAT_HELP];
  if (!help) return <td />;
  const id = `stat-help-${statKey}`;
  return (
    <td className="stat-label">
      <a className="stat-help" href={statisticHref(statKey)} aria-describedby={id} aria-label={`${label}: formula`}>?</a>
      <span className="stat-tip" role="tooltip" id={id}>{help} <span className="stat-tip-link">Click ? for the formula.</span></span>
    </td>
  );
}

/** A statistic the run cannot support shows "not available" and why (docs/STATISTICS.md). */
export function StatsTable({ stats }: { stats: Stats }) {
  const why = unavailableReasons(stats);
  return (
    <table className="grid stats">
      <caption>Statistics</caption>
      {GROUPS.map(([group, rows]) => (
        <tbody key={group}>
          <tr className="group">
            <th colSpan={3} scope="colgroup">{group}</th>
          </tr>
          {rows.map(([label, key, format]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              {why[key] !== undefined
                ? <td className="na">not available<span className="why"> ({why[key]})</span></td>
                : <td className={`n${typeof stats[key] === 'number' && stats[key] < 0 ? ' neg' : ''}`}>{format(stats[key])}</td>}
              <StatHelp label={label} statKey={key} />
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}
