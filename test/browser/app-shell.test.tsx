import { expect, it } from 'vitest';
import { App } from '../../src/ui/App.tsx';
import { cleanup, render } from './ui/render.tsx';

it('renders the app shell in real Chromium, cross-origin isolated', async () => {
  const host = await render(<App />);
  expect(host.querySelector('h1')?.textContent).toBe('Backtester');
  expect(navigator.userAgent).toMatch(/Chrome/);
  expect(crossOriginIsolated).toBe(true);
  expect(host.querySelector('[data-testid=isolation]')?.textContent).toMatch(/^Cross-origin isolated/);
  cleanup();
});
