(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
import { createRoot } from 'react-dom/client';
import { act } from 'react';
import { expect, it } from 'vitest';
import { App } from '../../src/ui/App.tsx';

it('renders the app shell in real Chromium, cross-origin isolated', async () => {
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  await act(async () => root.render(<App />));
  expect(host.querySelector('h1')?.textContent).toBe('Backtester');
  expect(navigator.userAgent).toMatch(/Chrome/);
  expect(crossOriginIsolated).toBe(true);
  expect(host.querySelector('[data-testid=isolation]')?.textContent).toMatch(/^Cross-origin isolated/);
  root.unmount();
});
