// The page side of the suggestion engine: starts the worker and hides its message ids.
//
//   import { startEngine, suggest, engineState } from "./engine.js";
//   startEngine();
//   suggest(request, history).then((result) => ..., (err) => ...);
//
// State is kept in document.documentElement.dataset.engine ("idle" | "loading" | "ready" |
// "unavailable") and announced as a window "engine-state" event with detail { state, detail }.
// Safety: if the engine is not ready within LOAD_MS (Pyodide can hang for ever on a wrong
// wasm MIME type or a CSP block) or the worker fails, the state becomes "unavailable" and
// suggest() rejects at once, so the page falls back to its static guide. A request that
// takes longer than REQUEST_MS is abandoned: its promise rejects and the worker restarts.

const LOAD_MS = 30000;
const REQUEST_MS = 3000;
const MAX_RESTARTS = 2; // timeouts in a row before giving up

let worker = null;
let state = document.documentElement.dataset.engine || "idle";
let nextId = 1;
let loadTimer = 0;
let restarts = 0;
const waiting = []; // requests made while loading: { message, resolve, reject }
const inFlight = new Map(); // id -> { resolve, reject, timer }

let stateDetail = "";

function setState(next, detail = "") {
  if (state === next) return;
  state = next;
  stateDetail = String(detail);
  document.documentElement.dataset.engine = next;
  window.dispatchEvent(new CustomEvent("engine-state", { detail: { state: next, detail } }));
}

export function engineState() {
  return state;
}

/** Why the engine is in its state, e.g. "ready in 1200 ms (...)" or the load error. */
export function engineDetail() {
  return stateDetail;
}

function stopWorker() {
  clearTimeout(loadTimer);
  if (worker) {
    worker.onmessage = worker.onerror = worker.onmessageerror = null;
    worker.terminate();
    worker = null;
  }
}

function rejectAll(reason) {
  for (const [id, job] of inFlight) {
    clearTimeout(job.timer);
    inFlight.delete(id);
    job.reject(new Error(reason));
  }
  while (waiting.length) waiting.shift().reject(new Error(reason));
}

function fail(detail) {
  stopWorker();
  rejectAll(`suggestions are unavailable: ${detail}`);
  setState("unavailable", detail);
}

function send(job) {
  const timer = setTimeout(() => {
    inFlight.delete(job.message.id);
    job.reject(new Error("the engine took too long"));
    restart();
  }, REQUEST_MS);
  inFlight.set(job.message.id, { resolve: job.resolve, reject: job.reject, timer });
  worker.postMessage(job.message);
}

function onMessage(event) {
  const data = event.data || {};
  if (data.type === "status") {
    if (data.state === "ready") {
      clearTimeout(loadTimer);
      setState("ready", data.detail || "");
      while (waiting.length && worker) send(waiting.shift());
    } else if (data.state === "unavailable") {
      fail(data.detail || "the engine could not start");
    }
    return;
  }
  const job = inFlight.get(data.id);
  if (!job) return; // abandoned after a timeout
  clearTimeout(job.timer);
  inFlight.delete(data.id);
  restarts = 0;
  if ("error" in data) job.reject(new Error(data.error));
  else job.resolve(data.result);
}

function spawn() {
  setState("loading");
  try {
    worker = new Worker(new URL("../worker/engine-worker.js", import.meta.url), { type: "module" });
  } catch (err) {
    fail(`the worker could not start (${err && err.message ? err.message : err})`);
    return;
  }
  worker.onmessage = onMessage;
  worker.onerror = (event) => {
    if (event && event.preventDefault) event.preventDefault();
    fail(`the worker failed (${(event && event.message) || "error"})`);
  };
  worker.onmessageerror = () => fail("a message could not be read");
  loadTimer = setTimeout(() => fail(`not ready after ${LOAD_MS / 1000} seconds`), LOAD_MS);
}

function restart() {
  stopWorker();
  rejectAll("the engine restarted");
  restarts += 1;
  if (restarts > MAX_RESTARTS) {
    setState("unavailable", "the engine kept timing out");
    return;
  }
  spawn();
}

/** Start the engine (safe to call more than once; retries after "unavailable"). */
export function startEngine() {
  if (worker) return;
  if (typeof Worker === "undefined") {
    setState("unavailable", "this browser has no web workers");
    return;
  }
  restarts = 0;
  spawn();
}

/**
 * Suggestions for a request (see coach/schema.py): resolves to
 * { crisis_first, suggestions: [{ skill, name, reason, first_step }], notes } or rejects
 * with an Error whose message says why (an invalid field, a timeout, no engine).
 */
export function suggest(request, history = null) {
  return new Promise((resolve, reject) => {
    if (state === "idle") startEngine();
    if (state === "unavailable" || !worker) {
      reject(new Error("suggestions are unavailable"));
      return;
    }
    const job = { message: { id: nextId++, type: "suggest", request, history }, resolve, reject };
    if (state === "ready") send(job);
    else waiting.push(job);
  });
}
