/** Issue #10, deploy: which service-worker takeovers count as "a new version is available". */
import { describe, expect, it } from 'vitest';
import { watchForUpdates, type WorkerContainer } from '../../../src/ui/sw/updates.ts';

function container(controlled: boolean): WorkerContainer & { takeOver(): void } {
  const target = new EventTarget();
  const c = {
    controller: controlled ? ({} as ServiceWorker) : null,
    addEventListener: target.addEventListener.bind(target),
    takeOver() {
      c.controller = {} as ServiceWorker;
      target.dispatchEvent(new Event('controllerchange'));
    },
  };
  return c as WorkerContainer & { takeOver(): void };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('update signal', () => {
  it('a deploy reaching an open tab offers a reload, once', async () => {
    const c = container(true);
    const u = watchForUpdates(c, async () => false);
    let calls = 0;
    u.subscribe(() => calls++);
    c.takeOver();
    await settle();
    expect(u.available()).toBe(true);
    c.takeOver();
    await settle();
    expect(calls).toBe(1);
  });

  it('the first claim of a page that had no worker is not an update; a later one is', async () => {
    const c = container(false);
    const u = watchForUpdates(c, async () => false);
    c.takeOver();
    await settle();
    expect(u.available()).toBe(false);
    c.takeOver();
    await settle();
    expect(u.available()).toBe(true);
  });

  it('a worker of the build this tab already runs is not an update, nor is a failed check taken as one', async () => {
    const same = container(true);
    const u = watchForUpdates(same, async () => true);
    same.takeOver();
    await settle();
    expect(u.available()).toBe(false);
    const failing = container(true);
    const v = watchForUpdates(failing, async () => { throw new Error('offline'); });
    failing.takeOver();
    await settle();
    // Unknown build: offering a reload is the safe side (a reload never loses a saved draft).
    expect(v.available()).toBe(true);
  });
});
