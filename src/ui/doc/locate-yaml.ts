import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { Path } from './path.ts';

/** The YAML counterpart of locateJson: offset of the key (map) or item (sequence), or the deepest existing part. */
export function locateYaml(text: string, path: Path): number {
  const doc = parseDocument(text);
  let node: unknown = doc.contents;
  let found = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === seg);
      if (!pair) break;
      found = (pair.key as Node).range?.[0] ?? found;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      found = item.range?.[0] ?? found;
      node = item;
    } else break;
  }
  return found;
}
