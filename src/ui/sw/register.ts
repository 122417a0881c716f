import { UPDATE_CHECK_MS } from './updates.ts';

const RELOADED = 'backtester.coi-reload';

/**
 * Registers public/sw.js (production builds only; main.tsx checks import.meta.env.PROD). When the host sent
 * no COOP/COEP headers, the page is not cross-origin isolated until the worker serves it, so the first
 * visit reloads once after the worker takes control. The session flag stops a reload loop on browsers
 * that refuse isolation anyway.
 */
export async function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return null;
  const base = import.meta.env.BASE_URL;
  const reg = await navigator.serviceWorker.register(`${base}sw.js`, { scope: base });
  const reloadIfNeeded = () => {
    if (crossOriginIsolated || !navigator.serviceWorker.controller) return;
    if (sessionStorage.getItem(RELOADED)) return;
    sessionStorage.setItem(RELOADED, '1');
    window.location.reload();
  };
  if (crossOriginIsolated) sessionStorage.removeItem(RELOADED);
  else if (navigator.serviceWorker.controller) reloadIfNeeded();
  else navigator.serviceWorker.addEventListener('controllerchange', reloadIfNeeded, { once: true });
  // Look for a deploy now and then and when the tab comes back into view; a new worker then claims this
  // tab and updates.ts offers a reload.
  const check = () => void reg.update().catch(() => undefined);
  setInterval(check, UPDATE_CHECK_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') check();
  });
  return reg;
}
