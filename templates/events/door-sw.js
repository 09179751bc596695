// The door's service worker: keeps the door page, its scripts and styles so the page opens with no
// network. Pages and files are fetched from the network first and the copy is used when that fails;
// the API is never cached (the page keeps its ticket list and queued scans in IndexedDB).
"use strict";
const CACHE = "door-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "precache") return;
  const urls = event.data.urls.filter((u) => typeof u === "string" && u.startsWith("/"));
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(urls)).then(() => {
    if (event.source) event.source.postMessage({type: "precached"});
  }));
});

function wanted(url) {
  return url.origin === self.location.origin && !url.pathname.startsWith("/api/")
    && (url.pathname.startsWith("/static/") || /^\/events\/[^/]+\/door\/(manifest\.webmanifest)?$/.test(url.pathname));
}

// Venue Wi-Fi often connects but carries nothing: after 4 s the kept copy answers instead.
function fetchWithin(request, ms) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  return fetch(request, {signal: controller.signal}).finally(() => clearTimeout(timer));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !wanted(new URL(request.url))) return;
  event.respondWith(fetchWithin(request, 4000).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  }).catch(() => caches.match(request).then((hit) => hit || Response.error())));
});
