import { INDICATOR_KINDS, type IndicatorNode } from '../../schema/index.ts';

export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/** What the picker offers besides indicators: an inline number and a parameter reference. */
export type ExprChoice = 'constant' | 'parameter' | IndicatorKind;

export const EXPR_INFO: Record<ExprChoice, { label: string; help: string }> = {
  constant: { label: 'Number', help: 'a constant typed inline' },
  parameter: { label: 'Parameter', help: 'a named parameter ($name) that optimization varies' },
  price: { label: 'Price', help: 'open, high, low, close or volume of an asset' },
  sma: { label: 'SMA', help: 'simple moving average' },
  ema: { label: 'EMA', help: 'exponential moving average' },
  wma: { label: 'WMA', help: 'linearly weighted moving average' },
  rsi: { label: 'RSI', help: 'relative strength index (0–100)' },
  stddev: { label: 'Std dev', help: 'standard deviation over a window' },
  roc: { label: 'Rate of change', help: 'percent change over a window' },
  highest: { label: 'Highest', help: 'highest value over a window' },
  lowest: { label: 'Lowest', help: 'lowest value over a window' },
  atr: { label: 'ATR', help: 'average true range' },
  bollinger: { label: 'Bollinger band', help: 'upper, middle or lower band' },
  macd: { label: 'MACD', help: 'line, signal or histogram' },
  lastOrderPrice: { label: 'Last order price', help: 'fill price of the last order in an asset' },
  sinceSignal: { label: 'Time since signal', help: "bars or days since a strategy's last signal" },
  position: { label: 'Position', help: 'quantity, value or weight held in an asset' },
  cash: { label: 'Cash', help: 'cash in the portfolio' },
  equity: { label: 'Equity', help: 'cash plus marked positions' },
  drawdown: { label: 'Drawdown', help: 'fall from the running equity peak' },
  series: { label: 'Series', help: 'named external series: fundamental, economic, custom' },
  math: { label: 'Arithmetic', help: 'add, subtract, multiply or divide expressions' },
  calendar: { label: 'Calendar', help: 'day of week/month, month, minute of day, first bar of week/month' },
};

export const EXPR_CHOICES: readonly ExprChoice[] = ['constant', 'parameter', ...INDICATOR_KINDS];

export function defaultIndicator(kind: IndicatorKind): IndicatorNode {
  switch (kind) {
    case 'price':
      return { kind, field: 'close' };
    case 'sma':
    case 'ema':
    case 'wma':
    case 'stddev':
    case 'highest':
    case 'lowest':
      return { kind, window: { bars: 20 } };
    case 'rsi':
    case 'atr':
      return { kind, window: { bars: 14 } };
    case 'roc':
      return { kind, window: { bars: 10 } };
    case 'bollinger':
      return { kind, window: { bars: 20 }, k: 2, band: 'upper' };
    case 'macd':
      return { kind, fast: { bars: 12 }, slow: { bars: 26 }, signal: { bars: 9 }, output: 'line' };
    case 'lastOrderPrice':
    case 'cash':
    case 'equity':
    case 'drawdown':
      return { kind } as IndicatorNode;
    case 'sinceSignal':
      return { kind, unit: 'bars' };
    case 'position':
      return { kind, field: 'quantity' };
    case 'series':
      return { kind, name: 'marketCap' };
    case 'math':
      return { kind, op: '*', args: [1.02, { kind: 'sma', window: { bars: 20 } }] };
    case 'calendar':
      return { kind, field: 'dayOfWeek' };
  }
}
