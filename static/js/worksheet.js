// The coaching worksheet: one screen, saved on every change, merged with other tabs, never lost.

import * as store from "./storage.js";
import { LIMITS, changedFields, compact, isId, merge, needsHelpPrompt, newId, reflections, toRequest } from "./entry.js";
import { clockTime, coachSummary, skillNamer } from "./summary.js";
import { persistCheck, renderStoreNotice } from "./notices.js";
import { announce, el, pageData } from "./ws-dom.js";

// Asked for first, so the engine's worker can start before this page's first full frame (see the end of "Ideas").
const engineModule = import("./engine.js");

const $ = (id) => document.getElementById(id);
const skills = pageData("ws-data", "skills") || [];
const vocab = pageData("ws-data", "vocab") || {};
const skillIds = new Set(skills.map((s) => s.id));
const skillName = skillNamer(skills);
const root = document.body.dataset.root || "";

let id = null; // the entry shown; null until something is typed into a fresh worksheet
let entry = {}; // this tab's version
let base = null; // the stored version this tab last read or wrote
let deletedElsewhere = false;
let asked = false;

const TEXT = ["what", "glad", "goal", "plan", "note", "block"];
const SELECT = ["chg", "fit", "pri", "gskill", "used", "now"];

// ---- Opening ----

store.open();

function openEntry(next) {
  id = next;
  entry = (id && store.getEntry(id)) || {};
  base = id && store.getEntry(id) ? store.getEntry(id) : null;
  deletedElsewhere = false;
}

function fromHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const open = params.get("open");
  const plan = params.get("plan");
  if (!open && !plan) return;
  // Clear the hash without adding a history entry of our own.
  history.replaceState(history.state, "", location.pathname + location.search);
  if (open && isId(open) && store.getEntry(open)) {
    openEntry(open);
    store.setCurrent(open);
    renderAll();
  } else if (open) {
    announce($("save-state"), "That worksheet is no longer on this device.");
  }
  if (plan) {
    if (!skillIds.has(plan)) {
      announce($("save-state"), "That skill is not in this app.");
    } else if (!store.status.readOnly) {
      update((e) => {
        e.pick = [...(e.pick || []).filter((s) => s !== plan), plan];
      });
      renderPick();
      announce($("ideas-status"), `${skillName(plan)} is in your plan.`);
      $("step-plan").scrollIntoView({ block: "start" });
    }
  }
}

// ---- Saving ----

function saveNow() {
  if (store.status.readOnly || deletedElsewhere) return;
  if (!id) {
    id = newId();
    store.setCurrent(id);
  }
  const result = store.saveEntry(id, entry, base);
  if (result.deleted) {
    deletedElsewhere = true;
    showDeleted();
    return;
  }
  const changed = changedFields(entry, result.entry);
  entry = { ...result.entry };
  if (result.saved) base = { ...result.entry };
  if (changed.length) renderFields(changed);
  showSaveState(result.saved);
  if (result.saved && !asked) {
    asked = true;
    persistCheck($("persist-note"));
  }
}

function showSaveState(saved) {
  const text = saved
    ? `Saved on this device at ${clockTime(new Date())}.`
    : "Not saved on this device yet. It is kept on this page for now.";
  // A polite status, but only when the message changes: no chatter on every keystroke.
  const node = $("save-state");
  if (node.textContent !== text) node.textContent = text;
  renderStoreNotice($("store-notice"));
}

/** Change this tab's entry and save at once (localStorage is synchronous, so a crash loses nothing typed). */
function update(change) {
  if (store.status.readOnly) return;
  const next = { ...entry };
  change(next);
  entry = compact(next);
  saveNow();
  refreshDerived();
}

function showDeleted() {
  const box = $("store-notice");
  const keep = el("button", {
    type: "button",
    onclick: () => {
      deletedElsewhere = false;
      base = null;
      saveNow();
      renderStoreNotice(box);
    },
  }, "Keep this worksheet");
  box.replaceChildren(el("div", { class: "notice" },
    el("p", {}, "This worksheet was deleted in another window. What you see is only on this page now."),
    el("p", {}, keep)));
  box.dataset.shown = "deleted";
}

// Another tab changed something: merge it in, keeping whatever this tab changed.
store.subscribe((change) => {
  if (change.status) {
    renderStoreNotice($("store-notice"));
    if (store.status.readOnly) lockForReadOnly();
    return;
  }
  if (change.all) {
    const stored = id ? store.getEntry(id) : null;
    if (stored) adopt(stored);
    history_ = null;
    scheduleIdeas();
    return;
  }
  history_ = null;
  if (change.id !== id) return scheduleIdeas();
  if (change.entry === null) {
    if (base) {
      deletedElsewhere = true;
      showDeleted();
    }
    return;
  }
  adopt(change.entry);
});

function adopt(theirs) {
  if (base && theirs.r === base.r) return;
  const mine = merge(base || {}, entry, theirs);
  const changed = changedFields(entry, mine);
  const unsaved = changedFields(theirs, mine).length > 0;
  base = { ...theirs };
  entry = { ...mine, r: theirs.r, u: theirs.u };
  renderFields(changed);
  refreshDerived();
  if (unsaved) saveNow();
}

// ---- Rendering ----

function renderAll() {
  renderFields(["kind", ...TEXT, ...SELECT, "feel", "urge", "tried", "pick", "rate"]);
  refreshDerived();
}

function renderFields(fields) {
  for (const f of fields) {
    if (TEXT.includes(f) || SELECT.includes(f)) {
      const node = $(f);
      const value = entry[f] === undefined ? "" : String(entry[f]);
      if (node.value !== value) node.value = value;
    } else if (f === "kind" || f === "rate") {
      for (const r of document.querySelectorAll(`input[name="${f}"]`)) r.checked = String(entry[f]) === r.value;
    } else if (f === "feel") renderFeel();
    else if (f === "urge") renderUrge();
    else if (f === "tried") renderTried();
    else if (f === "pick") renderPick();
  }
}

function keepFocus(list, build) {
  const active = document.activeElement;
  const key = list.contains(active) ? active.dataset.key : null;
  build();
  if (key) list.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
}

function levelRow(kind, index, label, value, onValue, onRemove, removeLabel) {
  const inputId = `${kind}-${index}`;
  const out = el("output", { for: inputId, class: "level-value", "aria-hidden": "true" }, String(value));
  const range = el("input", {
    type: "range", id: inputId, min: 0, max: 10, step: 1, value, "data-key": `${kind}:${label}:range`,
    class: "edit",
  });
  range.addEventListener("input", () => {
    out.textContent = range.value;
    onValue(Number(range.value));
  });
  return el("li", { class: "level" },
    el("label", { for: inputId }, el("span", { class: "level-name" }, label), ": how strong, 0 to 10"),
    el("div", { class: "level-row" }, range, out,
      el("button", { type: "button", class: "remove edit", "data-key": `${kind}:${label}:remove`, "aria-label": removeLabel, onclick: onRemove }, "Remove")));
}

function renderFeel() {
  const list = $("feel-list");
  const feel = entry.feel || [];
  keepFocus(list, () => list.replaceChildren(...feel.map(([name, level], i) => levelRow("feel", i, name, level,
    (v) => update((e) => { e.feel = (e.feel || []).map((f) => (f[0] === name ? [name, v] : f)); }),
    () => { update((e) => { e.feel = (e.feel || []).filter((f) => f[0] !== name); }); renderFeel(); $("own-emotion").focus(); },
    `Remove ${name}`))));
  for (const box of document.querySelectorAll('input[name="emotion"]')) box.checked = feel.some((f) => f[0] === box.value);
  $("feel-hint").hidden = feel.length === 0;
}

function renderUrge() {
  const list = $("urge-list");
  const urges = entry.urge || [];
  keepFocus(list, () => list.replaceChildren(...urges.map((u, i) => {
    const label = u[0] === "other" ? u[2] || vocab.urges?.other || "Something else" : vocab.urges?.[u[0]] || u[0];
    const same = (x) => x[0] === u[0] && (x[2] || "") === (u[2] || "");
    return levelRow("urge", i, label, u[1],
      (v) => update((e) => { e.urge = (e.urge || []).map((x) => (same(x) ? [x[0], v, ...x.slice(2)] : x)); }),
      () => { update((e) => { e.urge = (e.urge || []).filter((x) => !same(x)); }); renderUrge(); $("own-urge").focus(); },
      `Remove ${label}`);
  })));
  for (const box of document.querySelectorAll('input[name="urge"]')) box.checked = urges.some((u) => u[0] === box.value && !u[2]);
}

function renderTried() {
  const list = $("tried-list");
  const tried = entry.tried || [];
  keepFocus(list, () => list.replaceChildren(...tried.map(([skill, result], i) => {
    const selectId = `tried-${i}`;
    const select = el("select", { id: selectId, class: "edit", "data-key": `tried:${skill}:result` },
      el("option", { value: "" }, "Choose how it went"),
      ...Object.entries(vocab.results || {}).map(([value, label]) => el("option", { value }, label)));
    select.value = result || "";
    select.addEventListener("change", () => update((e) => {
      e.tried = (e.tried || []).map((t) => (t[0] === skill ? (select.value ? [skill, select.value] : [skill]) : t));
    }));
    return el("li", { class: "row" },
      el("a", { href: `${root}skills/${skill}.html` }, skillName(skill)),
      el("label", { for: selectId }, `How did ${skillName(skill)} go?`),
      el("div", { class: "add-row" }, select,
        el("button", { type: "button", class: "remove edit", "data-key": `tried:${skill}:remove`, "aria-label": `Remove ${skillName(skill)} from tried`,
          onclick: () => { update((e) => { e.tried = (e.tried || []).filter((t) => t[0] !== skill); }); renderTried(); $("tried-skill").focus(); } }, "Remove")));
  })));
}

function renderPick() {
  const list = $("pick-list");
  const pick = entry.pick || [];
  keepFocus(list, () => list.replaceChildren(...pick.map((skill) => el("li", { class: "row" },
    el("a", { href: `${root}skills/${skill}.html` }, skillName(skill)),
    el("button", { type: "button", class: "remove edit", "data-key": `pick:${skill}`, "aria-label": `Remove ${skillName(skill)} from my plan`,
      onclick: () => { update((e) => { e.pick = (e.pick || []).filter((s) => s !== skill); }); renderPick(); $("pick-skill").focus(); } }, "Remove")))));
  if (!pick.length) list.replaceChildren(el("li", { class: "hint" }, "No skills in the plan yet. Add one from the ideas above or from the list below."));
  renderIdeaButtons();
}

function refreshDerived() {
  const kind = entry.kind || "";
  $("ws").dataset.kind = kind;
  $("block-part").hidden = entry.used !== "none";
  renderSummary();
  renderHelpPrompt();
  scheduleIdeas();
}

// ---- Summary for the coach ----

function renderSummary() {
  const text = coachSummary(entry, { skillName, vocab });
  $("summary").textContent = text || "Your summary will appear here as you fill in the worksheet.";
  const texts = Math.max(1, Math.ceil(text.length / 160));
  $("summary-size").textContent = text ? `${text.length} characters, about ${texts} text message${texts > 1 ? "s" : ""}.` : "";
  for (const a of document.querySelectorAll(".sms-link")) {
    // "?&body=" works in both iOS and Android messaging apps.
    a.href = `${a.dataset.href}${text ? `?&body=${encodeURIComponent(text)}` : ""}`;
  }
}

$("copy-summary").addEventListener("click", async () => {
  const text = coachSummary(entry, { skillName, vocab });
  try {
    await navigator.clipboard.writeText(text);
    announce($("copy-status"), "Summary copied. You can paste it into a message.");
  } catch {
    // No clipboard access: select the text so the person can copy it themselves.
    getSelection().selectAllChildren($("summary"));
    announce($("copy-status"), "The summary is selected. Use your device's copy command.");
  }
});

if (navigator.share) {
  $("share-summary").hidden = false;
  $("share-summary").addEventListener("click", () => {
    navigator.share({ text: coachSummary(entry, { skillName, vocab }) }).catch(() => { /* closed by the person */ });
  });
}

$("big-summary").addEventListener("click", (event) => {
  const on = event.currentTarget.getAttribute("aria-pressed") !== "true";
  event.currentTarget.setAttribute("aria-pressed", String(on));
  $("summary").classList.toggle("big", on);
});

// ---- Safety prompt: shown at once, before and without the engine ----

let engineCrisis = false;

function renderHelpPrompt() {
  const slot = $("help-prompt");
  const show = needsHelpPrompt(entry) || engineCrisis;
  if (show && !slot.firstElementChild) slot.append($("help-prompt-content").content.cloneNode(true));
  else if (!show && slot.firstElementChild) slot.replaceChildren();
}

// ---- Suggestions from the engine ----

let engine = null;
let timer = 0;
let asked_ = "";
let seq = 0;
let lastIdeas = [];
let history_ = null; // reflections from past entries, rebuilt when entries change
const opened = new Set();
const SHOWN = 3; // the space kept for ideas fits three; more only when asked for
let showAll = false;

const ENGINE_TEXT = {
  idle: "Ideas will show here as you fill in the worksheet.",
  loading: "Suggestions are loading…",
  ready: "Ideas update as you fill in the worksheet.",
};

function showEngineState(state) {
  const p = $("engine-state");
  if (state === "unavailable") {
    p.replaceChildren("Suggestions could not load on this device: use the ",
      el("a", { href: `${root}guide.html` }, "Which skill when guide"), ".");
  } else {
    p.textContent = ENGINE_TEXT[state] || ENGINE_TEXT.idle;
  }
}

function scheduleIdeas() {
  clearTimeout(timer);
  timer = setTimeout(askEngine, 300);
}

function askEngine() {
  if (!engine || document.documentElement.dataset.engine === "unavailable") return;
  const request = toRequest(entry);
  if (!Object.keys(request).length) {
    asked_ = "";
    renderIdeas(null);
    return;
  }
  history_ ??= reflections(store.listEntries(), id);
  const key = JSON.stringify([request, history_.length]);
  if (key === asked_) return;
  asked_ = key;
  const mine = ++seq;
  $("ideas").setAttribute("aria-busy", "true");
  engine.suggest(request, history_).then((result) => {
    if (mine !== seq) return;
    renderIdeas(result);
  }, () => {
    if (mine !== seq) return;
    asked_ = "";
    $("ideas").removeAttribute("aria-busy");
    $("engine-state").replaceChildren("Ideas could not be made just now. The ",
      el("a", { href: `${root}guide.html` }, "Which skill when guide"), " can help you choose.");
  });
}

function renderIdeas(result) {
  const box = $("ideas");
  box.removeAttribute("aria-busy");
  engineCrisis = Boolean(result?.crisis_first);
  renderHelpPrompt();
  if (!result) {
    lastIdeas = [];
    box.replaceChildren();
    return;
  }
  lastIdeas = result.suggestions || [];
  const notes = (result.notes || []).map((n) => el("li", {}, n));
  const items = lastIdeas.map((s, i) => el("li", { class: "idea", "data-skill": s.skill, hidden: i >= SHOWN && !showAll },
    el("div", { class: "idea-top" },
      el("h3", {}, s.name),
      el("button", { type: "button", class: "add-idea edit", "data-key": `idea:${s.skill}`, onclick: () => addIdea(s) }, "")),
    el("p", { class: "reason" }, s.reason),
    el("div", { class: "idea-card", id: `card-${s.skill}`, hidden: !opened.has(s.skill) },
      el("p", {}, el("strong", {}, "First step: "), s.first_step),
      el("p", {}, el("a", { href: `${root}skills/${s.skill}.html` }, `Open the full ${s.name} card`)))));
  const more = lastIdeas.length > SHOWN && !showAll
    ? el("button", { type: "button", class: "more-ideas", onclick: () => {
      showAll = true;
      for (const li of items) li.hidden = false;
      more.remove();
      items[SHOWN].querySelector("button").focus();
    } }, `Show ${lastIdeas.length - SHOWN} more idea${lastIdeas.length - SHOWN > 1 ? "s" : ""}`)
    : "";
  box.replaceChildren(notes.length ? el("ul", { class: "idea-notes" }, notes) : "", el("ol", { class: "idea-list" }, items), more);
  renderIdeaButtons();
  // Never shrink while the page is open: ideas changing size must not move what is below.
  box.style.minHeight = `${Math.max(box.offsetHeight, parseFloat(box.style.minHeight) || 0)}px`;
  announce($("ideas-status"), lastIdeas.length ? `${lastIdeas.length} ideas ready.` : "");
}

function renderIdeaButtons() {
  const pick = new Set(entry.pick || []);
  for (const b of document.querySelectorAll(".add-idea")) {
    const s = lastIdeas.find((x) => `idea:${x.skill}` === b.dataset.key);
    if (!s) continue;
    const inPlan = pick.has(s.skill);
    b.textContent = inPlan ? "In my plan" : "Add to my plan";
    b.setAttribute("aria-label", inPlan ? `In my plan: ${s.name}` : `Add to my plan: ${s.name}`);
    b.setAttribute("aria-pressed", String(inPlan));
    b.setAttribute("aria-controls", `card-${s.skill}`);
    b.setAttribute("aria-expanded", String(opened.has(s.skill)));
  }
}

function addIdea(s) {
  const inPlan = (entry.pick || []).includes(s.skill);
  if (!inPlan) update((e) => { e.pick = [...(e.pick || []), s.skill]; });
  opened.add(s.skill);
  $(`card-${s.skill}`).hidden = false;
  renderPick();
  announce($("ideas-status"), inPlan ? `${s.name} is already in your plan.` : `${s.name} added to your plan. Its first step is shown below it.`);
}

window.addEventListener("engine-state", (event) => {
  showEngineState(event.detail?.state);
  if (event.detail?.state === "ready") {
    asked_ = "";
    askEngine();
  }
});

engineModule.then((module) => {
  engine = module;
  module.startEngine();
  showEngineState(document.documentElement.dataset.engine);
  if (document.documentElement.dataset.engine === "ready") askEngine();
}, () => {
  // The engine script itself could not load (offline before it was cached, or an old browser).
  document.documentElement.dataset.engine = "unavailable";
  window.dispatchEvent(new CustomEvent("engine-state", { detail: { state: "unavailable" } }));
});

// ---- Inputs ----

for (const f of TEXT) $(f).addEventListener("input", (ev) => update((e) => { e[f] = ev.target.value; }));
for (const f of SELECT) {
  $(f).addEventListener("change", (ev) => update((e) => {
    const v = ev.target.value;
    e[f] = v === "" ? undefined : f === "now" ? Number(v) : v;
  }));
}
for (const r of document.querySelectorAll('input[name="kind"]')) r.addEventListener("change", () => update((e) => { e.kind = r.value; }));
for (const r of document.querySelectorAll('input[name="rate"]')) r.addEventListener("change", () => update((e) => { e.rate = Number(r.value); }));

for (const box of document.querySelectorAll('input[name="emotion"]')) {
  box.addEventListener("change", () => {
    update((e) => {
      const rest = (e.feel || []).filter((f) => f[0] !== box.value);
      e.feel = box.checked ? [...rest, [box.value, 5]] : rest;
    });
    renderFeel();
  });
}
for (const box of document.querySelectorAll('input[name="urge"]')) {
  box.addEventListener("change", () => {
    update((e) => {
      const rest = (e.urge || []).filter((u) => !(u[0] === box.value && !u[2]));
      e.urge = box.checked ? [...rest, [box.value, 5]] : rest;
    });
    renderUrge();
  });
}

function addOwn(inputId, add) {
  const input = $(inputId);
  const words = input.value.trim();
  if (!words) {
    input.focus();
    return;
  }
  add(words);
  input.value = "";
  input.focus();
}

function addEmotion() {
  addOwn("own-emotion", (name) => {
    const words = name.slice(0, LIMITS.emotion);
    if ((entry.feel || []).some((f) => f[0].toLowerCase() === words.toLowerCase())) return;
    if ((entry.feel || []).length >= LIMITS.feel) return;
    update((e) => { e.feel = [...(e.feel || []), [words, 5]]; });
    renderFeel();
  });
}

function addUrge() {
  addOwn("own-urge", (label) => {
    if ((entry.urge || []).some((u) => u[2] === label) || (entry.urge || []).length >= LIMITS.urge) return;
    update((e) => { e.urge = [...(e.urge || []), ["other", 5, label]]; });
    renderUrge();
  });
}

$("add-emotion").addEventListener("click", addEmotion);
$("add-urge").addEventListener("click", addUrge);
$("own-emotion").addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); addEmotion(); } });
$("own-urge").addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); addUrge(); } });

function addSkill(selectId, field, make, render) {
  const select = $(selectId);
  const skill = select.value;
  if (!skillIds.has(skill)) {
    select.focus();
    return;
  }
  update((e) => {
    const rest = (e[field] || []).filter((x) => (Array.isArray(x) ? x[0] : x) !== skill);
    e[field] = [...rest, make(skill)];
  });
  select.value = "";
  render();
}
$("add-tried").addEventListener("click", () => addSkill("tried-skill", "tried", (s) => [s], renderTried));
$("add-pick").addEventListener("click", () => addSkill("pick-skill", "pick", (s) => s, renderPick));

$("new-ws").addEventListener("click", () => {
  const hadSomething = Object.keys(entry).some((k) => !["r", "c", "u"].includes(k));
  if (hadSomething || !id) {
    id = newId();
    store.setCurrent(id);
  }
  entry = {};
  base = null;
  deletedElsewhere = false;
  opened.clear();
  renderAll();
  renderStoreNotice($("store-notice"));
  $("save-state").textContent = hadSomething
    ? "A new worksheet is ready. Your last one is saved in History."
    : "A new worksheet is ready.";
  document.querySelector('input[name="kind"]').focus();
});

window.addEventListener("hashchange", fromHash);

function lockForReadOnly() {
  for (const node of document.querySelectorAll("#ws input, #ws select, #ws textarea, .edit")) node.disabled = true;
  $("save-state").textContent = "Read only: saved by a newer version of the app.";
}

// Crisis contacts one tap away at every step: once the header's link scrolls out of view, a copy stays on screen.
const headerHelp = document.querySelector(".top .help-now");
if (headerHelp && "IntersectionObserver" in window) {
  new IntersectionObserver(([seen]) => { $("help-bar").hidden = seen.isIntersecting; }).observe(headerHelp);
}

// ---- Start ----

openEntry(store.currentId());
renderAll();
renderStoreNotice($("store-notice"));
if (store.status.readOnly) lockForReadOnly();
fromHash();
if (store.count()) {
  asked = true;
  persistCheck($("persist-note"));
}
// A call kind picked while the page was still opening (noted by worksheet-early.js) is newer than the saved one.
if (window.bsEarlyKind && window.bsEarlyKind !== entry.kind && !store.status.readOnly) {
  const kind = window.bsEarlyKind;
  update((e) => { e.kind = kind; });
  renderFields(["kind"]);
}
// Filled in: show the form (worksheet-early.js kept it out of sight while it came back).
document.documentElement.classList.remove("ws-reopening", "ws-keep-note");
