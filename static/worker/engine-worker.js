// The suggestion engine's worker: Pyodide plus coach/ (the same Python as `python -m coach`).
//
// A MODULE worker (Pyodide 314 refuses classic workers). Start it with
//   new Worker(new URL("../worker/engine-worker.js", import.meta.url), { type: "module" })
// Messages in:  { id, type: "suggest", request, history }
// Messages out: { id, result } or { id, error }, and unsolicited
//               { type: "status", state: "loading" | "ready" | "unavailable", detail }
// User data reaches Python only as a JSON string argument, never as Python source.
// Everything it needs comes from this site (listed in engine/files.json), so it works offline.

import { pack, unpack } from "./snapshot-pack.js";
// Part of this module's graph, so it arrives with the worker's own script: nothing waits on an extra request.
import files from "../engine/files.json" with { type: "json" };

const SITE = new URL("../", import.meta.url);
const ENGINE_DIR = "/home/pyodide/engine";
// Pyodide needs a lock file to start. The engine installs no packages, so an empty one
// does; its "info" must match the interpreter (Pyodide 314.0.7 ships this one).
const LOCK = {
  info: { abi_version: "2026_0", arch: "wasm32", platform: "emscripten_5_0_3", python: "3.14.2" },
  packages: {},
};
// Fixed Python source: it defines functions, and JSON text is passed to them as data.
const BOOT = `
import sys
sys.path.insert(0, ${JSON.stringify(ENGINE_DIR)})
import json
import coach

def _load_skills(skills_text):
    global _skills
    _skills = json.loads(skills_text)

def _answer(call_text):
    return coach.handle(call_text, _skills)
`;
// The first call imports and runs everything once. Its answer also checks a restored snapshot.
const WARM_UP = JSON.stringify({ request: { call_kind: "coaching", emotions: [{ name: "anger", intensity: 5 }], situation: "warm up" } });

// A memory snapshot of the started engine, made on this device and kept in Cache Storage, lets later
// visits skip Python's start-up (about 0.8 s of the 1.2-1.9 s warm start here; see bench/README.md).
// It is made right after the warm-up, before any message is read, so nothing a person typed is in it.
// Its key (engine/files.json "snapshot") changes with Pyodide, the stdlib zip, the engine, the skills
// and this file, so a new version never restores an old heap. The service worker keeps this cache
// (its SNAPSHOT_CACHE is the same name: both are named for the site root).
const SNAPSHOT_CACHE = `between-sessions ${SITE.href} engine-snapshot`;
const SNAPSHOT_URL = new URL("engine/snapshot", SITE).href;

function status(state, detail = "") {
  self.postMessage({ type: "status", state, detail: String(detail) });
}

async function fetchOk(url, as) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname || url}: HTTP ${response.status}`);
  return as === "json" ? response.json() : as === "bytes" ? new Uint8Array(await response.arrayBuffer()) : response.text();
}

async function sha256(text) {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// The body (about 12 MB) is read while Pyodide loads its scripts: loadPyodide takes the promise.
async function readSnapshot(key) {
  if (!self.caches || !key) return null;
  try {
    const hit = await (await caches.open(SNAPSHOT_CACHE)).match(SNAPSHOT_URL, { ignoreSearch: true });
    if (!hit || hit.headers.get("x-snapshot-key") !== key) return null;
    const bytes = hit.arrayBuffer().then((packed) => {
      timings.snapshot_read = since();
      return unpack(packed);
    });
    bytes.catch(() => {}); // handled where loadPyodide awaits it; not an unhandled rejection meanwhile
    return { bytes, check: hit.headers.get("x-warm-up-sha256") };
  } catch {
    return null; // storage disabled or evicted: start the slow way
  }
}

async function storeSnapshot(key, bytes, check) {
  await dropSnapshot(); // one snapshot per site: any made by an earlier version goes first
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    const headers = { "content-type": "application/octet-stream", "x-snapshot-key": key, "x-warm-up-sha256": check };
    await cache.put(`${SNAPSHOT_URL}?${key}`, new Response(pack(bytes), { headers }));
  } catch {
    // Quota full or storage disabled: nothing is lost, the next start is just slower.
  }
}

async function dropSnapshot() {
  try {
    await (await caches.open(SNAPSHOT_CACHE)).delete(SNAPSHOT_URL, { ignoreSearch: true });
  } catch {
    /* nothing to drop */
  }
}

const timings = {};
const t0 = performance.now();
const since = () => Math.round(performance.now() - t0);

function writeEngine(pyodide, list, bytes) {
  pyodide.FS.mkdirTree(`${ENGINE_DIR}/coach`);
  list.forEach((name, i) => {
    if (!/^coach\/[A-Za-z0-9_]+\.py$/.test(name)) throw new Error(`engine/files.json: unexpected file ${name}`);
    pyodide.FS.writeFile(`${ENGINE_DIR}/${name}`, bytes[i]);
  });
}

async function start() {
  status("loading");
  const snapshot = readSnapshot(files.snapshot);
  const list = files.files;
  const runtime = new URL(files.runtime || "pyodide/", SITE);
  const options = { indexURL: runtime.href, lockFileContents: LOCK, env: { HOME: "/home/pyodide" }, stdout: () => {}, stderr: () => {} };
  if (files.stdlib) options.stdLibURL = new URL(files.stdlib, SITE).href;
  // Called once the wasm is instantiated and the file system is ready, before Python starts.
  options.fsInit = () => { timings.wasm = since(); };
  // Fetch the engine's files while Pyodide starts: a restored engine needs them too, for lazy imports.
  const sources = Promise.all(list.map((name) => fetchOk(new URL(`engine/${name}`, SITE), "bytes")));
  const skills = fetchOk(new URL("engine/skills.json", SITE), "text");
  // Both runtime scripts at once: left to itself, loadPyodide asks for pyodide.asm.mjs (1.2 MB) only once
  // pyodide.mjs has run. createPyodideModule is the factory it would take from that script.
  const [{ loadPyodide }, asm] = await Promise.all(["pyodide.mjs", "pyodide.asm.mjs"].map((name) => import(new URL(name, runtime).href)));
  options.createPyodideModule = asm.default;
  timings.module = since();

  const saved = await snapshot;
  if (saved) {
    try {
      const pyodide = await loadPyodide({ ...options, _loadSnapshot: saved.bytes });
      timings.pyodide = since();
      writeEngine(pyodide, list, await sources);
      const answer = pyodide.globals.get("_answer");
      if ((await sha256(answer(WARM_UP))) !== saved.check) throw new Error("its warm-up answer differs");
      timings.snapshot = "restored";
      return finish(pyodide, answer);
    } catch (err) {
      // A damaged or foreign snapshot: forget it and start the slow way (a new one is made below).
      timings.snapshot_refused = String(err && err.message ? err.message : err).slice(0, 200);
      await dropSnapshot();
    }
  }

  const makeSnapshot = Boolean(files.snapshot && self.caches);
  const pyodide = await loadPyodide({ ...options, _makeSnapshot: makeSnapshot });
  timings.pyodide = since();
  writeEngine(pyodide, list, await sources);
  pyodide.runPython(BOOT, { filename: "engine-worker.py" });
  timings.import = since();
  pyodide.globals.get("_load_skills")(await skills);
  const answer = pyodide.globals.get("_answer");
  const warm = answer(WARM_UP);
  if (makeSnapshot) {
    // Synchronous, so no request can reach Python first. Stored in the background.
    const bytes = pyodide.makeMemorySnapshot();
    timings.snapshot = "made";
    sha256(warm).then((check) => storeSnapshot(files.snapshot, bytes, check), () => {});
  }
  return finish(pyodide, answer);
}

function finish(pyodide, answer) {
  timings.total = since();
  timings.engine = timings.total - timings.pyodide;
  // WebAssembly memory after load: phones (Safari above all) have little to spare. Private API, so optional.
  const heap = pyodide._module?.HEAPU8?.byteLength;
  if (heap) timings.wasm_memory_mb = Math.round(heap / 1048576);
  return answer;
}

const ready = start();
ready.then(() => status("ready", `ready in ${timings.total} ms (Pyodide ${timings.pyodide} ms, engine ${timings.engine} ms; ${JSON.stringify(timings)})`), (err) => status("unavailable", err && err.message ? err.message : err));

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  const { id } = message;
  let answer;
  try {
    answer = await ready;
  } catch (err) {
    self.postMessage({ id, error: `engine unavailable: ${err && err.message ? err.message : err}` });
    return;
  }
  try {
    if (message.type !== "suggest") throw new Error(`unknown message type ${JSON.stringify(message.type)}`);
    const call = message.history === undefined ? { request: message.request } : { request: message.request, history: message.history };
    const result = JSON.parse(answer(JSON.stringify(call)));
    if (result && typeof result.error === "string") self.postMessage({ id, error: result.error });
    else self.postMessage({ id, result });
  } catch (err) {
    self.postMessage({ id, error: String(err && err.message ? err.message : err) });
  }
});
