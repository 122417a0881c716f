/** What the Live page's Chromium tests share: a clean slate, the app opened on #/live, and a bounded wait. */
import { QueryClient } from '@tanstack/react-query';
import { expect } from 'vitest';
import { page } from 'vitest/browser';
import { deleteDeployment, listDeployments } from '../../../src/live/browser/idb-journal.ts';
import type { StrategyDocument } from '../../../src/schema/index.ts';
import { App } from '../../../src/ui/App.tsx';
import { stopLiveWorker } from '../../../src/ui/live/client.ts';
import { cleanup, render } from '../ui/render.tsx';

/** Before each test: no draft, no deployment left by another test. */
export async function freshLiveState(): Promise<void> {
  localStorage.clear();
  for (const d of await listDeployments()) await deleteDeployment(d.id);
}

/** After each test: the app unmounted and the live worker gone. */
export function leaveLivePage(): void {
  cleanup();
  stopLiveWorker();
}

/** The app shell with `doc` as the current document, on the Live page. */
export async function openLiveApp(doc: StrategyDocument): Promise<void> {
  localStorage.setItem('backtester.draft.v1', JSON.stringify(doc));
  history.replaceState(null, '', '#/live');
  await render(<App runner={null} queryClient={new QueryClient()} />);
  await expect.element(page.getByRole('heading', { name: 'Live', exact: true })).toBeVisible();
}

/** Polls `get` until `ok` holds (every 50 ms), or fails after `ms` saying what it last saw. */
export async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (performance.now() > end) throw new Error(`timed out; last: ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
