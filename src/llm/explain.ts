import { isParamRef, type Action, type Amount, type Condition, type Expr, type StrategyDocument, type Window } from '../schema/index.ts';

/**
 * The document in words, written from the validated document itself (not from what the model said about
 * it), so the explanation can never disagree with what will run.
 */
const OPS: Record<string, string> = {
  '>': 'is above', '>=': 'is at or above', '<': 'is below', '<=': 'is at or below', '=': 'equals', '!=': 'differs from',
  crossesAbove: 'crosses above', crossesBelow: 'crosses below',
};

function num(n: unknown): string {
  return isParamRef(n) ? `${n.$param}` : String(n);
}

function win(w: Window): string {
  return 'bars' in w ? `${num(w.bars)} bars` : w.duration;
}

function of(asset: string | undefined): string {
  return asset ? ` of ${asset === '$asset' ? 'each candidate' : asset}` : '';
}

export function exprText(e: Expr): string {
  if (typeof e === 'number' || isParamRef(e)) return num(e);
  switch (e.kind) {
    case 'price':
      return `${e.field}${of(e.asset)}`;
    case 'atr':
      return `ATR(${win(e.window)})${of(e.asset)}`;
    case 'bollinger':
      return `the ${e.band} Bollinger band (${win(e.window)}${e.k !== undefined ? `, k ${num(e.k)}` : ''})${of(e.asset)}`;
    case 'macd':
      return `the MACD ${e.output} (${win(e.fast)}/${win(e.slow)}/${win(e.signal)})${of(e.asset)}`;
    case 'lastOrderPrice':
      return `the last order price${of(e.asset)}`;
    case 'sinceSignal':
      return `${e.unit} since ${e.strategy ? `rule "${e.strategy}"` : 'this rule'} last fired`;
    case 'position':
      return `the position ${e.field}${of(e.asset)}`;
    case 'cash':
    case 'equity':
    case 'drawdown':
      return e.kind;
    case 'series':
      return `the "${e.name}" series${e.global ? '' : of(e.asset)}`;
    case 'math':
      return `(${e.args.map(exprText).join(` ${e.op === '*' ? '×' : e.op === '/' ? '÷' : e.op} `)})`;
    case 'calendar':
      return e.field;
    default:
      return `${e.kind.toUpperCase()}(${win(e.window)}${e.source && e.source !== 'close' ? ` of ${e.source}` : ''})${of(e.asset)}`;
  }
}

export function conditionText(c: Condition): string {
  if ('op' in c) return `${exprText(c.lhs)} ${OPS[c.op] ?? c.op} ${exprText(c.rhs)}`;
  if ('all' in c) return c.all.length === 1 ? conditionText(c.all[0]!) : `all of (${c.all.map(conditionText).join('; ')})`;
  if ('any' in c) return c.any.length === 1 ? conditionText(c.any[0]!) : `any of (${c.any.map(conditionText).join('; ')})`;
  if ('not' in c) return `not (${conditionText(c.not)})`;
  if ('atLeast' in c) return `at least ${num(c.atLeast)} of (${c.of.map(conditionText).join('; ')})`;
  return `at most ${num(c.atMost)} of (${c.of.map(conditionText).join('; ')})`;
}

function amountText(a: Amount): string {
  switch (a.unit) {
    case 'all':
      return 'everything available';
    case 'cash':
      return `${num(a.value)} in cash`;
    case 'quantity':
      return `${num(a.value)} units`;
    case 'percentOfCash':
      return `${num(a.value)}% of cash`;
    case 'percentOfEquity':
      return `${num(a.value)}% of equity`;
    case 'percentOfPosition':
      return `${num(a.value)}% of the position`;
  }
}

export function actionText(a: Action, first: string): string {
  switch (a.type) {
    case 'buy':
    case 'sell':
      return `${a.type} ${a.asset ?? first} with ${amountText(a.amount)}`;
    case 'setWeight':
      return `set ${a.asset ?? first} to weight ${num(a.weight)}`;
    case 'closeAll':
      return 'close every position';
    case 'alert':
      return `record the alert "${a.message}"`;
    case 'rebalance':
      if ('weights' in a) return `rebalance to ${a.weights.map((w) => `${w.asset} ${num(w.weight)}`).join(', ')}`;
      {
        const u = a.universe;
        const parts = [`from ${u.candidates.join(', ')}`];
        if (u.filter) parts.push(`keep those where ${conditionText(u.filter)}`);
        if (u.sort) parts.push(`rank by ${exprText(u.sort.by)} (${u.sort.order === 'desc' ? 'highest' : 'lowest'} first)`);
        if (u.limit !== undefined) parts.push(`hold the top ${num(u.limit)}`);
        parts.push(`weighted ${u.weighting.kind === 'equal' ? 'equally' : u.weighting.kind === 'proportional' ? `by ${exprText(u.weighting.by)}` : `by inverse volatility over ${win(u.weighting.window)}`}`);
        return `rebalance: ${parts.join(', ')}`;
      }
  }
}

/** One line per rule plus the settings that matter: "Rule "Enter long": when SMA(10 bars) crosses above …, buy SPX with …". */
export function explainDocument(doc: StrategyDocument): string[] {
  const s = doc.settings;
  const first = s.universe[0]!;
  const lines = [
    `Trades ${s.universe.join(', ')} on ${s.timeframe} bars from ${s.initialCash.toLocaleString('en-US')} in cash${s.allowShort ? ', shorting allowed' : ''}${s.range?.from || s.range?.to ? `, ${s.range.from ?? 'start'} to ${s.range.to ?? 'end'}` : ''}.`,
  ];
  for (const st of doc.strategies) {
    lines.push(`Rule "${st.name}": ${st.condition ? `when ${conditionText(st.condition)}, ` : 'on every bar, '}${actionText(st.action, first)}.`);
  }
  for (const [name, p] of Object.entries(doc.parameters)) {
    const range = p.min !== undefined && p.max !== undefined ? ` (tunable ${p.min}–${p.max})` : '';
    lines.push(`Parameter ${name} = ${p.default}${range}${p.description ? `: ${p.description}` : ''}.`);
  }
  return lines;
}
