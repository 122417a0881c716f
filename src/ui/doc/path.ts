import { formatPath } from '../../schema/index.ts';

export type PathSeg = string | number;
export type Path = readonly PathSeg[];

export { formatPath };

const SEG_RE = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([A-Za-z_$][A-Za-z0-9_$]*)/y;

/** Inverse of formatPath: `strategies[1].condition.all[0]` → ['strategies', 1, 'condition', 'all', 0]. */
export function parsePath(text: string): PathSeg[] {
  if (text === '(document)') return [];
  const out: PathSeg[] = [];
  SEG_RE.lastIndex = 0;
  while (SEG_RE.lastIndex < text.length) {
    const m = SEG_RE.exec(text);
    if (!m) break;
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

export function childPath(path: Path, ...segs: PathSeg[]): PathSeg[] {
  return [...path, ...segs];
}
