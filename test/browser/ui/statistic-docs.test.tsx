/**
 * Statistic tooltips and the in-app docs: every row of the statistics table says what it measures and links
 * its formula at a stable anchor of docs/STATISTICS.md, rendered inside the app (a lazy page), not downloaded.
 */
import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { App } from '../../../src/ui/App.tsx';
import { renderMarkdown } from '../../../src/ui/docs/markdown.tsx';
import { StatsTable } from '../../../src/ui/results/StatsTable.tsx';
import { GROUPS } from '../../../src/ui/results/stats-groups.ts';
import '../../../src/ui/styles.css';
import { RESULT } from './fixture.ts';
import { cleanup, render } from './render.tsx';

beforeEach(() => {
  localStorage.clear();
  history.replaceState(null, '', '#/strategy');
});
afterEach(cleanup);

const KEYS = GROUPS.flatMap(([, rows]) => rows.map(([label, key]) => ({ label, key })));

describe('statistic tooltips', () => {
  it('every statistic has a tooltip saying what it measures and a link to its formula', async () => {
    const host = await render(<StatsTable stats={RESULT.stats} />);
    for (const { label, key } of KEYS) {
      const link = host.querySelector<HTMLAnchorElement>(`a.stat-help[aria-label="${label}: formula"]`);
      expect(link, label).not.toBeNull();
      expect(link!.getAttribute('href')).toBe(`#/docs/statistics/${key}`);
      const tip = document.getElementById(link!.getAttribute('aria-describedby')!)!;
      expect(tip.getAttribute('role')).toBe('tooltip');
      expect(tip.textContent!.length, label).toBeGreaterThan(30);
    }
    // The row header and the value read as before: the help has its own cell.
    const sharpe = [...host.querySelectorAll('tr')].find((r) => r.cells[0]?.textContent === 'Sharpe ratio')!;
    expect(sharpe.cells[1]!.textContent).toBe('1.23');
  });

  it('shows on hover and on keyboard focus, hidden otherwise', async () => {
    await render(<StatsTable stats={RESULT.stats} />);
    const shown = (id: string) => getComputedStyle(document.getElementById(id)!).display !== 'none';
    expect(document.getElementById('stat-help-sharpe')!.textContent).toContain('per unit of annual volatility');
    expect(shown('stat-help-sharpe')).toBe(false);
    await userEvent.hover(page.getByRole('link', { name: 'Sharpe ratio: formula' }));
    await expect.poll(() => shown('stat-help-sharpe')).toBe(true);
    await expect.element(page.getByRole('tooltip').filter({ hasText: 'per unit of annual volatility' })).toBeVisible();
    await userEvent.unhover(page.getByRole('link', { name: 'Sharpe ratio: formula' }));
    expect(shown('stat-help-sortino')).toBe(false);
    (page.getByRole('link', { name: 'Sortino ratio: formula' }).element() as HTMLElement).focus();
    await expect.poll(() => shown('stat-help-sortino')).toBe(true);
    expect(document.getElementById('stat-help-sortino')!.textContent).toContain('downside deviation');
  });
});

describe('in-app statistics docs', () => {
  it('a statistic link opens the docs page inside the app at that statistic, with its formula', async () => {
    history.replaceState(null, '', '#/docs/statistics/sharpe');
    await render(<App runner={null} queryClient={new QueryClient()} />);
    const docs = page.getByRole('article', { name: 'Statistics documentation' });
    await expect.element(docs.getByRole('heading', { name: 'Statistics', exact: true })).toBeVisible();
    const row = document.getElementById('stat-sharpe')!;
    expect(row.tagName).toBe('TR');
    expect(row.textContent).toContain('(annual return − rf) / annual volatility');
    // Scrolled to and marked.
    await expect.poll(() => { const r = row.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }).toBe(true);
    expect(row.classList.contains('target')).toBe(true);
    // Another statistic's link while the docs are open moves to it.
    location.hash = '#/docs/statistics/maxDrawdownPct';
    await expect.poll(() => document.getElementById('stat-maxDrawdownPct')!.classList.contains('target')).toBe(true);
  });

  it('every statistic of the table has its own anchor in the docs (the row that defines it)', async () => {
    history.replaceState(null, '', '#/docs/statistics');
    await render(<App runner={null} queryClient={new QueryClient()} />);
    await expect.element(page.getByRole('article', { name: 'Statistics documentation' })).toBeVisible();
    const missing = KEYS.filter(({ key }) => !document.getElementById(`stat-${key}`)).map((k) => k.key);
    expect(missing).toEqual([]);
    // initialEquity is listed among the inputs first; its anchor is the row that defines it (Period and equity).
    expect(document.getElementById('stat-initialEquity')!.textContent).toMatch(/^`?initialEquity`?\s*I$/);
  });

  it('renders markdown as elements: no HTML from the text, unsafe links as plain text', async () => {
    const host = await render(<div>{renderMarkdown('# T\n\nA <b>x</b> [bad](javascript:void) and [ok](#/results) `c`\n\n| stat | d |\n|---|---|\n| `k` | a \\| b |\n', { anchorPrefix: 'p-' })}</div>);
    expect(host.querySelector('b')).toBeNull();
    expect(host.textContent).toContain('A <b>x</b> bad and ok c');
    expect(host.querySelector('a')!.getAttribute('href')).toBe('#/results');
    expect(host.querySelector('#p-k')!.textContent).toBe('ka | b');
    expect(host.querySelector('h2#p-t')).not.toBeNull();
  });
});
