// The app's service worker, written by scripts/post-build.mjs. It serves the
// app from its cache so the app starts and works with no network; it never
// fetches anything but the app's own files, and never touches plans.
const VERSION = '__VERSION__';
const PRECACHE = [/* __PRECACHE__ */];
// Files kept once this version is active, not at install: the engine
// worker's module, which the first screen does not need (the page starts it
// when it is). Kept then, in the background, so that the app works fully
// with no network after one visit (a plan started offline needs it), and
// kept when first fetched if that failed.
const LATER = [/* __LATER__ */];
const CACHE = `carer-plan-${VERSION}`;

self.addEventListener('install', (event) => {
  // A new version installs in the background and waits: it takes over on
  // the next launch, or when the person taps "Update now".
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('carer-plan-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
    const cache = await caches.open(CACHE);
    await Promise.all(LATER.map(async (path) => {
      if (await cache.match(path)) return;
      try {
        const response = await fetch(path);
        if (response.ok) await cache.put(path, response);
      } catch {
        // No network now: kept when the page first fetches it.
      }
    }));
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(request, { ignoreSearch: true });
    if (hit) return hit;
    if (request.mode === 'navigate') {
      const shell = await cache.match('/index.html');
      if (shell) return shell;
    }
    const response = await fetch(request);
    if (response.ok && LATER.includes(url.pathname)) await cache.put(url.pathname, response.clone());
    return response;
  })());
});
