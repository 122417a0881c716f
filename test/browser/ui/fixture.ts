import type { RunResult, Stats } from '../../../src/schema/index.ts';

const DAY = 86_400_000;
const t0 = Date.UTC(2024, 0, 2);
const days = [0, 1, 2, 3, 6, 7, 8, 9, 10, 13].map((d) => t0 + d * DAY);
const equity = [10000, 10100, 10250, 10050, 9900, 10200, 10600, 10500, 10900, 11234.5];
const benchmark = [10000, 10050, 10080, 10020, 10010, 10100, 10180, 10150, 10260, 10300];
let peak = -Infinity;
const drawdown = equity.map((e) => ((peak = Math.max(peak, e)), e / peak - 1));

const stats: Stats = {
  startTime: days[0]!,
  endTime: days[days.length - 1]!,
  durationDays: 11,
  initialEquity: 10000,
  finalEquity: 11234.5,
  peakEquity: 11234.5,
  totalReturnPct: 12.3456,
  buyHoldReturnPct: 3,
  buyHoldWholeReturnPct: 3,
  periodsPerYear: 252,
  returnPeriods: 9,
  annualReturnPct: 31.5,
  annualVolatilityPct: 18.25,
  cagrPct: 30.1,
  sharpe: 1.2345,
  sortino: 2.5,
  calmar: 4.1,
  maxDrawdownPct: -3.4146,
  avgDrawdownPct: -2.1,
  maxDrawdownDays: 42,
  avgDrawdownDays: 7.5,
  exposurePct: 80,
  tradeCount: 3,
  winRatePct: 66.6667,
  bestTradePct: 8.2,
  worstTradePct: -1.5,
  avgTradePct: 3.9,
  maxTradeDays: 6,
  avgTradeDays: 3,
  expectancyPct: 4.1,
  profitFactor: NaN,
  sqn: 1.1,
  kelly: 0.35,
  feesPaid: 61.25,
  turnover: 3.2,
  alphaPct: 9.5,
  beta: 0.8,
};

/** A small hand-made run: three trades, two signals (one crossing, one group with a false child), two orders. */
export const RESULT: RunResult = {
  engineVersion: 'fixture-1',
  stats,
  curves: {
    time: Float64Array.from(days),
    equity: Float64Array.from(equity),
    drawdown: Float64Array.from(drawdown),
    benchmark: Float64Array.from(benchmark),
  },
  trades: [
    { symbol: 'SPX', side: 'long', quantity: 2, entryTime: days[0]!, exitTime: days[2]!, entryPrice: 4700, exitPrice: 4790, pnl: 170.5, returnPct: 1.81, fees: 9.5, strategyId: 'long' },
    { symbol: 'SPX', side: 'short', quantity: 2, entryTime: days[2]!, exitTime: days[4]!, entryPrice: 4790, exitPrice: 4862, pnl: -154, returnPct: -1.5, fees: 10, strategyId: 'short' },
    { symbol: 'AAPL', side: 'long', quantity: 10, entryTime: days[4]!, exitTime: days[9]!, entryPrice: 180.25, exitPrice: 195, pnl: 1218, returnPct: 8.2, fees: 41.75, strategyId: 'long' },
  ],
  orders: [
    { id: 1, strategyId: 'long', symbol: 'SPX', side: 'buy', quantity: 2, createdTime: days[0]!, status: 'filled', fillTime: days[1]!, fillPrice: 4700, filledQuantity: 2, fees: 4.7, reason: null },
    { id: 2, strategyId: 'short', symbol: 'SPX', side: 'sell', quantity: 4, createdTime: days[2]!, status: 'filled', fillTime: days[3]!, fillPrice: 4789.5, filledQuantity: 4, fees: 9.6, reason: null },
  ],
  signals: [
    {
      time: days[0]!,
      strategyId: 'long',
      action: 'setWeight SPX 1',
      trace: { type: 'compare', op: 'crossesAbove', lhs: { label: 'SMA(10)', value: 101.25 }, rhs: { label: 'SMA(20)', value: 100.75 }, prevLhs: 99.5, prevRhs: 100.5, result: true },
      weights: [{ asset: 'SPX', weight: 1 }],
      orderIds: [1],
      message: null,
    },
    {
      time: days[2]!,
      strategyId: 'short',
      action: 'setWeight SPX -1',
      trace: {
        type: 'any',
        result: true,
        children: [
          { type: 'compare', op: '<', lhs: { label: 'RSI(14)', value: 72.5 }, rhs: { label: '30', value: 30 }, result: false },
          { type: 'compare', op: 'crossesBelow', lhs: { label: 'SMA(10)', value: 100.1 }, rhs: { label: 'SMA(20)', value: 100.2 }, result: true },
        ],
      },
      weights: null,
      orderIds: [2],
      message: 'reversal',
    },
  ],
  barCount: 30,
  eventCount: 10,
  warnings: ['2 bars missing for SPX'],
};
