// Get help now and the coach status. The pages are complete static HTML; this only enhances them:
// it narrows the crisis lines to the person's region (remembered on this device), and works out
// whether coaching is open now, in the clinic's time zone.

import { KEYS, LEGACY_KEYS } from "./contract.js";

const REGION_KEY = KEYS.region;
const WEEKDAYS = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const lang = document.documentElement.lang || undefined;

function readRegion() {
  try {
    const value = localStorage.getItem(REGION_KEY);
    if (value !== null) return value;
    // Kept under another name by an older version: move it, so "delete everything" finds it.
    const old = localStorage.getItem(LEGACY_KEYS.region);
    if (old !== null) {
      localStorage.setItem(REGION_KEY, old);
      localStorage.removeItem(LEGACY_KEYS.region);
    }
    return old;
  } catch {
    return null; // storage blocked: the page still works, the choice is just not kept
  }
}

function keepRegion(value) {
  try {
    localStorage.setItem(REGION_KEY, value);
  } catch {
    // as above
  }
}

function deviceZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return "";
  }
}

// A first guess from the device's time zone setting (never its location). A zone ending in "/" is a prefix.
export function guessRegion(zone, regions) {
  if (!zone) return null;
  for (const { id, zones } of regions) {
    if (zones.some((z) => (z.endsWith("/") ? zone.startsWith(z) : zone === z))) return id;
  }
  return null;
}

function setUpRegions() {
  const pick = document.querySelector("[data-region-pick]");
  const select = document.getElementById("region");
  if (!pick || !select) return;
  const sections = [...document.querySelectorAll("[data-region]")];
  const regions = sections.map((s) => ({ id: s.dataset.region, zones: s.dataset.zones.split(" ").filter(Boolean) }));
  const known = (id) => id === "all" || regions.some((r) => r.id === id);
  const other = document.querySelector("[data-region-other]");
  const hint = document.querySelector("[data-region-hint]");

  function show(id) {
    for (const section of sections) section.hidden = id !== "all" && section.dataset.region !== id;
    if (other) other.hidden = id === "all";
  }

  const saved = readRegion();
  const guess = guessRegion(deviceZone(), regions);
  const start = known(saved) ? saved : guess || (known(pick.dataset.default) ? pick.dataset.default : "all");
  if (!known(saved) && guess && hint) {
    hint.textContent = "We guessed this from your device's time zone. Change it if it is not right. Your choice is kept on this device only.";
  }
  select.value = start;
  show(start);
  select.addEventListener("change", () => {
    keepRegion(select.value);
    show(select.value);
  });
  pick.hidden = false;
}

// Day of the week (0 = Monday) and minute of the day at `date` in time zone `zone`.
function zoneClock(zone, date) {
  const parts = {};
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: zone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  for (const p of format.formatToParts(date)) parts[p.type] = p.value;
  return { day: WEEKDAYS[parts.weekday], minute: (Number(parts.hour) % 24) * 60 + Number(parts.minute) };
}

// slots: [[day 0=Monday, start minute, end minute]] in the clinic's zone.
// Returns {open: true, until: Date} or {open: false, next: Date}, or null when there are no hours.
export function coachStatus(slots, zone, now) {
  if (!slots.length) return null;
  const { day, minute } = zoneClock(zone, now);
  const startOfMinute = now.getTime() - (now.getTime() % 60000);
  const at = (minutes) => new Date(startOfMinute + minutes * 60000);
  for (const [d, start, end] of slots) {
    if (d === day && start <= minute && minute < end) {
      // Coaching that runs to midnight and on from 00:00 the next day counts as one stretch.
      let until = end - minute;
      let [nd, ne] = [d, end];
      while (ne === 1440) {
        nd = (nd + 1) % 7;
        const more = slots.find(([d2, s2]) => d2 === nd && s2 === 0);
        if (!more || until >= 7 * 1440) break;
        until += more[2];
        ne = more[2];
      }
      return { open: true, until: at(until) };
    }
  }
  let best = null;
  let bestStart = 0;
  for (const [d, start] of slots) {
    let ahead = ((d - day + 7) % 7) * 1440 + start - minute;
    if (ahead <= 0) ahead += 7 * 1440;
    if (best === null || ahead < best) [best, bestStart] = [ahead, start];
  }
  let next = at(best);
  // A daylight saving change in between moves the clock by up to an hour: correct for it.
  const drift = bestStart - zoneClock(zone, next).minute;
  if (drift && Math.abs(drift) <= 120) next = at(best + drift);
  return { open: false, next };
}

function when(date, now) {
  const time = new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit" }).format(date);
  const day = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((day(date) - day(now)) / 86400000);
  if (days === 0) return `today at ${time}`;
  if (days === 1) return `tomorrow at ${time}`;
  const weekday = new Intl.DateTimeFormat(lang, { weekday: "long" }).format(date);
  return `on ${weekday} at ${time}`;
}

function setUpCoachStatus() {
  const box = document.querySelector(".coach-status[data-slots]");
  if (!box) return;
  const slots = JSON.parse(box.dataset.slots);
  const zone = box.dataset.timeZone;
  const now_ = box.querySelector("[data-coach-now]");
  const meanwhile = box.querySelector("[data-coach-meanwhile]");
  const outside = box.querySelector("[data-coach-outside]");
  const contacts = box.querySelector("[data-coach-contacts]");
  const who = box.dataset.coaches === "1" ? "Your coach is" : "Your coaches are";
  const yours = zone === deviceZone() ? "" : " (your time)";

  function update() {
    const now = new Date();
    let status;
    try {
      status = coachStatus(slots, zone, now);
    } catch {
      return; // a browser without this time zone: the static hours stay as they are
    }
    if (!status) return;
    box.dataset.open = String(status.open);
    if (status.open) {
      const until = new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit" }).format(status.until);
      now_.textContent = `${who} available now, until ${until}${yours}.`;
    } else {
      now_.textContent = `${who} next available ${when(status.next, now)}${yours}.`;
    }
    now_.hidden = false;
    // Outside hours: no call or text buttons for the coach, and what to do meanwhile comes first.
    if (contacts) contacts.hidden = !status.open;
    meanwhile.hidden = status.open;
    outside.hidden = true;
  }

  update();
  setInterval(update, 60000);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") update();
  });
}

setUpRegions();
setUpCoachStatus();
