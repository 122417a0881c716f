import { z } from 'zod';
import { BAR_FIELDS, type BarField } from './bars.ts';
import { NumberLikeSchema, ParamRefSchema, type NumberLike, type ParamRef } from './number.ts';
import { WindowSchema, type Window } from './window.ts';

/**
 * An expression: anything that is a number at a time. Bare numbers and {"$param"} are constants.
 * `asset` is a symbol from the universe, or "$asset" inside a universe rule (the candidate being
 * evaluated); omitted, it means the document's first universe symbol.
 */
export type Asset = string;

export type PriceSource = BarField;

export interface WindowedNode<K extends string> {
  kind: K;
  asset?: Asset;
  source?: PriceSource;
  window: Window;
}

export type IndicatorNode =
  | { kind: 'price'; asset?: Asset; field: BarField }
  | WindowedNode<'sma' | 'ema' | 'wma' | 'rsi' | 'stddev' | 'roc' | 'highest' | 'lowest'>
  | { kind: 'atr'; asset?: Asset; window: Window }
  | { kind: 'bollinger'; asset?: Asset; source?: PriceSource; window: Window; k?: NumberLike; band: 'upper' | 'middle' | 'lower' }
  | {
      kind: 'macd';
      asset?: Asset;
      source?: PriceSource;
      fast: Window;
      slow: Window;
      signal: Window;
      output: 'line' | 'signal' | 'histogram';
    }
  | { kind: 'lastOrderPrice'; asset?: Asset }
  | { kind: 'sinceSignal'; strategy?: string; unit: 'bars' | 'days' }
  | { kind: 'position'; asset?: Asset; field: 'quantity' | 'value' | 'weight' }
  | { kind: 'cash' }
  | { kind: 'equity' }
  | { kind: 'drawdown' }
  | { kind: 'series'; name: string; asset?: Asset; global?: boolean }
  | { kind: 'math'; op: '+' | '-' | '*' | '/'; args: Expr[] }
  | { kind: 'calendar'; field: CalendarField };

export const CALENDAR_FIELDS = [
  'dayOfWeek', // 0 = Sunday … 6 = Saturday, exchange time zone
  'dayOfMonth',
  'month', // 1 … 12
  'minuteOfDay', // minutes since local midnight
  'firstBarOfWeek', // 1 on the first bar of a new ISO week, else 0
  'firstBarOfMonth', // 1 on the first bar of a new month, else 0
] as const;
export type CalendarField = (typeof CALENDAR_FIELDS)[number];

export type Expr = number | ParamRef | IndicatorNode;

export const WINDOWED_KINDS = ['sma', 'ema', 'wma', 'rsi', 'stddev', 'roc', 'highest', 'lowest'] as const;

const asset = z.string().min(1, 'expected a symbol').optional();
const source = z.enum(BAR_FIELDS, { error: `expected one of ${BAR_FIELDS.join(', ')}` }).optional();

const windowed = WINDOWED_KINDS.map((k) =>
  z.strictObject({ kind: z.literal(k), asset, source, window: WindowSchema }),
);

export const ExprSchema: z.ZodType<Expr> = z.lazy(() =>
  z.union([NumberLikeSchema, IndicatorSchema], {
    error: 'expected a number, {"$param": name} or an indicator {"kind": …}',
  }),
);

export const IndicatorSchema: z.ZodType<IndicatorNode> = z.lazy(() =>
  z.discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('price'), asset, field: z.enum(BAR_FIELDS) }),
      ...windowed,
      z.strictObject({ kind: z.literal('atr'), asset, window: WindowSchema }),
      z.strictObject({
        kind: z.literal('bollinger'),
        asset,
        source,
        window: WindowSchema,
        k: NumberLikeSchema.optional(),
        band: z.enum(['upper', 'middle', 'lower']),
      }),
      z.strictObject({
        kind: z.literal('macd'),
        asset,
        source,
        fast: WindowSchema,
        slow: WindowSchema,
        signal: WindowSchema,
        output: z.enum(['line', 'signal', 'histogram']),
      }),
      z.strictObject({ kind: z.literal('lastOrderPrice'), asset }),
      z.strictObject({ kind: z.literal('sinceSignal'), strategy: z.string().optional(), unit: z.enum(['bars', 'days']) }),
      z.strictObject({ kind: z.literal('position'), asset, field: z.enum(['quantity', 'value', 'weight']) }),
      z.strictObject({ kind: z.literal('cash') }),
      z.strictObject({ kind: z.literal('equity') }),
      z.strictObject({ kind: z.literal('drawdown') }),
      z.strictObject({ kind: z.literal('series'), name: z.string().min(1), asset, global: z.boolean().optional() }),
      z.strictObject({ kind: z.literal('math'), op: z.enum(['+', '-', '*', '/']), args: z.array(ExprSchema).min(2, 'expected at least 2 operands') }),
      z.strictObject({ kind: z.literal('calendar'), field: z.enum(CALENDAR_FIELDS) }),
    ],
    { error: (iss) => (iss.code === 'invalid_union' ? `unknown indicator kind; expected one of ${INDICATOR_KINDS.join(', ')}` : undefined) },
  ),
);

export const INDICATOR_KINDS = [
  'price', ...WINDOWED_KINDS, 'atr', 'bollinger', 'macd', 'lastOrderPrice', 'sinceSignal', 'position',
  'cash', 'equity', 'drawdown', 'series', 'math', 'calendar',
] as const;

export { ParamRefSchema };
