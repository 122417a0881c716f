/** Issue #10, deploy: the prompt an open tab shows once a new build has taken over. */
import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { UpdatePrompt } from '../../../src/ui/shell/UpdatePrompt.tsx';
import { watchForUpdates } from '../../../src/ui/sw/updates.ts';
import { cleanup, render } from '../ui/render.tsx';

afterEach(() => cleanup());

function fakeWorkers() {
  const target = new EventTarget();
  return { controller: {} as ServiceWorker, addEventListener: target.addEventListener.bind(target), deploy: () => target.dispatchEvent(new Event('controllerchange')) };
}

describe('update prompt', () => {
  it('appears when a deploy takes over, reloads on Reload, and hides on Later', async () => {
    const workers = fakeWorkers();
    let reloads = 0;
    await render(<UpdatePrompt updates={watchForUpdates(workers, async () => false)} reload={() => reloads++} />);
    const prompt = page.getByRole('status', { name: 'Update available' });
    expect(prompt.query()).toBeNull();
    workers.deploy();
    await expect.element(prompt).toHaveTextContent(/A new version of the app is available/);
    await userEvent.click(page.getByRole('button', { name: 'Reload' }));
    expect(reloads).toBe(1);
    await userEvent.click(page.getByRole('button', { name: 'Later' }));
    expect(prompt.query()).toBeNull();
  });
});
