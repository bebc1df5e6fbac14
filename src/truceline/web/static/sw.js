// The report form's service worker: keeps a copy of the form's page and scripts so that it
// opens without a connection. Network first (a fresh copy when online), the copy otherwise.
// API calls are never cached or answered from here: the outbox (queue.js) handles them.

const CACHE = "truceline-report-v1";
const ASSETS = [
  "/ui/report",
  "/ui/login",
  "/ui/static/css/dashboard.css",
  "/ui/static/js/session.js",
  "/ui/static/js/queue.js",
  "/ui/static/js/report.js",
  "/ui/static/js/login.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !ASSETS.includes(url.pathname)) return;
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
    }
    return response;
  }).catch(() => caches.match(url.pathname)));
});
