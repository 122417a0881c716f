/**
 * Regression (issue 16 wave 4 screenshot at 390 px): phones enlarge the histogram's labels (styles.css), and the top
 * count, drawn on a baseline at y = 10 for a 10-unit font, was clipped by the top edge of the SVG.
 */
import { afterEach, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import type { Trade } from '../../../src/schema/index.ts';
import { TradeDistribution } from '../../../src/ui/results/TradeDistribution.tsx';
import '../../../src/ui/styles.css';
import { cleanup, render } from './render.tsx';

afterEach(cleanup);

const trade = (returnPct: number): Trade => ({
  symbol: 'SPX', side: 'long', quantity: 1, entryTime: 0, exitTime: 1, entryPrice: 100,
  exitPrice: 100 + returnPct, pnl: returnPct, returnPct, fees: 0, strategyId: 's',
});
// 1,234 trades in one bin (a five-character count, the widest label) and a spread of −12 % … +9 % around it.
const TRADES = [...Array.from({ length: 1234 }, () => trade(0.2)), ...Array.from({ length: 40 }, (_, i) => trade(-12 + i * 0.53))];

for (const width of [390, 1440]) {
  it(`trade-return histogram at ${width} px: every label lies wholly inside the chart (the top count is not clipped)`, async () => {
    await page.viewport(width, 900);
    const host = await render(<div style={{ width: `${width - 32}px` }}><TradeDistribution trades={TRADES} /></div>);
    const svg = host.querySelector('svg')!;
    const box = svg.getBoundingClientRect();
    const labels = [...svg.querySelectorAll<SVGTextElement>('text')];
    expect(labels.some((t) => /^1,?2\d\d$/.test(t.textContent!)), 'the top count is drawn').toBe(true);
    for (const t of labels) {
      const r = t.getBoundingClientRect();
      expect(r.top, `${t.textContent} top`).toBeGreaterThanOrEqual(box.top);
      expect(r.bottom, `${t.textContent} bottom`).toBeLessThanOrEqual(box.bottom);
      expect(r.left, `${t.textContent} left`).toBeGreaterThanOrEqual(box.left);
      expect(r.right, `${t.textContent} right`).toBeLessThanOrEqual(box.right);
    }
    // Readable on a phone: at least 9 CSS px.
    expect(parseFloat(getComputedStyle(labels[0]!).fontSize) * (box.width / 640)).toBeGreaterThanOrEqual(9);
  });
}
