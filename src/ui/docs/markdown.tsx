import type { ReactNode } from 'react';
import { ScrollRegion } from '../shell/ScrollRegion.tsx';

/**
 * A small Markdown renderer for the app's own docs (docs/*.md, shipped in a lazy chunk): headings, paragraphs,
 * numbered and bulleted lists, pipe tables, `code`, **bold**, *italic* and [links](…). It builds React
 * elements (never HTML strings), so nothing in a doc can inject markup. Anchors: headings get a slug id; a
 * table row whose first cell names `keys` gets `anchorPrefix + key` for each, the last row naming a key
 * winning (the docs define a statistic after listing it among the inputs).
 */
export interface RenderOptions {
  anchorPrefix: string;
}

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'table'; head: string[]; rows: string[][] };

export function slug(text: string): string {
  return text.toLowerCase().replace(/[`*]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Cells of a pipe-table line; `\|` is a literal bar inside a cell. */
function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

export function parseBlocks(md: string): Block[] {
  const lines = md.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') { i++; continue; }
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) { blocks.push({ kind: 'heading', level: h[1]!.length, text: h[2]!.trim() }); i++; continue; }
    if (line.trimStart().startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i]!.trimStart().startsWith('|')) rows.push(cells(lines[i++]!));
      const [head = [], sep, ...body] = rows;
      const isSep = sep?.every((c) => /^:?-+:?$/.test(c));
      blocks.push({ kind: 'table', head, rows: isSep ? body : rows.slice(1) });
      continue;
    }
    const item = /^(\d+\.|[-*])\s+(.*)$/.exec(line);
    if (item) {
      const ordered = /\d/.test(item[1]!);
      const items: string[] = [];
      while (i < lines.length) {
        const m = /^(\d+\.|[-*])\s+(.*)$/.exec(lines[i]!);
        if (m) { items.push(m[2]!); i++; continue; }
        // Continuation lines are indented under their item.
        if (/^\s{2,}\S/.test(lines[i]!) && items.length) { items[items.length - 1] += ` ${lines[i]!.trim()}`; i++; continue; }
        break;
      }
      blocks.push({ kind: 'list', ordered, items });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !/^(#{1,6}\s|\s*\||\d+\.\s|[-*]\s)/.test(lines[i]!)) para.push(lines[i++]!.trim());
    blocks.push({ kind: 'paragraph', text: para.join(' ') });
  }
  return blocks;
}

const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|\*[^*\s][^*]*\*|\[[^\]]+\]\([^)\s]+\))/g;

/** Links stay inside the app or on http(s); anything else (javascript:, data:) renders as text. */
function safeHref(href: string): string | null {
  return /^(https?:\/\/|#)/.test(href) ? href : null;
}

export function inline(text: string): ReactNode[] {
  return text.split(INLINE).filter((s) => s !== '').map((s, k) => {
    if (s.startsWith('`') && s.endsWith('`') && s.length > 1) return <code key={k}>{s.slice(1, -1)}</code>;
    if (s.startsWith('**') && s.endsWith('**') && s.length > 4) return <strong key={k}>{inline(s.slice(2, -2))}</strong>;
    const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(s);
    if (link) {
      const href = safeHref(link[2]!);
      return href ? <a key={k} href={href}>{inline(link[1]!)}</a> : <span key={k}>{link[1]}</span>;
    }
    if (s.startsWith('*') && s.endsWith('*') && s.length > 2) return <em key={k}>{inline(s.slice(1, -1))}</em>;
    return s;
  });
}

/** `a`, `b` in a first cell → ["a", "b"] (a call such as `dayKey(time)` names no statistic). */
function keysOf(cell: string): string[] {
  return [...cell.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((m) => m[1]!);
}

export function renderMarkdown(md: string, opts: RenderOptions): ReactNode[] {
  const blocks = parseBlocks(md);
  // The last row naming a key holds its anchor.
  const owner = new Map<string, string>();
  blocks.forEach((b, bi) => {
    if (b.kind === 'table') b.rows.forEach((r, ri) => keysOf(r[0] ?? '').forEach((k) => owner.set(k, `${bi}:${ri}`)));
  });
  return blocks.map((b, bi) => {
    switch (b.kind) {
      case 'heading': {
        const Tag = `h${Math.min(6, b.level + 1)}` as 'h2';
        return <Tag key={bi} id={`${opts.anchorPrefix}${slug(b.text)}`}>{inline(b.text)}</Tag>;
      }
      case 'paragraph': return <p key={bi}>{inline(b.text)}</p>;
      case 'list': {
        const items = b.items.map((it, k) => <li key={k}>{inline(it)}</li>);
        return b.ordered ? <ol key={bi}>{items}</ol> : <ul key={bi}>{items}</ul>;
      }
      case 'table':
        return (
          <ScrollRegion key={bi} label={`Table: ${b.head.join(', ').replace(/[`*_]/g, '')}`}>
            <table className="grid doc-table">
              <thead><tr>{b.head.map((c, k) => <th key={k} scope="col">{inline(c)}</th>)}</tr></thead>
              <tbody>
                {b.rows.map((r, ri) => {
                  const ids = keysOf(r[0] ?? '').filter((k) => owner.get(k) === `${bi}:${ri}`);
                  return (
                    <tr key={ri} id={ids[0] !== undefined ? `${opts.anchorPrefix}${ids[0]}` : undefined}>
                      {r.map((c, k) => (k === 0
                        ? <th key={k} scope="row">{ids.slice(1).map((id) => <span key={id} id={`${opts.anchorPrefix}${id}`} />)}{inline(c)}</th>
                        : <td key={k}>{inline(c)}</td>))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollRegion>
        );
    }
  });
}
