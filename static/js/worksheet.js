// The coaching worksheet's controller: opens the entry, saves it on every change, merges other tabs'
// changes, and renders the form. The parts of the page live in their own modules:
//   ws-lists.js    emotions, urges, skills tried, the plan's skills
//   ws-ideas.js    the engine's ideas
//   ws-summary.js  the summary for the coach
//   ws-help.js     the help prompt
// Every part reads the entry from one state object (ws) and changes it only through update().

import * as store from "./storage.js";
import { VOCAB } from "./contract.js";
import { changedFields, compact, isId, merge, newId } from "./entry.js";
import { clockTime, skillNamer } from "./summary.js";
import { persistCheck, renderStoreNotice } from "./notices.js";
import { announce, el, pageData } from "./ws-dom.js";
import { setUpLists } from "./ws-lists.js";
import { setUpIdeas } from "./ws-ideas.js";
import { setUpSummary } from "./ws-summary.js";
import { setUpHelpPrompt } from "./ws-help.js";

// Asked for first, so the engine's worker can start before this page's first full frame.
const engineModule = import("./engine.js");

const $ = (id) => document.getElementById(id);
const skills = pageData("ws-data", "skills") || [];

const TEXT = ["what", "glad", "goal", "plan", "note", "block"];
const SELECT = ["chg", "fit", "pri", "gskill", "used", "now"];

/** The worksheet's state: the entry shown, this tab's version of it, and the stored version it started from. */
const ws = {
  id: null, // null until something is typed into a fresh worksheet
  entry: {}, // this tab's version
  base: null, // the stored version this tab last read or wrote
  deletedElsewhere: false,
  askedToKeep: false, // asked the browser to keep storage (once per page)
};

const ctx = {
  ws,
  update,
  renderFields,
  root: document.body.dataset.root || "",
  skillIds: new Set(skills.map((s) => s.id)),
  skillName: skillNamer(skills),
  vocab: VOCAB,
  afterPick: () => ideas.renderButtons(),
  onResult: (result) => help.fromEngine(result),
};

store.open();
const lists = setUpLists(ctx);
const summary = setUpSummary(ctx);
const help = setUpHelpPrompt(ctx);
const ideas = setUpIdeas(ctx, engineModule);

// ---- Opening ----

function openEntry(next) {
  ws.id = next;
  ws.entry = (next && store.getEntry(next)) || {};
  ws.base = next && store.getEntry(next) ? store.getEntry(next) : null;
  ws.deletedElsewhere = false;
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
    if (!ctx.skillIds.has(plan)) {
      announce($("save-state"), "That skill is not in this app.");
    } else if (!store.status.readOnly) {
      update((e) => {
        e.pick = [...(e.pick || []).filter((s) => s !== plan), plan];
      });
      lists.pick();
      announce($("ideas-status"), `${ctx.skillName(plan)} is in your plan.`);
      $("step-plan").scrollIntoView({ block: "start" });
    }
  }
}

// ---- Saving ----

function saveNow() {
  if (store.status.readOnly || ws.deletedElsewhere) return;
  if (!ws.id) {
    ws.id = newId();
    store.setCurrent(ws.id);
  }
  const result = store.saveEntry(ws.id, ws.entry, ws.base);
  if (result.deleted) {
    ws.deletedElsewhere = true;
    showDeleted();
    return;
  }
  const changed = changedFields(ws.entry, result.entry);
  ws.entry = { ...result.entry };
  if (result.saved) ws.base = { ...result.entry };
  if (changed.length) renderFields(changed);
  showSaveState(result.saved);
  if (result.saved && !ws.askedToKeep) {
    ws.askedToKeep = true;
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
  const next = { ...ws.entry };
  change(next);
  ws.entry = compact(next);
  saveNow();
  refreshDerived();
}

function showDeleted() {
  const box = $("store-notice");
  const keep = el("button", {
    type: "button",
    onclick: () => {
      ws.deletedElsewhere = false;
      ws.base = null;
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
    const stored = ws.id ? store.getEntry(ws.id) : null;
    if (stored) adopt(stored);
    ideas.forgetHistory();
    ideas.schedule();
    return;
  }
  ideas.forgetHistory();
  if (change.id !== ws.id) return ideas.schedule();
  if (change.entry === null) {
    if (ws.base) {
      ws.deletedElsewhere = true;
      showDeleted();
    }
    return;
  }
  adopt(change.entry);
});

function adopt(theirs) {
  if (ws.base && theirs.r === ws.base.r) return;
  const mine = merge(ws.base || {}, ws.entry, theirs);
  const changed = changedFields(ws.entry, mine);
  const unsaved = changedFields(theirs, mine).length > 0;
  ws.base = { ...theirs };
  ws.entry = { ...mine, r: theirs.r, u: theirs.u };
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
      const value = ws.entry[f] === undefined ? "" : String(ws.entry[f]);
      if (node.value !== value) node.value = value;
    } else if (f === "kind" || f === "rate") {
      for (const r of document.querySelectorAll(`input[name="${f}"]`)) r.checked = String(ws.entry[f]) === r.value;
    } else if (lists[f]) {
      lists[f]();
    }
  }
}

function refreshDerived() {
  $("ws").dataset.kind = ws.entry.kind || "";
  $("block-part").hidden = ws.entry.used !== "none";
  summary.render();
  help.render();
  ideas.schedule();
}

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

$("new-ws").addEventListener("click", () => {
  const hadSomething = Object.keys(ws.entry).some((k) => !["r", "c", "u"].includes(k));
  if (hadSomething || !ws.id) {
    ws.id = newId();
    store.setCurrent(ws.id);
  }
  ws.entry = {};
  ws.base = null;
  ws.deletedElsewhere = false;
  ideas.reset();
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
  ws.askedToKeep = true;
  persistCheck($("persist-note"));
}
// A call kind picked while the page was still opening (noted by worksheet-early.js) is newer than the saved one.
if (window.bsEarlyKind && window.bsEarlyKind !== ws.entry.kind && !store.status.readOnly) {
  const kind = window.bsEarlyKind;
  update((e) => { e.kind = kind; });
  renderFields(["kind"]);
}
// Filled in: show the form (worksheet-early.js kept it out of sight while it came back).
document.documentElement.classList.remove("ws-reopening", "ws-keep-note");
