// One worksheet entry: its stored shape (schema v2), checks, and what the engine is asked.
// Stored entries are compact: short field names and no empty fields, so five years fit in localStorage.
//
// v2 entry (every field optional except r, c, u):
//   r revision (counts saves; two tabs use it to notice each other), c created ms, u updated ms,
//   kind call kind, what what happened, chg can it be changed, feel [[emotion, 0-10]], fit fits the facts,
//   urge [[kind, 0-10, own words?]], goal, pri what matters most, tried [[skill, result?]],
//   pick [skill] (the plan's skills), plan (own words), glad how good news feels, gskill skill that helped,
//   used skill used afterwards or "none", rate 0-5, now intensity afterwards 0-10, note, block what got in the way.

import { LIMITS, REQUEST_LIMITS, SCALE, THRESHOLDS, V1_NAMES, VOCAB } from "./contract.js";

export { LIMITS };
export const CALL_KINDS = Object.keys(VOCAB.callKinds);
export const URGE_KINDS = Object.keys(VOCAB.urges);
export const ANSWERS = VOCAB.answers;
export const PRIORITIES = Object.keys(VOCAB.priorities);
export const RESULTS = Object.keys(VOCAB.results);
const TEXT_FIELDS = ["what", "goal", "plan", "glad", "note", "block"];
const ID_RE = /^[a-z0-9][a-z0-9-]{3,39}$/;
const SKILL_RE = new RegExp(`^[a-z0-9][a-z0-9-]{0,${LIMITS.skill - 1}}$`);
// Keys that could reach Object.prototype if a careless reader ever copied them.
export const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export class EntryError extends Error {}

export function newId(now = Date.now()) {
  const bytes = crypto.getRandomValues(new Uint8Array(5));
  const rand = Array.from(bytes, (b) => (b % 36).toString(36)).join("");
  return now.toString(36) + rand;
}

export function isId(value) {
  return typeof value === "string" && ID_RE.test(value);
}

const isInt = (v, lo, hi) => Number.isInteger(v) && v >= lo && v <= hi;
const isSkill = (v) => typeof v === "string" && SKILL_RE.test(v);

function fail(field, what) {
  throw new EntryError(`${field}: ${what}`);
}

function text(value, field, max) {
  if (typeof value !== "string") fail(field, "must be text");
  if (value.length > max) fail(field, `is longer than ${max} characters`);
  return value;
}

function list(value, field, max) {
  if (!Array.isArray(value)) fail(field, "must be a list");
  if (value.length > max) fail(field, `has more than ${max} items`);
  return value;
}

function oneOf(value, field, options) {
  if (!options.includes(value)) fail(field, `must be one of ${options.join(", ")}`);
  return value;
}

function ownKeys(obj, field) {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) fail(field, "must be an object");
  const keys = Object.keys(obj);
  for (const key of keys) if (FORBIDDEN_KEYS.has(key)) fail(field, `has a key that is not allowed (${key})`);
  return keys;
}

/**
 * Check a v2 entry and return a clean copy (a new object with only known, valid fields; empty ones dropped).
 * strict: unknown fields are an error (imports); otherwise they are ignored (data from a newer version).
 * Throws EntryError naming the field.
 */
export function cleanEntry(raw, { strict = true } = {}) {
  const out = Object.create(null);
  for (const key of ownKeys(raw, "entry")) {
    const v = raw[key];
    switch (key) {
      case "r": if (!isInt(v, 1, Number.MAX_SAFE_INTEGER)) fail(key, "must be a whole number"); out.r = v; break;
      case "c": case "u": if (!isInt(v, 0, 8.64e15)) fail(key, "must be a time"); out[key] = v; break;
      case "kind": out.kind = oneOf(v, key, CALL_KINDS); break;
      case "chg": case "fit": out[key] = oneOf(v, key, ANSWERS); break;
      case "pri": out.pri = oneOf(v, key, PRIORITIES); break;
      case "feel":
        out.feel = list(v, key, LIMITS.feel).map((f, i) => {
          list(f, `${key}[${i}]`, 2);
          const name = text(f[0], `${key}[${i}] name`, LIMITS.emotion).trim();
          if (!name) fail(`${key}[${i}]`, "needs a name");
          if (!isInt(f[1], SCALE.min, SCALE.max)) fail(`${key}[${i}]`, `intensity must be ${SCALE.min} to ${SCALE.max}`);
          return [name, f[1]];
        });
        break;
      case "urge":
        out.urge = list(v, key, LIMITS.urge).map((u, i) => {
          list(u, `${key}[${i}]`, 3);
          oneOf(u[0], `${key}[${i}] kind`, URGE_KINDS);
          if (!isInt(u[1], SCALE.min, SCALE.max)) fail(`${key}[${i}]`, `strength must be ${SCALE.min} to ${SCALE.max}`);
          if (u.length === 3) return [u[0], u[1], text(u[2], `${key}[${i}] words`, LIMITS.urgeLabel)];
          if (u.length !== 2) fail(`${key}[${i}]`, "must be [kind, strength, words?]");
          return [u[0], u[1]];
        });
        break;
      case "tried":
        out.tried = list(v, key, LIMITS.tried).map((t, i) => {
          list(t, `${key}[${i}]`, 2);
          if (!isSkill(t[0])) fail(`${key}[${i}]`, "must name a skill");
          if (t.length === 2) return [t[0], oneOf(t[1], `${key}[${i}] result`, RESULTS)];
          return [t[0]];
        });
        break;
      case "pick":
        out.pick = list(v, key, LIMITS.pick).map((s, i) => {
          if (!isSkill(s)) fail(`${key}[${i}]`, "must name a skill");
          return s;
        });
        break;
      case "gskill": if (!isSkill(v)) fail(key, "must name a skill"); out.gskill = v; break;
      case "used": if (!isSkill(v)) fail(key, "must name a skill or none"); out.used = v; break;
      case "rate": if (!isInt(v, 0, SCALE.rateMax)) fail(key, `must be 0 to ${SCALE.rateMax}`); out.rate = v; break;
      case "now": if (!isInt(v, SCALE.min, SCALE.max)) fail(key, `must be ${SCALE.min} to ${SCALE.max}`); out.now = v; break;
      default:
        if (TEXT_FIELDS.includes(key)) {
          out[key] = text(v, key, LIMITS[key]);
        } else if (strict) {
          fail(key, "is not a field of a worksheet");
        }
    }
  }
  for (const need of ["r", "c", "u"]) if (!(need in out)) fail(need, "is missing");
  return compact(out);
}

/** Drop empty fields, so stored entries stay small. Returns a plain object. */
export function compact(entry) {
  const out = {};
  for (const [key, value] of Object.entries(entry)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}

/** Highest emotion intensity, or null when none was given. */
export function peak(entry) {
  const levels = (entry.feel || []).map((f) => f[1]);
  return levels.length ? Math.max(...levels) : null;
}

/** True when the kind prompt to get help must show: a self-harm or suicide urge at the crisis threshold, or any intensity at the extreme. */
export function needsHelpPrompt(entry) {
  const urgent = (entry.urge || []).some((u) => VOCAB.safetyUrges.includes(u[0]) && u[1] >= THRESHOLDS.crisisUrge);
  const extreme = (entry.feel || []).some((f) => f[1] >= THRESHOLDS.extreme) || (Number.isInteger(entry.now) && entry.now >= THRESHOLDS.extreme);
  return urgent || extreme;
}

/** The engine's request for this entry (see coach/schema.py). Only what the engine reads. */
export function toRequest(entry) {
  const request = {};
  if (entry.kind) request.call_kind = entry.kind;
  if (entry.feel?.length) request.emotions = entry.feel.map(([name, intensity]) => ({ name: name.slice(0, REQUEST_LIMITS.emotion), intensity }));
  if (entry.urge?.length) {
    request.urges = entry.urge.map(([kind, strength, label]) => (label ? { kind, strength, label: label.slice(0, REQUEST_LIMITS.urgeLabel) } : { kind, strength }));
  }
  const situation = [entry.what, entry.goal].filter(Boolean).join(" ").trim();
  if (situation) request.situation = situation.slice(0, REQUEST_LIMITS.situation);
  if (entry.chg) request.can_change = entry.chg;
  if (entry.fit) request.fits_facts = entry.fit;
  if (entry.pri) request.priority = entry.pri;
  if (entry.tried?.length) request.tried = entry.tried.map(([skill, result]) => (result ? { skill, result } : { skill }));
  return request;
}

/** The engine's history: what past entries said about skills used, oldest first. */
export function reflections(entries, exceptId = null, most = 1000) {
  return entries
    .filter((e) => e.id !== exceptId && e.used && e.used !== "none" && Number.isInteger(e.rate))
    .sort((a, b) => a.c - b.c)
    .slice(-most)
    .map((e) => ({ skill: e.used, rating: e.rate }));
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Three-way merge of one entry edited in two places. Fields this tab did not change since `base`
 * take the stored value; fields it did change keep its value. Neither tab's edits are lost.
 */
export function merge(base, mine, theirs) {
  const out = {};
  const keys = new Set([...Object.keys(base || {}), ...Object.keys(mine), ...Object.keys(theirs)]);
  for (const key of keys) {
    if (key === "r" || key === "u" || key === "id") continue;
    const value = base && same(mine[key], base[key]) ? theirs[key] : mine[key];
    if (value !== undefined) out[key] = value;
  }
  out.c = theirs.c ?? mine.c;
  return out;
}

export function changedFields(a, b) {
  const keys = new Set([...Object.keys(a || {}), ...Object.keys(b || {})]);
  return [...keys].filter((k) => k !== "r" && k !== "u" && !same(a?.[k], b?.[k]));
}

// ---- Schema v1: the first shape, one JSON value under "between-sessions". ----
// { version: 1, entries: [V1], draft: V1 | null }, V1 = { id, createdAt, updatedAt (ISO), callType
// ("crisis" | "skills" | "repair" | "good-news"), situation, emotions [{name, intensity}],
// urges [{type, strength, text}], goal, whatMatters, skillsTried [skill], plan, planSkills [skill],
// skillUsed, rating, intensityAfter, note }.
const V1_KINDS = V1_NAMES.callTypes;
const V1_URGES = V1_NAMES.urges;

function v1Time(value, field) {
  const ms = typeof value === "string" ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) fail(field, "is not a date");
  return ms;
}

/** Convert one v1 entry to v2. Throws EntryError when it cannot be read as a v1 entry. */
export function fromV1(old) {
  ownKeys(old, "entry");
  if (!isId(old.id)) fail("id", "is not an entry id");
  const c = v1Time(old.createdAt, "createdAt");
  const e = { r: 1, c, u: old.updatedAt ? v1Time(old.updatedAt, "updatedAt") : c };
  if (old.callType) {
    if (!(old.callType in V1_KINDS)) fail("callType", "is unknown");
    e.kind = V1_KINDS[old.callType];
  }
  if (old.situation) e.what = old.situation;
  if (old.emotions) e.feel = list(old.emotions, "emotions", 100).map((f) => [String(f.name ?? "").trim(), f.intensity]);
  if (old.urges) {
    e.urge = list(old.urges, "urges", 100).map((u) => {
      if (!(u.type in V1_URGES)) fail("urges", `has an unknown urge (${u.type})`);
      return u.text ? [V1_URGES[u.type], u.strength, u.text] : [V1_URGES[u.type], u.strength];
    });
  }
  if (old.goal) e.goal = old.goal;
  if (old.whatMatters) e.pri = old.whatMatters;
  if (old.skillsTried) e.tried = list(old.skillsTried, "skillsTried", 200).map((s) => [s]);
  if (old.plan) e.plan = old.plan;
  if (old.planSkills) e.pick = old.planSkills;
  if (old.skillUsed) e.used = old.skillUsed;
  if (old.rating !== undefined && old.rating !== null) e.rate = old.rating;
  if (old.intensityAfter !== undefined && old.intensityAfter !== null) e.now = old.intensityAfter;
  if (old.note) e.note = old.note;
  return { id: old.id, entry: cleanEntry(e) };
}
