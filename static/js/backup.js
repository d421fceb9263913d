// Backups: everything as a JSON file, entries as CSV for spreadsheets, and a careful import.
// Files are made in the page (Blob + object URL + <a download>): nothing goes over the network.

import { APP_ID } from "./contract.js";
import { EntryError, FORBIDDEN_KEYS, cleanEntry, fromV1, isId, peak } from "./entry.js";
import { SCHEMA } from "./storage.js";

export const APP = APP_ID;
export const MAX_BYTES = 8 * 1024 * 1024; // five years of worksheets is about 4 MB; localStorage holds about 5
export const MAX_ENTRIES = 20000;

export class ImportError extends Error {}

function day(date = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** File names carry the date only, never anything typed. */
export function fileName(kind, date = new Date()) {
  return `${APP}-${kind}-${day(date)}.${kind === "entries" ? "csv" : "json"}`;
}

export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function backupText(entries, now = new Date()) {
  const sorted = [...entries].sort((a, b) => a.c - b.c || (a.id < b.id ? -1 : 1));
  return JSON.stringify({ app: APP, kind: "backup", schema: SCHEMA, exported: now.toISOString(), entries: sorted }, null, 1);
}

export function downloadBackup(entries) {
  download(fileName("backup"), backupText(entries), "application/json");
}

/** Values that could not be read, exactly as they were stored. */
export function downloadRecovered(items) {
  const text = JSON.stringify({ app: APP, kind: "unreadable-data", exported: new Date().toISOString(), items }, null, 1);
  download(fileName("unreadable-data"), text, "application/json");
}

// A cell that starts like a formula is made plain text, so a spreadsheet never runs it.
function cell(value) {
  let text = value === undefined || value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
  return `"${text.replace(/"/g, '""')}"`;
}

export function entriesCsv(entries, { skillName, vocab }) {
  const head = ["created", "updated", "kind of call", "what happened", "can it change", "emotions", "fits the facts", "urges",
    "my goal", "matters most", "skills tried", "plan skills", "my plan", "good news feels", "skill that helped",
    "skill used", "how well it worked (0-5)", "strongest emotion before (0-10)", "intensity after (0-10)", "what got in the way", "note"];
  const rows = [...entries].sort((a, b) => a.c - b.c).map((e) => [
    new Date(e.c).toISOString(), new Date(e.u).toISOString(), e.kind, e.what, e.chg,
    (e.feel || []).map(([n, i]) => `${n} ${i}`).join("; "), e.fit,
    (e.urge || []).map((u) => `${u[2] || vocab?.urges?.[u[0]] || u[0]} ${u[1]}`).join("; "),
    e.goal, e.pri, (e.tried || []).map(([s, r]) => (r ? `${skillName(s)} (${r})` : skillName(s))).join("; "),
    (e.pick || []).map(skillName).join("; "), e.plan, e.glad, e.gskill ? skillName(e.gskill) : "",
    e.used ? skillName(e.used) : "", e.rate, peak(e), e.now, e.block, e.note,
  ]);
  return "\ufeff" + [head, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

export function downloadCsv(entries, names) {
  download(fileName("entries"), entriesCsv(entries, names), "text/csv");
}

function keysOf(obj, where) {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) throw new ImportError(`${where} is not in the right shape.`);
  const keys = Object.keys(obj);
  const bad = keys.find((k) => FORBIDDEN_KEYS.has(k));
  if (bad) throw new ImportError(`${where} has a field named "${bad}", which a backup never has.`);
  return keys;
}

/**
 * Check a backup's text completely before anything is stored. Returns entries [{id, ...}].
 * Throws ImportError with a plain message saying what is wrong.
 */
export function parseBackup(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    if (error instanceof RangeError) throw new ImportError("This file is nested too deeply to be a backup from this app.");
    throw new ImportError("This file is not a backup from this app: it could not be read as JSON.");
  }
  const top = keysOf(data, "This file");
  // A copy of the first version's store ({version: 1, entries, draft}) can be restored too.
  if (data.version === 1 && !("app" in data)) return parseV1(data, top);
  if (data.app !== APP) throw new ImportError("This file is not a backup from this app.");
  const extra = top.find((k) => !["app", "kind", "schema", "exported", "entries"].includes(k));
  if (extra) throw new ImportError(`This file has a field this app does not know ("${extra.slice(0, 40)}").`);
  if (!Number.isInteger(data.schema) || data.schema < 1) throw new ImportError("This file does not say which version made it.");
  if (data.schema > SCHEMA) throw new ImportError("This backup was made by a newer version of the app. Update the app (close and reopen it), then try again.");
  if (!Array.isArray(data.entries)) throw new ImportError("This file has no list of worksheets.");
  if (data.entries.length > MAX_ENTRIES) throw new ImportError(`This file has more than ${MAX_ENTRIES} worksheets, more than this app keeps.`);
  if (data.schema === 1) return parseV1({ version: 1, entries: data.entries }, ["version", "entries"]);
  const seen = new Set();
  return data.entries.map((raw, i) => {
    const where = `Worksheet ${i + 1}`;
    keysOf(raw, where);
    const { id, ...rest } = raw;
    if (!isId(id)) throw new ImportError(`${where} has no proper id.`);
    if (seen.has(id)) throw new ImportError(`${where} appears twice in the file.`);
    seen.add(id);
    try {
      return { id, ...cleanEntry(rest, { strict: true }) };
    } catch (error) {
      if (error instanceof EntryError) throw new ImportError(`${where}: ${error.message}.`);
      throw error;
    }
  });
}

function parseV1(data, top) {
  const extra = top.find((k) => !["version", "entries", "draft"].includes(k));
  if (extra) throw new ImportError(`This file has a field this app does not know ("${extra.slice(0, 40)}").`);
  if (!Array.isArray(data.entries) || data.entries.length > MAX_ENTRIES) throw new ImportError("This file has no proper list of worksheets.");
  const all = [...data.entries, ...(data.draft ? [data.draft] : [])];
  const seen = new Set();
  return all.map((old, i) => {
    keysOf(old, `Worksheet ${i + 1}`);
    try {
      const { id, entry } = fromV1(old);
      if (seen.has(id)) throw new ImportError(`Worksheet ${i + 1} appears twice in the file.`);
      seen.add(id);
      return { id, ...entry };
    } catch (error) {
      if (error instanceof EntryError) throw new ImportError(`Worksheet ${i + 1}: ${error.message}.`);
      throw error;
    }
  });
}

/** Check size first, then read and check the file. */
export async function readBackup(file) {
  if (file.size > MAX_BYTES) throw new ImportError(`This file is too big (${(file.size / 1048576).toFixed(1)} MB) to be a backup from this app.`);
  if (file.size === 0) throw new ImportError("This file is empty.");
  return parseBackup(await file.text());
}

/** What an import would do: how many entries are new, newer than ours, or already here. */
export function preview(incoming, existing) {
  const have = new Map(existing.map((e) => [e.id, e]));
  let added = 0;
  let updated = 0;
  let same = 0;
  for (const e of incoming) {
    const mine = have.get(e.id);
    if (!mine) added += 1;
    else if (e.u > mine.u) updated += 1;
    else same += 1;
  }
  const times = incoming.map((e) => e.c);
  return { total: incoming.length, added, updated, same, first: Math.min(...times), last: Math.max(...times) };
}
