// The site's service worker (the build writes it to SITE/sw.js with the constants above this line,
// from build_scripts/offline.py). Its scope is the folder it is served from, so any sub-path works.
//
// - ENGINE_CACHE holds the engine's content-named files (pyodide/<hash>/, engine/<hash>/ and the
//   worker script); the engine's worker puts them there itself as it downloads them, so one visit
//   is enough. They never change under a name: served cache-first.
// - PAGES_CACHE holds the pages visited and what they loaded: network first (a visitor online
//   always gets the current page), the copy when the network fails.
// Both names come from content hashes: a new deploy installs a new worker, which deletes every
// other cache of ours when it takes over, so versions are never mixed.

const SCOPE = new URL("./", self.location.href).href;
const OURS = /^cdg-(engine|pages)-/;

// No clients.claim(): a first visit stays uncontrolled to the end (the engine's worker keeps its own
// files, offline.js hands over the page's), so a download is never split between two fetchers.
self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (OURS.test(name) && name !== ENGINE_CACHE && name !== PAGES_CACHE) await caches.delete(name);
      }
    })(),
  );
});

function isEngineFile(url) {
  const path = url.href.slice(SCOPE.length);
  return /^(pyodide|engine)\/[0-9a-f]{16}\//.test(path) || /^assets\/engine-worker\.js\?p=/.test(path);
}

async function cacheFirst(request) {
  const cache = await caches.open(ENGINE_CACHE);
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(PAGES_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  } catch (err) {
    const hit = await cache.match(request, { ignoreVary: true, ignoreSearch: request.mode === "navigate" });
    if (hit) return hit;
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || !url.href.startsWith(SCOPE) || request.headers.has("range")) return;
  event.respondWith(isEngineFile(url) ? cacheFirst(request) : networkFirst(request));
});

// A page that was loaded before this worker controlled it (the first visit) sends what it used:
// {type: "cdg:keep", urls}. They are taken from the browser's HTTP cache (force-cache), not
// downloaded again. Answers on the message's port with {ok}.
self.addEventListener("message", (event) => {
  const { type, urls } = event.data ?? {};
  if (type !== "cdg:keep" || !Array.isArray(urls)) return;
  const port = event.ports[0];
  event.waitUntil(
    (async () => {
      let ok = true;
      for (const href of urls) {
        const url = new URL(href, SCOPE);
        url.hash = "";
        if (!url.href.startsWith(SCOPE)) continue;
        const cache = await caches.open(isEngineFile(url) ? ENGINE_CACHE : PAGES_CACHE);
        if (await cache.match(url.href)) continue;
        try {
          const response = await fetch(url.href, { cache: "force-cache" });
          if (response.ok) await cache.put(url.href, response);
          else ok = false;
        } catch {
          ok = false;
        }
      }
      port?.postMessage({ ok });
    })(),
  );
});
