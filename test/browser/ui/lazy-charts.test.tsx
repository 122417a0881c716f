/**
 * The charts load on demand (issue #16 "Weight"); their placeholder must take the charts' height, so the page does
 * not jump when they arrive: measured against the real charts at 1440 and 390 px.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import { EquityCharts as Equity } from '../../../src/ui/results/EquityCharts.tsx';
import { ChartsPlaceholder, EquityCharts } from '../../../src/ui/results/lazy-charts.tsx';
import '../../../src/ui/styles.css';
import { RESULT } from './fixture.ts';
import { cleanup, render } from './render.tsx';

afterEach(async () => {
  cleanup();
  await page.viewport(1440, 900);
});

for (const [viewport, width] of [[1440, 1380], [390, 358]] as const) {
  it(`equity charts at ${viewport} px: the placeholder is as tall as the charts that replace it`, async () => {
    await page.viewport(viewport, 900);
    const host = await render(
      <div style={{ width: `${width}px` }}>
        <div className="panel"><ChartsPlaceholder kind="equity" /></div>
        <div className="panel"><Equity curves={RESULT.curves} /></div>
      </div>,
    );
    await vi.waitFor(() => expect(host.querySelectorAll('.uplot').length).toBe(2), { timeout: 10_000 });
    const [pending, charts] = [...host.querySelectorAll('.charts')].map((c) => c.getBoundingClientRect().height);
    expect(Math.abs(pending! - charts!)).toBeLessThanOrEqual(4);
  });
}

it('the lazy equity charts render the real charts once their code has loaded', async () => {
  const host = await render(<div style={{ width: '800px' }}><EquityCharts curves={RESULT.curves} /></div>);
  await vi.waitFor(() => expect(host.querySelectorAll('.uplot').length).toBe(2), { timeout: 30_000 });
  expect(host.querySelector('.charts-pending')).toBeNull();
});
