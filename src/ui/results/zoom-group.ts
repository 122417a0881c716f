import type uPlot from 'uplot';

/**
 * Charts that show one time range: zooming any of them (drag, or double-click to reset) zooms the others
 * to the same span of time. Members may map x differently (a compressed price axis counts bars, the equity
 * chart counts seconds), so the group's range is kept in seconds and each member converts it.
 */
export interface ZoomMember {
  u: uPlot;
  /** x value → epoch seconds. */
  toTime(x: number): number;
  /** epoch seconds → x value. */
  fromTime(t: number): number;
}

interface Group {
  members: Set<ZoomMember>;
  /** The zoomed span in seconds; null when the members show all their data. */
  range: [number, number] | null;
}

const groups = new Map<string, Group>();
/** Set while a change is applied to the other members, so their hooks do not echo it back. */
let applying = false;

export const timeAxis = (u: uPlot): ZoomMember => ({ u, toTime: (x) => x, fromTime: (t) => t });

function fullRange(u: uPlot): [number, number] | null {
  const xs = u.data[0];
  return xs.length > 0 ? [xs[0]!, xs[xs.length - 1]!] : null;
}

function show(m: ZoomMember, range: [number, number] | null) {
  const r = range ? [m.fromTime(range[0]), m.fromTime(range[1])] : fullRange(m.u);
  if (!r || !(r[1]! > r[0]!)) return;
  const x = m.u.scales.x;
  if (x?.min === r[0] && x?.max === r[1]) return;
  m.u.setScale('x', { min: r[0]!, max: r[1]! });
}

/** Adds a chart to a group; a chart built while the group is zoomed opens at the group's range. Returns the leave function. */
export function joinZoom(key: string, member: ZoomMember): () => void {
  let g = groups.get(key);
  if (!g) groups.set(key, (g = { members: new Set(), range: null }));
  g.members.add(member);
  if (g.range) {
    applying = true;
    try { show(member, g.range); } finally { applying = false; }
  }
  const group = g;
  return () => {
    group.members.delete(member);
    // Charts rebuilt together (the axis mode switched) leave and rejoin in one commit: keep their range until then.
    queueMicrotask(() => { if (group.members.size === 0 && groups.get(key) === group) groups.delete(key); });
  };
}

/** The x scale of a member changed (uPlot's setScale hook): the rest of the group follows. */
export function zoomChanged(key: string, member: ZoomMember): void {
  const g = groups.get(key);
  // uPlot sets every scale while it builds a chart: that is not a zoom (status 1 = built).
  if (applying || !g || !g.members.has(member) || member.u.status !== 1) return;
  const x = member.u.scales.x;
  if (x?.min == null || x.max == null) return;
  const full = fullRange(member.u);
  const all = full !== null && x.min <= full[0] && x.max >= full[1];
  g.range = all ? null : [member.toTime(x.min), member.toTime(x.max)];
  applying = true;
  try {
    for (const m of g.members) if (m !== member) show(m, g.range);
  } finally {
    applying = false;
  }
}

/** The group's zoomed span in seconds (null: not zoomed). For tests and for charts that draw their own ranges. */
export function zoomRange(key: string): [number, number] | null {
  return groups.get(key)?.range ?? null;
}
