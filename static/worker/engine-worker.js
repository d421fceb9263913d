// The suggestion engine's worker: Pyodide plus coach/ (the same Python as `python -m coach`).
//
// A MODULE worker (Pyodide 314 refuses classic workers). Start it with
//   new Worker(new URL("../worker/engine-worker.js", import.meta.url), { type: "module" })
// Messages in:  { id, type: "suggest", request, history }
// Messages out: { id, result } or { id, error }, and unsolicited
//               { type: "status", state: "loading" | "ready" | "unavailable", detail }
// User data reaches Python only as a JSON string argument, never as Python source.
// Everything it needs comes from this site (see engine/files.json), so it works offline.

const SITE = new URL("../", import.meta.url);
const ENGINE_DIR = "/home/pyodide/engine";
// Pyodide needs a lock file to start. The engine installs no packages, so an empty one
// does; its "info" must match the interpreter (Pyodide 314.0.7 ships this one).
const LOCK = {
  info: { abi_version: "2026_0", arch: "wasm32", platform: "emscripten_5_0_3", python: "3.14.2" },
  packages: {},
};
// Fixed Python source: it defines a function, and JSON text is passed to it as data.
const BOOT = `
import sys
sys.path.insert(0, ${JSON.stringify(ENGINE_DIR)})
import coach

def _engine(skills_text):
    import json
    skills = json.loads(skills_text)
    def answer(call_text):
        return coach.handle(call_text, skills)
    return answer

_engine
`;

function status(state, detail = "") {
  self.postMessage({ type: "status", state, detail: String(detail) });
}

async function fetchOk(url, as) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname || url}: HTTP ${response.status}`);
  return as === "json" ? response.json() : as === "bytes" ? new Uint8Array(await response.arrayBuffer()) : response.text();
}

const timings = {};

async function start() {
  const t0 = performance.now();
  status("loading");
  const files = await fetchOk(new URL("engine/files.json", SITE), "json");
  const list = Array.isArray(files) ? files : files.files;
  const runtime = new URL(files.runtime || "pyodide/", SITE);
  const options = { indexURL: runtime.href, lockFileContents: LOCK, env: { HOME: "/home/pyodide" }, stdout: () => {}, stderr: () => {} };
  if (files.stdlib) options.stdLibURL = new URL(files.stdlib, SITE).href;
  // Fetch the engine's files while Pyodide starts.
  const sources = Promise.all(list.map((name) => fetchOk(new URL(`engine/${name}`, SITE), "bytes")));
  const skills = fetchOk(new URL("engine/skills.json", SITE), "text");
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtime).href);
  const pyodide = await loadPyodide(options);
  timings.pyodide = Math.round(performance.now() - t0);
  const bytes = await sources;
  timings.files = Math.round(performance.now() - t0);
  list.forEach((name, i) => {
    if (!/^coach\/[A-Za-z0-9_]+\.py$/.test(name)) throw new Error(`engine/files.json: unexpected file ${name}`);
    pyodide.FS.mkdirTree(`${ENGINE_DIR}/coach`);
    pyodide.FS.writeFile(`${ENGINE_DIR}/${name}`, bytes[i]);
  });
  const make = pyodide.runPython(BOOT, { filename: "engine-worker.py" });
  timings.import = Math.round(performance.now() - t0);
  const answer = make(await skills);
  make.destroy();
  timings.skills = Math.round(performance.now() - t0);
  // Warm up: the first call imports and runs everything once.
  JSON.parse(answer(JSON.stringify({ request: { call_kind: "coaching", emotions: [{ name: "anger", intensity: 5 }], situation: "warm up" } })));
  timings.total = Math.round(performance.now() - t0);
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
