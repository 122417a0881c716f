/**
 * The streaming indicator library: classes, and `createIndicator` for the strategy compiler, which holds
 * plain descriptors (from the strategy document) rather than classes. Conventions: CONVENTIONS.md.
 */
import { unreachable } from '../lib/assert.ts';
import { ATR, type AtrFirstBar } from './atr.ts';
import { Bollinger } from './bollinger.ts';
import { EMA, type EmaSeed } from './ema.ts';
import { Highest } from './highest.ts';
import { Lowest } from './lowest.ts';
import { MACD } from './macd.ts';
import { ROC } from './roc.ts';
import { RSI } from './rsi.ts';
import { SMA } from './sma.ts';
import { StdDev } from './stddev.ts';
import type { Indicator, WindowSpec } from './types.ts';
import { WMA } from './wma.ts';

export type { Indicator, WindowSpec } from './types.ts';
export type { AtrFirstBar, EmaSeed };
export { ATR, Bollinger, EMA, Highest, Lowest, MACD, ROC, RSI, SMA, StdDev, WMA };
export { BAR_MEAN_STATE, barMeanRange, emaColumn, exerciseRangeKernels, meanColumn, primeRangeKernels, rsiColumn, rsiRange, rsiState, smaColumn, sumsColumns, type SumsOutputs } from './columns.ts';

/** A plain, serializable description of one indicator. */
export type IndicatorSpec =
  | { readonly kind: 'sma' | 'wma' | 'rsi' | 'stddev' | 'roc' | 'highest' | 'lowest'; readonly window: WindowSpec }
  | { readonly kind: 'ema'; readonly window: WindowSpec; readonly seed?: EmaSeed }
  | { readonly kind: 'atr'; readonly window: WindowSpec; readonly firstBar?: AtrFirstBar }
  | { readonly kind: 'bollinger'; readonly window: WindowSpec; readonly k?: number }
  | {
      readonly kind: 'macd';
      readonly fast: WindowSpec;
      readonly slow: WindowSpec;
      readonly signal: WindowSpec;
      readonly seed?: EmaSeed;
    };

export type IndicatorKind = IndicatorSpec['kind'];

interface ClassOf {
  sma: SMA;
  ema: EMA;
  wma: WMA;
  rsi: RSI;
  bollinger: Bollinger;
  macd: MACD;
  atr: ATR;
  stddev: StdDev;
  roc: ROC;
  highest: Highest;
  lowest: Lowest;
}

/** The class `createIndicator` returns for a spec, so multi-output fields stay typed. */
export type IndicatorFor<S extends IndicatorSpec> = ClassOf[S['kind']];

export function createIndicator<S extends IndicatorSpec>(spec: S): IndicatorFor<S>;
export function createIndicator(spec: IndicatorSpec): Indicator {
  switch (spec.kind) {
    case 'sma': return new SMA(spec.window);
    case 'ema': return new EMA(spec.window, spec.seed);
    case 'wma': return new WMA(spec.window);
    case 'rsi': return new RSI(spec.window);
    case 'bollinger': return new Bollinger(spec.window, spec.k);
    case 'macd': return new MACD(spec.fast, spec.slow, spec.signal, spec.seed);
    case 'atr': return new ATR(spec.window, spec.firstBar);
    case 'stddev': return new StdDev(spec.window);
    case 'roc': return new ROC(spec.window);
    case 'highest': return new Highest(spec.window);
    case 'lowest': return new Lowest(spec.window);
    default: return unreachable(spec, 'indicator spec');
  }
}
