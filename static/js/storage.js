// The worksheet store: localStorage only, one key per entry, with a schema version and migrations.
//
// Keys: KEYS in contract.js (builder/contract.py has the table and what each holds).
// Everything is mirrored in memory, so a full or disabled store never loses what was typed this session.

import { KEYS, LEGACY_KEYS, PREFIX, SCHEMA_VERSION } from "./contract.js";
import { FORBIDDEN_KEYS, EntryError, cleanEntry, fromV1, isId, merge } from "./entry.js";

export const SCHEMA = SCHEMA_VERSION;
export const KEY = { ...KEYS, v1: LEGACY_KEYS.v1 };
const TAB_KEY = KEYS.tab;
/** Every key this app owns, now or in an older version. */
const ours = (key) => key.startsWith(PREFIX) || Object.values(LEGACY_KEYS).includes(key);

export class StoreError extends Error {
  constructor(kind, cause) {
    super(kind);
    this.kind = kind;
    this.cause = cause;
  }
}

/** "full" for every browser's quota error, "off" when storage is disabled or blocked, else "other". */
export function classify(error) {
  const name = error?.name || "";
  const code = error?.code;
  if (name === "QuotaExceededError" || name === "NS_ERROR_DOM_QUOTA_REACHED" || code === 22 || code === 1014) return "full";
  if (name === "SecurityError" || code === 18 || name === "NS_ERROR_FILE_ACCESS_DENIED") return "off";
  return "other";
}

let ls = null;
const mem = new Map(); // id -> entry, the whole store in memory
const stored = new Set(); // ids known to be in localStorage (to tell "deleted elsewhere" from "never saved")
const listeners = new Set();
const unreadable = []; // [{key, value}] kept in place because moving them aside failed
export const status = {
  problem: null, // null | "full" | "off" | "other": the last write or read failed
  readOnly: false, // data from a newer version
  newer: null, // that version's number
  opened: false,
};

function emit(change) {
  for (const fn of listeners) fn(change);
}

/** fn(change): change is {id, entry|null} for an entry changed in another tab, or {status: true}. */
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function setProblem(kind) {
  if (status.problem !== kind) {
    status.problem = kind;
    emit({ status: true });
  }
}

function parseEntry(raw, strict) {
  return cleanEntry(JSON.parse(raw), { strict });
}

function keys() {
  const out = [];
  for (let i = 0; i < ls.length; i++) {
    const key = ls.key(i);
    if (key !== null) out.push(key);
  }
  return out;
}

function aside(key, raw) {
  if (status.readOnly) return;
  try {
    ls.setItem(KEY.aside + key, raw);
    ls.removeItem(key);
  } catch {
    unreadable.push({ key, value: raw }); // no room to move it: leave it where it is, still exportable
  }
}

function migrateV1(raw) {
  let data;
  try {
    data = JSON.parse(raw);
  } catch {
    data = null;
  }
  if (!data || typeof data !== "object" || data.version !== 1 || !Array.isArray(data.entries)) {
    aside(KEY.v1, raw);
    return true;
  }
  const converted = [];
  let lost = false;
  for (const old of [...data.entries, ...(data.draft ? [data.draft] : [])]) {
    try {
      converted.push(fromV1(old));
    } catch (error) {
      if (!(error instanceof EntryError)) throw error;
      lost = true;
    }
  }
  for (const { id, entry } of converted) mem.set(id, entry);
  const draftId = data.draft && converted.some((c) => c.id === data.draft.id) ? data.draft.id : null;
  const written = [];
  try {
    for (const { id, entry } of converted) {
      ls.setItem(KEY.entry + id, JSON.stringify(entry));
      written.push(KEY.entry + id);
    }
    if (draftId) ls.setItem(KEY.current, draftId);
    // Anything that could not be converted keeps the whole v1 value aside, untouched.
    if (lost) ls.setItem(KEY.aside + KEY.v1, raw);
    ls.setItem(KEY.schema, String(SCHEMA));
    ls.removeItem(KEY.v1);
    for (const { id } of converted) stored.add(id);
    return true;
  } catch (error) {
    // Undo, so the next start tries again from the untouched v1 value. The entries stay in memory.
    for (const key of written) try { ls.removeItem(key); } catch { /* nothing more to do */ }
    try { ls.removeItem(KEY.schema); ls.removeItem(KEY.current); } catch { /* as above */ }
    setProblem(classify(error));
    return false;
  }
}

function loadAll() {
  mem.clear();
  stored.clear();
  for (const key of keys()) {
    if (!key.startsWith(KEY.entry)) continue;
    const id = key.slice(KEY.entry.length);
    const raw = ls.getItem(key);
    if (raw === null) continue;
    try {
      if (!isId(id)) throw new EntryError("bad id");
      mem.set(id, parseEntry(raw, !status.readOnly));
      stored.add(id);
    } catch {
      aside(key, raw);
      if (status.readOnly) unreadable.push({ key, value: raw });
    }
  }
}

/** Open the store: check access, migrate, set aside what cannot be read, load entries. Safe to call twice. */
export function open() {
  if (status.opened) return status;
  status.opened = true;
  try {
    ls = window.localStorage;
    ls.getItem(KEY.schema);
  } catch (error) {
    ls = null;
    setProblem(classify(error) === "full" ? "full" : "off");
    return status;
  }
  try {
    const schema = ls.getItem(KEY.schema);
    let load = true;
    if (schema === null) {
      const v1 = ls.getItem(KEY.v1);
      // If the migration could not write, its entries stay in memory only: do not reload over them.
      if (v1 !== null) load = migrateV1(v1);
    } else if (!/^[0-9]{1,6}$/.test(schema)) {
      aside(KEY.schema, schema);
    } else if (Number(schema) > SCHEMA) {
      status.readOnly = true;
      status.newer = Number(schema);
    }
    if (load) loadAll();
  } catch (error) {
    setProblem(classify(error) === "full" ? "full" : "off");
  }
  window.addEventListener("storage", onStorage);
  return status;
}

function onStorage(event) {
  if (!ls || event.storageArea !== ls) return;
  if (event.key === null) {
    loadAll();
    emit({ all: true });
  } else if (event.key === KEY.schema) {
    const n = Number(event.newValue);
    if (n > SCHEMA && !status.readOnly) {
      status.readOnly = true;
      status.newer = n;
      emit({ status: true });
    }
  } else if (event.key.startsWith(KEY.entry)) {
    const id = event.key.slice(KEY.entry.length);
    let entry = null;
    if (event.newValue !== null) {
      try {
        entry = parseEntry(event.newValue, !status.readOnly);
      } catch {
        return; // the other tab will have set it aside itself
      }
      mem.set(id, entry);
      stored.add(id);
    } else {
      mem.delete(id);
      stored.delete(id);
    }
    emit({ id, entry });
  }
}

/** Every entry, newest first, each with its id. */
export function listEntries() {
  return [...mem].map(([id, e]) => ({ id, ...e })).sort((a, b) => b.c - a.c || (a.id < b.id ? 1 : -1));
}

export function getEntry(id) {
  const e = mem.get(id);
  return e ? { ...e } : null;
}

export function count() {
  return mem.size;
}

function readStored(id) {
  const raw = ls.getItem(KEY.entry + id);
  if (raw === null) return null;
  try {
    return parseEntry(raw, true);
  } catch {
    aside(KEY.entry + id, raw);
    return null;
  }
}

/**
 * Save this tab's version of an entry. `base` is the version this tab last read or wrote (null if new).
 * If another tab saved in between, the two are merged field by field (see entry.merge).
 * Returns {entry, saved, merged, deleted}: saved is false when storage failed (the entry is kept in memory);
 * deleted is true when another tab deleted it (nothing is written).
 */
export function saveEntry(id, local, base) {
  if (status.readOnly) return { entry: local, saved: false, merged: false, deleted: false };
  let current = null;
  if (ls) {
    try {
      current = readStored(id);
    } catch (error) {
      setProblem(classify(error));
    }
    if (!current && stored.has(id) && base) return { entry: local, saved: false, merged: false, deleted: true };
  }
  // Someone else wrote since this tab last looked (or wrote first, when this tab has never saved it).
  const conflict = Boolean(current && (!base || current.r !== base.r));
  const next = conflict ? merge(base || {}, local, current) : { ...local };
  delete next.id;
  next.r = (current?.r ?? base?.r ?? 0) + 1;
  next.c = next.c ?? Date.now();
  next.u = Math.max(Date.now(), (current?.u ?? 0) + 1);
  const entry = cleanEntry(next);
  mem.set(id, entry);
  if (!ls) return { entry, saved: false, merged: conflict, deleted: false };
  try {
    ls.setItem(KEY.entry + id, JSON.stringify(entry));
    if (ls.getItem(KEY.schema) === null) ls.setItem(KEY.schema, String(SCHEMA));
    stored.add(id);
    if (status.problem) {
      status.problem = null;
      emit({ status: true });
    }
    return { entry, saved: true, merged: conflict, deleted: false };
  } catch (error) {
    setProblem(classify(error));
    return { entry, saved: false, merged: conflict, deleted: false };
  }
}

export function deleteEntry(id) {
  mem.delete(id);
  stored.delete(id);
  if (!ls || status.readOnly) return;
  try {
    ls.removeItem(KEY.entry + id);
    if (ls.getItem(KEY.current) === id) ls.removeItem(KEY.current);
  } catch (error) {
    setProblem(classify(error));
  }
}

/** Delete every entry and everything else this app keeps on the device. */
export function deleteAll() {
  mem.clear();
  stored.clear();
  unreadable.length = 0;
  if (!ls || status.readOnly) return;
  try {
    for (const key of keys()) if (ours(key)) ls.removeItem(key);
    try { sessionStorage.removeItem(TAB_KEY); } catch { /* not needed */ }
  } catch (error) {
    setProblem(classify(error));
  }
}

/** The entry the worksheet should open: this tab's, else the last one started on this device. */
export function currentId() {
  let id = null;
  try { id = sessionStorage.getItem(TAB_KEY); } catch { /* sessionStorage may be off too */ }
  if (id && mem.has(id)) return id;
  try { id = ls?.getItem(KEY.current) ?? null; } catch { id = null; }
  return id && mem.has(id) ? id : null;
}

export function setCurrent(id) {
  try { sessionStorage.setItem(TAB_KEY, id); } catch { /* fine: localStorage below still remembers */ }
  if (!ls || status.readOnly) return;
  try { ls.setItem(KEY.current, id); } catch { /* the entry itself matters more; its save reports problems */ }
}

/** Values that could not be read, kept aside: [{key, value}] with the original key. */
export function recovered() {
  const out = [...unreadable];
  if (ls) {
    try {
      for (const key of keys()) if (key.startsWith(KEY.aside)) out.push({ key: key.slice(KEY.aside.length), value: ls.getItem(key) });
    } catch { /* nothing readable */ }
  }
  return out;
}

export function forgetRecovered() {
  unreadable.length = 0;
  if (!ls || status.readOnly) return;
  try {
    for (const key of keys()) if (key.startsWith(KEY.aside)) ls.removeItem(key);
  } catch (error) {
    setProblem(classify(error));
  }
}

/**
 * Add or replace entries all at once: on any failure, storage is put back exactly as it was.
 * mode "merge": an entry with the same id is kept if it was updated later than the incoming one.
 */
export function applyImport(entries, mode) {
  if (status.readOnly) throw new StoreError("readonly");
  const incoming = new Map(entries.map(({ id, ...e }) => [id, e]));
  const next = new Map(mode === "replace" ? [] : mem);
  for (const [id, e] of incoming) {
    const have = next.get(id);
    if (!have || mode === "replace" || e.u > have.u) next.set(id, e);
  }
  if (ls) {
    const before = new Map();
    try {
      for (const key of keys()) if (ours(key)) before.set(key, ls.getItem(key));
    } catch (error) {
      throw new StoreError(classify(error), error);
    }
    try {
      if (mode === "replace") {
        for (const key of before.keys()) if (key.startsWith(KEY.entry) || key === KEY.current) ls.removeItem(key);
      }
      for (const [id, e] of next) {
        if (mem.get(id) !== e || mode === "replace") ls.setItem(KEY.entry + id, JSON.stringify(e));
      }
      ls.setItem(KEY.schema, String(SCHEMA));
    } catch (error) {
      restore(before);
      throw new StoreError(classify(error), error);
    }
  }
  mem.clear();
  stored.clear();
  for (const [id, e] of next) {
    mem.set(id, e);
    if (ls) stored.add(id);
  }
  emit({ all: true });
}

function restore(before) {
  for (const key of keys()) if (ours(key) && !before.has(key)) ls.removeItem(key);
  for (const [key, value] of before) if (ls.getItem(key) !== value) ls.setItem(key, value);
}

/** Ask the browser to keep this site's storage. Returns true, false, or null when it cannot be asked. */
export async function askPersist() {
  const s = navigator.storage;
  if (!s?.persist) return null;
  let kept = null;
  try {
    kept = (s.persisted && (await s.persisted())) || (await s.persist());
  } catch {
    return null;
  }
  try {
    if (ls && !status.readOnly) ls.setItem(KEY.kept, kept ? "1" : "0");
  } catch {
    /* only a hint */
  }
  return kept;
}

/** The browser's last answer to askPersist() on this device (true/false), or null if never asked. */
export function lastPersist() {
  try {
    const v = ls && ls.getItem(KEY.kept);
    return v === "1" ? true : v === "0" ? false : null;
  } catch {
    return null;
  }
}

export { FORBIDDEN_KEYS };
