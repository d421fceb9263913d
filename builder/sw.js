// Between Sessions service worker. builder/pwa.py fills in BUILD; site/sw.js is generated, do not edit it.
//
// Every file of the site is precached, checked against its SHA-256, under a cache named for this build.
// The Pyodide runtime has its own cache named for its version, so it is downloaded once and survives app
// updates. A new version waits until the person says "Update now" (pwa.js), so nothing reloads by itself.
// This worker only ever fetches its own site: requests to other origins are left alone (the CSP blocks them).
"use strict";

const BUILD = /*BUILD*/null;

const SCOPE = self.registration.scope;
// Caches are per origin, not per scope: name ours for the scope, so two installs on one host never clash.
const PREFIX = `between-sessions ${SCOPE} `;
const APP_CACHE = `${PREFIX}app ${BUILD.version}`;
const RUNTIME_CACHE = `${PREFIX}runtime ${BUILD.runtime}`;
// The engine worker's memory snapshot manages itself (engine-worker.js): kept across updates.
const SNAPSHOT_CACHE = `${PREFIX}engine-snapshot`;
const CURRENT = [APP_CACHE, RUNTIME_CACHE, SNAPSHOT_CACHE];
const OFFLINE_URL = BUILD.offline ? new URL(BUILD.offline, SCOPE).href : null;
const PARALLEL = 4;

// Absolute URL -> [cache name, sha256 hex].
const FILES = new Map();
for (const [path, hash] of Object.entries(BUILD.runtime_files)) FILES.set(new URL(path, SCOPE).href, [RUNTIME_CACHE, hash]);
for (const [path, hash] of Object.entries(BUILD.app)) FILES.set(new URL(path, SCOPE).href, [APP_CACHE, hash]);

self.addEventListener("install", (event) => {
  // Navigations go to our fetch handler (as they would anyway). Declaring it stops Chromium's "auto preload"
  // from also fetching every page from the network in parallel: without this, each return visit
  // downloaded the page again, only to throw it away (measured with bench/startup.py).
  // Everything else this version stored is read from its cache directly, without waking this worker.
  if (event.addRoutes) {
    event.waitUntil(event.addRoutes([
      { condition: { requestMode: "navigate" }, source: "fetch-event" },
      { condition: { urlPattern: new URL("pyodide/*", SCOPE).href, requestMethod: "GET" }, source: { cacheName: RUNTIME_CACHE } },
      { condition: { urlPattern: new URL("*", SCOPE).href, requestMethod: "GET" }, source: { cacheName: APP_CACHE } },
    ]).catch(() => {}));
  }
  // The worker only installs once every file is stored, so "installed" means "works offline".
  event.waitUntil(precache());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(PREFIX) && !CURRENT.includes(n)).map((n) => caches.delete(n)));
    // Take the page that installed us, so its later requests (the engine worker's too) are served offline.
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  // Sent by pwa.js only after the person chose "Update now".
  if (event.data && event.data.type === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(SCOPE)) return;
  url.search = "";
  url.hash = "";
  // Directory URLs ("./", "skills/") are their index.html.
  const key = url.href.endsWith("/") ? `${url.href}index.html` : url.href;
  const known = FILES.get(key);
  if (!known && request.mode !== "navigate") return;
  event.respondWith(respond(request, key, known));
});

// Opened once per worker: every request of a page load goes through here, so each open saved counts.
const opened = new Map();
function openCache(name) {
  if (!opened.has(name)) opened.set(name, caches.open(name));
  return opened.get(name);
}

async function respond(request, key, known) {
  if (known) {
    const hit = await (await openCache(known[0])).match(key);
    if (hit) return hit;
  }
  try {
    return await fetch(request);
  } catch (error) {
    if (request.mode === "navigate" && OFFLINE_URL) {
      // Redirect rather than answer in place, so the page's relative links resolve from the site root.
      if (await (await caches.open(APP_CACHE)).match(OFFLINE_URL)) return Response.redirect(OFFLINE_URL, 302);
    }
    throw error;
  }
}

async function precache() {
  const older = (await caches.keys()).filter((n) => n.startsWith(PREFIX) && !CURRENT.includes(n));
  // Largest first (the runtime), so the long downloads overlap with the many small ones.
  const queue = [...FILES].sort((a, b) => (a[1][0] === b[1][0] ? 0 : a[1][0] === RUNTIME_CACHE ? -1 : 1));
  let next = 0;
  async function lane() {
    while (next < queue.length) {
      const [url, [name, hash]] = queue[next++];
      await store(url, name, hash, older);
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, lane));
}

async function store(url, name, hash, older) {
  const cache = await caches.open(name);
  // Entries are only ever stored after their hash was checked, so one already here is this file.
  if (await cache.match(url)) return;
  // An update reuses unchanged files from the version it replaces instead of downloading them again.
  for (const oldName of older) {
    const old = await (await caches.open(oldName)).match(url);
    if (old && (await sha256(await old.clone().arrayBuffer())) === hash) {
      await cache.put(url, old);
      return;
    }
  }
  // "force-cache" lets the HTTP cache answer for files the page already downloaded, so nothing is fetched
  // twice on a first visit; the hash check catches a stale copy, and then the server is asked once more.
  for (const mode of ["force-cache", "no-cache"]) {
    const response = await fetch(url, { cache: mode, credentials: "same-origin", redirect: "error" });
    if (!response.ok) throw new Error(`precache: ${url} answered ${response.status}`);
    const body = await response.arrayBuffer();
    if ((await sha256(body)) === hash) {
      const { status, statusText, headers } = response;
      await cache.put(url, new Response(body, { status, statusText, headers }));
      return;
    }
  }
  // A half-deployed site: install fails, the current version stays, and the browser tries again later.
  throw new Error(`precache: ${url} does not match this version`);
}

async function sha256(buffer) {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
