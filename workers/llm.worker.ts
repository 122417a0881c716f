/** Plain-English worker: model calls, validation and retries off the page's thread (src/llm/service.ts). */
import { expose } from 'comlink';
import { EMBEDDED } from '../src/data/embedded/parse.ts';
import { createLlmService } from '../src/llm/service.ts';

expose(createLlmService({
  symbols: [EMBEDDED.sp500.symbol, ...EMBEDDED.stocks.symbols],
  timeframes: { [EMBEDDED.sp500.symbol]: [EMBEDDED.sp500.timeframe], ...Object.fromEntries(EMBEDDED.stocks.symbols.map((s) => [s, [EMBEDDED.stocks.timeframe]])) },
}));
