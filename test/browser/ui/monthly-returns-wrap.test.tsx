/** Regression (issue 16 screenshot review at 1440 px): monthly-return cells wrapped "−5.91 %" onto two lines. */
import { afterEach, expect, it } from 'vitest';
import { MonthlyReturns } from '../../../src/ui/results/MonthlyReturns.tsx';
import '../../../src/ui/styles.css';
import { RESULT } from './fixture.ts';
import { cleanup, render } from './render.tsx';

afterEach(cleanup);

it('monthly returns: a percentage never wraps onto a second line in a narrow panel', async () => {
  const host = await render(<div style={{ width: '240px' }}><MonthlyReturns curves={RESULT.curves} /></div>);
  const cells = [...host.querySelectorAll<HTMLTableCellElement>('.monthly-table td')].filter((td) => td.textContent!.includes('%'));
  expect(cells.length).toBeGreaterThan(0);
  const one = cells[0]!.getBoundingClientRect().height;
  for (const td of cells) {
    expect(td.getBoundingClientRect().height, td.textContent!).toBeLessThanOrEqual(one + 1);
    const range = document.createRange();
    range.selectNodeContents(td);
    expect(range.getClientRects().length, td.textContent!).toBe(1);
  }
});
