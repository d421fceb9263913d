// Words made from entries: the short summary for the coach and the week summary for a session.
// Pure functions of entries; pages put the results in the DOM as text.

import { TWELVE_HOUR_LOCALES, VOCAB } from "./contract.js";
import { peak } from "./entry.js";

const KIND_SHORT = VOCAB.callKindsShort;
const RESULT_SHORT = VOCAB.resultsShort;
const PRIORITY_SHORT = VOCAB.prioritiesShort;

export const DAY = 86_400_000;

/** A lookup from skill id to its name; unknown ids (a removed card) show as the id. */
export function skillNamer(skills) {
  const names = new Map((skills || []).map((s) => [s.id, s.name]));
  return (id) => (id === "none" ? "no skill" : names.get(id) || id);
}

/** Shorten text to at most n characters, at a word break, with an ellipsis. Whitespace is tidied. */
export function clip(text, n) {
  const flat = String(text || "").replace(/\s+/g, " ").trim();
  if (flat.length <= n) return flat;
  const cut = flat.slice(0, n - 1);
  const space = cut.lastIndexOf(" ");
  return (space > n * 0.6 ? cut.slice(0, space) : cut) + "…";
}

export function urgeLabel(urge, vocab) {
  const [kind, , words] = urge;
  if (words) return words;
  return vocab?.urges?.[kind] || kind;
}

/** About a text or two: each part is clipped so the whole stays short. */
export function coachSummary(entry, { skillName, vocab }) {
  const lines = [];
  const kind = KIND_SHORT[entry.kind];
  if (entry.kind === "good-news") {
    lines.push(entry.what ? `Good news! ${clip(entry.what, 200)}` : "Good news!");
    if (entry.glad) lines.push(`It feels: ${clip(entry.glad, 120)}`);
    if (entry.gskill) lines.push(`Skill that helped: ${skillName(entry.gskill)}.`);
    return lines.join("\n");
  }
  if (kind) lines.push(`${kind}.`);
  if (entry.what) lines.push(`What happened: ${clip(entry.what, 150)}`);
  if (entry.feel?.length) lines.push(`Feeling: ${entry.feel.map(([n, i]) => `${clip(n, 30)} ${i}/10`).join(", ")}.`);
  // The app's own urge labels read better in lower case; the person's own words stay exactly as typed.
  const urgeWords = (u) => (u[2] ? clip(u[2], 40) : urgeLabel(u, vocab).toLowerCase());
  if (entry.urge?.length) lines.push(`Urges: ${entry.urge.map((u) => `${urgeWords(u)} ${u[1]}/10`).join(", ")}.`);
  if (entry.goal) lines.push(`I want: ${clip(entry.goal, 100)}`);
  if (entry.pri) lines.push(`Matters most: ${PRIORITY_SHORT[entry.pri]}.`);
  if (entry.tried?.length) {
    lines.push(`Tried: ${entry.tried.map(([s, r]) => (r ? `${skillName(s)} (${RESULT_SHORT[r]})` : skillName(s))).join(", ")}.`);
  }
  const plan = [entry.pick?.length ? entry.pick.map(skillName).join(", ") + "." : "", clip(entry.plan, 120)].filter(Boolean).join(" ");
  if (plan) lines.push(`My plan: ${plan}`);
  if (entry.used) {
    const parts = [entry.used === "none" ? "Did not use a skill" : `Used ${skillName(entry.used)}`];
    if (Number.isInteger(entry.rate)) parts.push(`worked ${entry.rate}/5`);
    if (Number.isInteger(entry.now)) parts.push(`now ${entry.now}/10`);
    lines.push(`After: ${parts.join(", ")}.`);
  } else if (Number.isInteger(entry.now)) {
    lines.push(`Feeling now: ${entry.now}/10.`);
  }
  return lines.join("\n");
}

/** Midnight starting the Monday of the week that holds `ms`, in local time. */
export function weekStart(ms) {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  return d.getTime();
}

export function weekEnd(start) {
  const d = new Date(start);
  d.setDate(d.getDate() + 7); // setDate, not +7 days of ms: a week with a clock change is 167 or 169 hours
  return d.getTime();
}

const mean = (xs) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null);

/** Figures for one week: entries oldest first, skills used, ratings, intensity before and after, urges. */
export function weekSummary(entries, start, { skillName, vocab }) {
  const end = weekEnd(start);
  const week = entries.filter((e) => e.c >= start && e.c < end).sort((a, b) => a.c - b.c);
  const skills = new Map();
  const urges = new Map();
  const before = [];
  const after = [];
  for (const e of week) {
    if (e.used && e.used !== "none") {
      const s = skills.get(e.used) || { id: e.used, name: skillName(e.used), times: 0, ratings: [] };
      s.times += 1;
      if (Number.isInteger(e.rate)) s.ratings.push(e.rate);
      skills.set(e.used, s);
    }
    const p = peak(e);
    if (p !== null) before.push(p);
    if (Number.isInteger(e.now)) after.push(e.now);
    for (const u of e.urge || []) {
      const label = urgeLabel(u, vocab);
      const key = `${u[0]}\u0000${u[0] === "other" ? label : ""}`;
      const row = urges.get(key) || { label, times: 0, strongest: 0 };
      row.times += 1;
      row.strongest = Math.max(row.strongest, u[1]);
      urges.set(key, row);
    }
  }
  const paired = week.filter((e) => peak(e) !== null && Number.isInteger(e.now));
  return {
    start,
    end,
    entries: week,
    skills: [...skills.values()].map((s) => ({ ...s, average: mean(s.ratings) })).sort((a, b) => b.times - a.times || a.name.localeCompare(b.name)),
    urges: [...urges.values()].sort((a, b) => b.times - a.times || b.strongest - a.strongest),
    before: mean(before),
    after: mean(after),
    pairedBefore: mean(paired.map(peak)),
    pairedAfter: mean(paired.map((e) => e.now)),
    paired: paired.length,
    noSkill: week.filter((e) => e.used === "none").length,
  };
}

export function kindLabel(kind) {
  return KIND_SHORT[kind] || "Worksheet";
}

export function resultLabel(result) {
  return RESULT_SHORT[result] || "";
}

// The clock time without Intl: a page's first Intl call loads the locale data, which froze the first tap on
// the worksheet for 40-90 ms (bench/README.md), and a save shows the time on every first tap. 12-hour for
// the language tags in TWELVE_HOUR_LOCALES, 24-hour for every other one.
const HOUR12 = new Set(TWELVE_HOUR_LOCALES);

/** "2:05 PM" or "14:05", by the page's language tag. */
export function clockTime(date, lang = document.documentElement.lang || "en") {
  const h = date.getHours();
  const m = String(date.getMinutes()).padStart(2, "0");
  return HOUR12.has(lang.toLowerCase()) ? `${h % 12 || 12}:${m} ${h < 12 ? "AM" : "PM"}` : `${String(h).padStart(2, "0")}:${m}`;
}

// One formatter each, made once: toLocaleString() builds a new one on every call, which is slow over years of entries.
let whenFormat = null;
let dayFormat = null;

export function formatWhen(ms) {
  whenFormat ??= new Intl.DateTimeFormat(document.documentElement.lang || undefined,
    { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
  return whenFormat.format(ms);
}

export function formatDay(ms) {
  dayFormat ??= new Intl.DateTimeFormat(document.documentElement.lang || undefined,
    { weekday: "short", day: "numeric", month: "long", year: "numeric" });
  return dayFormat.format(ms);
}
