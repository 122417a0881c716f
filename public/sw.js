/* Service worker: offline app shell and cross-origin isolation for hosts that cannot set headers.
 *
 * - precache-manifest.js (written at build time by the Vite plugin in vite.config.ts) sets
 *   self.PRECACHE = { version, files }: every emitted asset, index.html, templates and the web manifest.
 *   Browsers byte-compare imported scripts when checking for updates, so a new build installs a new worker.
 * - Hashed assets (assets/…) are immutable: cache first. Everything else (navigations, templates) is
 *   network first so a deploy is seen at once, falling back to the cache offline.
 * - Every response it serves gets COOP/COEP (+ CORP) headers, the coi-serviceworker technique: a page
 *   served through this worker is cross-origin isolated even on GitHub Pages.
 * Framework-free on purpose: it must stay tiny and run before anything else loads.
 */
/* global self, caches, fetch, Response, URL */
self.importScripts('./precache-manifest.js');

const PRECACHE = self.PRECACHE || { version: 'none', files: [] };
const CACHE = `backtester-${PRECACHE.version}`;
const SCOPE = new URL(self.registration.scope);

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.files.map((f) => new Request(new URL(f, SCOPE), { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

/** Builds whose caches outlive a deploy: a tab opened before it still loads its own hashed chunks (workers). */
const KEEP_PREVIOUS = 2;

self.addEventListener('activate', (event) => {
  // Cache names come back in creation order; the newest previous builds stay, older ones go.
  event.waitUntil(
    caches
      .keys()
      .then((keys) => {
        const old = keys.filter((k) => k.startsWith('backtester-') && k !== CACHE);
        return Promise.all(old.slice(0, Math.max(0, old.length - KEEP_PREVIOUS)).map((k) => caches.delete(k)));
      })
      .then(() => self.clients.claim()),
  );
});

/** Copies a response with the isolation headers added (opaque responses cannot be copied and pass as they are). */
function isolated(response) {
  if (!response || response.status === 0 || response.type === 'opaque') return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function cacheFirst(request) {
  // ignoreVary: static hosts send "Vary: Origin", and module scripts (mode cors) carry an Origin header the
  // precache requests did not, so an exact Vary match would miss every cached script.
  // Any build's cache: hashed names are immutable, and a tab still running the previous build asks for its
  // own chunks (an engine worker started after a deploy), which only the previous cache holds.
  const hit = await caches.match(request, { ignoreVary: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) (await caches.open(CACHE)).put(request, response.clone());
  return response;
}

async function networkFirst(request, fallbackUrl) {
  try {
    const response = await fetch(request);
    if (response.ok && request.method === 'GET') (await caches.open(CACHE)).put(fallbackUrl || request, response.clone());
    return response;
  } catch (err) {
    const hit = await caches.match(fallbackUrl || request, { cacheName: CACHE, ignoreSearch: true, ignoreVary: true });
    if (hit) return hit;
    throw err;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Only this app's own GETs; cross-origin requests and uploads go straight to the network.
  if (request.method !== 'GET' || url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  // A "only-if-cached" request from devtools for a cross-mode resource would throw in fetch().
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  const rest = url.pathname.slice(SCOPE.pathname.length);
  let answer;
  if (request.mode === 'navigate') answer = networkFirst(request, new URL('index.html', SCOPE).href);
  else if (rest.startsWith('assets/')) answer = cacheFirst(request);
  else answer = networkFirst(request);
  event.respondWith(answer.then(isolated));
});
