// The netid wallet's service worker: the app shell (this origin's own files) from the cache when
// offline, so the wallet opens and can say it is offline. Requests to the authority and platforms
// never touch the cache: an identity answer must never come from a stale copy.
const CACHE = 'netid-wallet-shell-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(['/', '/manifest.webmanifest', '/icon.svg', '/config.json']))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  // Network first, so a new build is picked up at once; the cache only when the network fails.
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(event.request, copy));
        }
        return response;
      })
      .catch(() =>
        caches
          .match(event.request, { ignoreSearch: true })
          .then((hit) => hit ?? (event.request.mode === 'navigate' ? caches.match('/') : undefined))
          .then((hit) => hit ?? Response.error()),
      ),
  );
});
