import { act as reactAct, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';

/**
 * Where React's act() applies in these tests, and where it does not.
 *
 * These tests run in real Chromium: clicks and keys come from Playwright through the browser's own event loop,
 * documents come from fetch, data from workers and IndexedDB, and every assertion retries until the page shows
 * what it should (`expect.element`, `expect.poll`: the waitFor of this setup). No test code can wrap those
 * updates in act(), because none of them happens inside a test's call stack. Declaring the whole page an
 * "act environment" (IS_REACT_ACT_ENVIRONMENT = true) therefore made React warn about each of them (~200
 * "An update to Shell inside a test was not wrapped in act(...)" per run) without one of them being a bug.
 *
 * So, as Vitest's own React binding (vitest-browser-react) does, the flag is on only inside act(): mounting,
 * unmounting, and the updates a test drives itself (resolving a promise it holds). There React flushes effects
 * and suspended chunks before act() returns, and still warns about what is wrong inside that scope (an act
 * not awaited, an update while rendering another component). Outside act(), React schedules as it does for
 * users, which is what these tests are for.
 */
type ActGlobal = { IS_REACT_ACT_ENVIRONMENT?: boolean };
const actGlobal = globalThis as ActGlobal;
actGlobal.IS_REACT_ACT_ENVIRONMENT = false;

/** Runs `f` with the act environment declared (see above), restoring the flag after. */
function declared<T>(f: () => T): T {
  const before = actGlobal.IS_REACT_ACT_ENVIRONMENT;
  actGlobal.IS_REACT_ACT_ENVIRONMENT = true;
  try {
    return f();
  } finally {
    actGlobal.IS_REACT_ACT_ENVIRONMENT = before;
  }
}

/** React's act() for an update the test drives itself, with the act environment declared until it settles. */
export async function act(cb: () => unknown): Promise<void> {
  const before = actGlobal.IS_REACT_ACT_ENVIRONMENT;
  actGlobal.IS_REACT_ACT_ENVIRONMENT = true;
  try {
    await reactAct(async () => {
      await cb();
    });
  } finally {
    actGlobal.IS_REACT_ACT_ENVIRONMENT = before;
  }
}

const mounted: { root: Root; host: HTMLElement }[] = [];

export async function render(ui: ReactNode): Promise<HTMLElement> {
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  await act(() => root.render(ui));
  mounted.push({ root, host });
  return host;
}

/** Unmounts every rendered tree synchronously (a sync act() flushes the effects' cleanups before it returns). */
export function cleanup(): void {
  for (const { root, host } of mounted.splice(0)) {
    declared(() => reactAct(() => root.unmount()));
    host.remove();
  }
}
