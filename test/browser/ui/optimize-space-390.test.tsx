/**
 * Regression (issue 16 wave 5 screenshots, Optimize at 390 px): the parameter's name fell under its checkbox, and
 * once kept beside it the Step column was cut off. The space table fits a phone's panel, each name level with
 * its checkbox and inputs.
 */
import { afterEach, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { parseDocument } from '../../../src/schema/index.ts';
import { initialForm } from '../../../src/ui/optimize/form.ts';
import { SpaceForm } from '../../../src/ui/optimize/SpaceForm.tsx';
import '../../../src/ui/styles.css';
import { cleanup, render } from './render.tsx';

afterEach(async () => {
  cleanup();
  await page.viewport(1440, 900);
});

it('Optimize space table at 390 px: fits the panel through Step, each name beside its checkbox, level with its inputs', async () => {
  await page.viewport(390, 800);
  const doc = await (await fetch('/public/strategies/sma-cross.json')).json() as unknown;
  const parsed = parseDocument(doc);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const form = initialForm(parsed.doc);
  // The page's own frame at 390 px: .page (4 px padding) around a .panel.
  const host = await render(
    <div className="page" style={{ width: '390px', boxSizing: 'border-box' }}>
      <section className="panel optimize"><SpaceForm doc={parsed.doc} ranges={form.ranges} onChange={() => {}} method="random" evaluations={1000} /></section>
    </div>,
  );
  const table = host.querySelector<HTMLTableElement>('table.opt-space')!;
  expect(table.scrollWidth, 'the table scrolls: Step is cut off').toBeLessThanOrEqual(table.clientWidth + 1);
  const mid = (r: DOMRect) => (r.top + r.bottom) / 2;
  const labels = [...table.querySelectorAll('tbody th label')];
  expect(labels).toHaveLength(2);
  for (const l of labels) {
    const range = document.createRange();
    range.selectNodeContents(l.lastChild!);
    const box = l.querySelector('input')!.getBoundingClientRect();
    const input = l.closest('tr')!.querySelector('td input')!.getBoundingClientRect();
    expect(Math.abs(mid(range.getBoundingClientRect()) - mid(box)), `${l.textContent} beside its box`).toBeLessThanOrEqual(4);
    expect(Math.abs(mid(box) - mid(input)), `${l.textContent} level with its inputs`).toBeLessThanOrEqual(4);
  }
});
