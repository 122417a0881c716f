import { daysInMonth } from '../../lib/civil.ts';
import { DIVIDEND_MAX, sortActions, SPLIT_MAX, SPLIT_MIN, type CorporateAction, type CorporateActionType } from '../../schema/actions.ts';
import { normalizeName } from './detect.ts';
import { ImportError } from './report.ts';

/**
 * The corporate-actions CSV (docs/ENGINE.md, "Corporate actions"): a header naming four columns in any order,
 * then one action per line.
 *
 *     symbol,date,type,value
 *     AAPL,2020-08-31,split,4
 *     AAPL,2020-08-07,dividend,0.82
 *
 * date is the ex-date (YYYY-MM-DD); type is split or dividend; a split's value is new shares per old share
 * (4, or 4:1 / 4/1; a 1-for-10 reverse split is 0.1 or 1:10), a dividend's is cash per share. Header aliases:
 * ticker; exdate / ex_date; action / kind; ratio / amount.
 *
 * Unlike bars, a bad line rejects the whole file: a split silently dropped turns every later price into a
 * crash or a jump, so nothing is half-imported. The error lists every problem as file:line:column.
 */

export interface ActionProblem {
  line: number;
  /** 1-based column and its header name; absent for a problem of the whole line. */
  column?: number;
  field?: string;
  message: string;
}

export class ActionsImportError extends ImportError {
  override name = 'ActionsImportError';
  constructor(readonly file: string, readonly problems: readonly ActionProblem[]) {
    super(describeProblems(file, problems));
  }
}

/** Problems shown in an error message (the list itself keeps them all). */
const SHOWN = 20;
/** An actions file is a few kilobytes per symbol; anything this large is the wrong file. */
export const MAX_ACTIONS_BYTES = 16 << 20;

export function describeProblems(file: string, problems: readonly ActionProblem[]): string {
  const lines = problems.slice(0, SHOWN).map((p) => `${file}:${p.line}${p.column ? `:${p.column}` : ''}${p.field ? ` (${p.field})` : ''}: ${p.message}`);
  const more = problems.length > SHOWN ? `\n… and ${problems.length - SHOWN} more` : '';
  return `${problems.length} problem${problems.length === 1 ? '' : 's'} in corporate actions ${file}; nothing was imported:\n${lines.join('\n')}${more}`;
}

const COLUMNS = {
  symbol: ['symbol', 'ticker'],
  date: ['date', 'exdate'],
  type: ['type', 'action', 'kind'],
  value: ['value', 'ratio', 'amount'],
} as const;
type Column = keyof typeof COLUMNS;

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const RATIO_RE = /^(\d+\.?\d*|\.\d+)\s*[:/]\s*(\d+\.?\d*|\.\d+)$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SYMBOL_RE = /^[^$\s"]+$/;

/** Splits one line on `d`; double quotes protect delimiters and are removed. */
function splitLine(line: string, d: string): string[] {
  const out: string[] = [];
  let cur = '', quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === d && !quoted) { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}

/** YYYY-MM-DD between 1800 and 2199 as 00:00 UTC ms, else NaN. */
export function parseExDate(text: string): number {
  const m = DATE_RE.exec(text);
  if (!m) return NaN;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (y < 1800 || y >= 2200 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NaN;
  return Date.UTC(y, mo - 1, d);
}

/** A split ratio: a number, or new:old / new/old. NaN when it is neither. */
export function parseSplitRatio(text: string): number {
  if (NUMBER_RE.test(text)) return Number(text);
  const m = RATIO_RE.exec(text);
  return m ? Number(m[1]) / Number(m[2]) : NaN;
}

/** Parses a corporate-actions CSV; throws ActionsImportError listing every problem (file:line:column). */
export function parseActions(text: string, file = 'actions.csv'): CorporateAction[] {
  if (text.length > MAX_ACTIONS_BYTES) throw new ActionsImportError(file, [{ line: 1, message: `${text.length} characters is too large for a corporate-actions file (limit ${MAX_ACTIONS_BYTES})` }]);
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const problems: ActionProblem[] = [];
  let at = 0;
  while (at < lines.length && lines[at]!.trim() === '') at++;
  if (at === lines.length) throw new ActionsImportError(file, [{ line: 1, message: 'the file is empty; expected a header symbol,date,type,value' }]);
  const header = lines[at]!.replace(/\r$/, '');
  const delimiter = [',', ';', '\t'].reduce((best, d) => (header.split(d).length > header.split(best).length ? d : best), ',');
  const names = splitLine(header, delimiter);
  const norm = names.map(normalizeName);
  const index = {} as Record<Column, number>;
  for (const col of Object.keys(COLUMNS) as Column[]) {
    index[col] = norm.findIndex((n) => (COLUMNS[col] as readonly string[]).includes(n));
    if (index[col] < 0) problems.push({ line: at + 1, message: `the header has no "${col}" column (accepted: ${COLUMNS[col].join(', ')}); it reads: ${header.slice(0, 120)}` });
  }
  if (problems.length > 0) throw new ActionsImportError(file, problems);
  const out: CorporateAction[] = [];
  const seen = new Map<string, number>();
  const need = Math.max(index.symbol, index.date, index.type, index.value) + 1;
  for (let i = at + 1; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '') continue;
    const line = i + 1;
    const f = splitLine(raw, delimiter);
    if (f.length < need) {
      problems.push({ line, message: `expected ${need} fields, found ${f.length}: ${raw.slice(0, 80)}` });
      continue;
    }
    const bad = (col: Column, message: string) => problems.push({ line, column: index[col] + 1, field: names[index[col]]!, message });
    const symbol = f[index.symbol]!;
    const dateText = f[index.date]!;
    const typeText = f[index.type]!.toLowerCase();
    const valueText = f[index.value]!;
    const before = problems.length;
    if (!SYMBOL_RE.test(symbol) || symbol.length > 32) bad('symbol', symbol === '' ? 'the symbol is empty' : `"${symbol.slice(0, 40)}" is not a symbol (no spaces or quotes, does not start with $, at most 32 characters)`);
    const exDate = parseExDate(dateText);
    if (Number.isNaN(exDate)) bad('date', `"${dateText.slice(0, 40)}" is not an ex-date like 2020-08-31 (a real date from 1800 to 2199)`);
    let type: CorporateActionType | null = null;
    if (typeText === 'split' || typeText === 'dividend') type = typeText;
    else bad('type', `"${f[index.type]!.slice(0, 40)}" is not an action type: expected split or dividend`);
    let value = NaN;
    if (type === 'split') {
      value = parseSplitRatio(valueText);
      if (!(value >= SPLIT_MIN && value <= SPLIT_MAX)) bad('value', `"${valueText.slice(0, 40)}" is not a split ratio: new shares per old share, like 2 or 2:1 (1-for-10 reverse: 0.1 or 1:10), between ${SPLIT_MIN} and ${SPLIT_MAX}`);
      else if (value === 1) bad('value', 'a split ratio of 1 changes nothing');
    } else if (type === 'dividend') {
      value = NUMBER_RE.test(valueText) ? Number(valueText) : NaN;
      if (!(value > 0 && value <= DIVIDEND_MAX)) bad('value', `"${valueText.slice(0, 40)}" is not a cash dividend per share: a number above 0 and at most ${DIVIDEND_MAX}`);
    }
    if (problems.length > before || type === null) continue;
    const key = `${symbol}|${exDate}|${type}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ line, message: `a second ${type} of ${symbol} on ${dateText} (line ${first} has one): combine them into one line` });
      continue;
    }
    seen.set(key, line);
    out.push({ symbol, exDate, type, value });
  }
  if (problems.length > 0) throw new ActionsImportError(file, problems);
  return sortActions(out);
}

/** Per symbol: how many actions and the ex-date range, for listings and CLI notes. */
export function summarizeActions(list: readonly CorporateAction[]): { symbol: string; splits: number; dividends: number; from: number; to: number }[] {
  const by = new Map<string, { symbol: string; splits: number; dividends: number; from: number; to: number }>();
  for (const a of list) {
    let s = by.get(a.symbol);
    if (!s) by.set(a.symbol, (s = { symbol: a.symbol, splits: 0, dividends: 0, from: a.exDate, to: a.exDate }));
    if (a.type === 'split') s.splits++;
    else s.dividends++;
    s.from = Math.min(s.from, a.exDate);
    s.to = Math.max(s.to, a.exDate);
  }
  return [...by.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
}
