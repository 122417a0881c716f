import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { App } from '../../../src/ui/App.tsx';
import { loadProxySettings, saveProxySettings } from '../../../src/ui/settings/proxy-settings.ts';
import { cleanup, render } from './render.tsx';

const TOKEN = 'tok-SECRET-7f3a9c';
const health = (over: object = {}) =>
  Response.json({ ok: true, service: 'backtester-proxy', mode: 'vault', routes: ['alpaca-paper', 'openai'], auth: 'ok', origin: 'allowed', ...over });

beforeEach(async () => {
  localStorage.clear();
  await saveProxySettings(null);
  history.replaceState(null, '', '#/strategy');
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** Answers the proxy's health route; the app's own requests (templates) go through untouched. */
function fakeProxy(answer: (url: string, init?: RequestInit) => Promise<Response>) {
  const real = window.fetch.bind(window);
  vi.spyOn(window, 'fetch').mockImplementation((input, init) =>
    String(input).endsWith('/health') ? answer(String(input), init) : real(input, init));
}

const urlBox = () => page.getByRole('textbox', { name: 'Proxy URL' });
const tokenBox = () => page.getByLabelText('Token (vault mode only)');

async function openSettings() {
  await render(<App queryClient={new QueryClient()} />);
  await userEvent.click(page.getByRole('link', { name: 'Settings' }));
  await expect.element(urlBox()).toBeVisible();
}

describe('proxy settings', () => {
  it('store, reload, normalise and forget the proxy URL and token in IndexedDB', async () => {
    await saveProxySettings({ url: 'https://proxy.example.com/', token: TOKEN });
    expect(await loadProxySettings()).toEqual({ url: 'https://proxy.example.com', token: TOKEN });
    await saveProxySettings({ url: 'http://127.0.0.1:8787' });
    expect(await loadProxySettings()).toEqual({ url: 'http://127.0.0.1:8787' });
    await expect(saveProxySettings({ url: 'ftp://x.example' })).rejects.toThrow(/http:\/\/ or https:\/\//);
    expect(await loadProxySettings()).toEqual({ url: 'http://127.0.0.1:8787' });
    await saveProxySettings(null);
    expect(await loadProxySettings()).toBeNull();
  });

  it('the Settings page validates the URL, saves, tests the health route with the token, and never shows the token', async () => {
    const calls: { url: string; auth: string | null }[] = [];
    fakeProxy(async (url, init) => {
      calls.push({ url, auth: new Headers(init?.headers).get('authorization') });
      return health();
    });
    await openSettings();
    expect(location.hash).toBe('#/settings');
    await userEvent.fill(urlBox(), 'javascript:alert(1)');
    await expect.element(page.getByTestId('url-error')).toHaveTextContent(/http:\/\/ or https:\/\//);
    await expect.element(page.getByRole('button', { name: 'Save' })).toBeDisabled();
    await userEvent.fill(urlBox(), 'http://127.0.0.1:8787/');
    await userEvent.fill(tokenBox(), TOKEN);
    await userEvent.click(page.getByRole('button', { name: 'Save' }));
    // Scoped to the page: the footer's network indicator is a status too.
    await expect.element(page.getByRole('main').getByRole('status')).toHaveTextContent('Saved on this device.');
    expect(await loadProxySettings()).toEqual({ url: 'http://127.0.0.1:8787', token: TOKEN });

    await userEvent.click(page.getByRole('button', { name: 'Test connection' }));
    await expect.element(page.getByTestId('proxy-check')).toHaveTextContent(/Connected: vault mode, 2 routes/);
    expect(calls).toEqual([{ url: 'http://127.0.0.1:8787/health', auth: `Bearer ${TOKEN}` }]);
    expect(document.body.textContent).not.toContain(TOKEN);
    expect(location.href).not.toContain(TOKEN);
  });

  it('explains a wrong token, a refused origin and an unreachable proxy without repeating the token', async () => {
    await saveProxySettings({ url: 'http://127.0.0.1:8787', token: TOKEN });
    const answers = [health({ auth: 'wrong', origin: 'refused' })];
    fakeProxy(async () => {
      const a = answers.shift();
      if (!a) throw new TypeError('Failed to fetch');
      return a;
    });
    await openSettings();
    await expect.element(urlBox()).toHaveValue('http://127.0.0.1:8787');
    await userEvent.click(page.getByRole('button', { name: 'Test connection' }));
    const check = page.getByTestId('proxy-check');
    await expect.element(check).toHaveTextContent(/refused the token/);
    await expect.element(check).toHaveTextContent(/does not allow this page's origin/);
    await userEvent.click(page.getByRole('button', { name: 'Test connection' }));
    await expect.element(check).toHaveTextContent(/Could not reach http:\/\/127\.0\.0\.1:8787\/health/);
    expect(document.body.textContent).not.toContain(TOKEN);
  });
});
