import type { StoredRun } from './run-store.ts';

/** The name a run is listed and compared under: the user's label, else the document's name. */
export const runName = (r: StoredRun) => r.label ?? r.name;

/** At most this many differences are spelled out; the rest read "+N more". */
const MAX_SHOWN = 3;

type Facts = Map<string, string>;

/** Every leaf of `v` by its dotted path ("fees.fraction" → "0.001"); arrays read as one value ("SPY, QQQ"). */
function leaves(v: unknown, path: string, out: Facts): Facts {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) leaves(x, path ? `${path}.${k}` : k, out);
  } else if (v !== undefined) {
    out.set(path, Array.isArray(v) ? v.join(', ') : String(v));
  }
  return out;
}

/** Parameter defaults first (what a user varies most), then every setting by its path. */
function facts(r: StoredRun): Facts {
  const out: Facts = new Map(Object.entries(r.doc.parameters).map(([k, p]) => [k, String(p.default)]));
  return leaves(r.doc.settings, '', out);
}

const finished = (r: StoredRun) => `run ${new Date(r.time).toLocaleString()}`;

/** "fast 5, fees.fraction 0.002" for the facts whose value is not the same in every run of the group. */
function differences(group: readonly StoredRun[]): string[] {
  const all = group.map(facts);
  const keys = [...new Set(all.flatMap((f) => [...f.keys()]))]
    .filter((k) => new Set(all.map((f) => f.get(k) ?? '—')).size > 1);
  const shown = keys.slice(0, MAX_SHOWN), more = keys.length - shown.length;
  return all.map((f) => shown.map((k) => `${k} ${f.get(k) ?? '—'}`).join(', ') + (more > 0 ? `, +${more} more` : ''));
}

/**
 * What tells each run apart from the others listed under the same name (`nameOf`), or nothing when its name is
 * unique. Two runs of one document with other parameters both read "SMA crossover (10/20)"; they are told apart
 * by the parameter values and settings (fees, range, cash…) that differ; runs that still read alike (the same
 * document and settings, another engine version or other data) also say when each finished.
 */
export function runDifferences(runs: readonly StoredRun[], nameOf: (r: StoredRun) => string = runName): Map<string, string> {
  const groups = new Map<string, StoredRun[]>();
  for (const r of runs) groups.set(nameOf(r), [...(groups.get(nameOf(r)) ?? []), r]);
  const out = new Map<string, string>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const diff = differences(group);
    const seen = new Map<string, number>();
    for (const d of diff) seen.set(d, (seen.get(d) ?? 0) + 1);
    group.forEach((r, i) => {
      const d = diff[i]!;
      out.set(r.id, seen.get(d)! > 1 ? (d ? `${d}, ${finished(r)}` : finished(r)) : d);
    });
  }
  return out;
}

/** A run's name with what tells it apart, when something must: "SMA crossover (10/20) · fast 5". */
export function distinctName(r: StoredRun, differences: ReadonlyMap<string, string>): string {
  const d = differences.get(r.id);
  return d ? `${runName(r)} · ${d}` : runName(r);
}
