// The worksheet's ideas panel: asks the engine (js/engine.js, a worker) for suggestions as the entry changes,
// and shows them with "Add to my plan". The page works without it: the guide is linked when it cannot load.

import * as store from "./storage.js";
import { reflections, toRequest } from "./entry.js";
import { announce, el } from "./ws-dom.js";

const $ = (id) => document.getElementById(id);
const SHOWN = 3; // the space kept for ideas fits three; more only when asked for
const ENGINE_TEXT = {
  idle: "Ideas will show here as you fill in the worksheet.",
  loading: "Suggestions are loading…",
  ready: "Ideas update as you fill in the worksheet.",
};

/**
 * engineModule: the promise of import("./engine.js"), asked for by the page first so the worker starts early.
 * ctx.onResult(result | null) hears every answer (the help prompt reads the engine's level from it).
 */
export function setUpIdeas(ctx, engineModule) {
  const { ws, update, root } = ctx;
  let engine = null;
  let timer = 0;
  let asked = "";
  let seq = 0;
  let lastIdeas = [];
  let history = null; // reflections from past entries, rebuilt when entries change
  const opened = new Set();
  let showAll = false;

  function showEngineState(state) {
    const p = $("engine-state");
    if (state === "unavailable") {
      p.replaceChildren("Suggestions could not load on this device: use the ",
        el("a", { href: `${root}guide.html` }, "Which skill when guide"), ".");
    } else {
      p.textContent = ENGINE_TEXT[state] || ENGINE_TEXT.idle;
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(ask, 300);
  }

  function ask() {
    if (!engine || document.documentElement.dataset.engine === "unavailable") return;
    const request = toRequest(ws.entry);
    if (!Object.keys(request).length) {
      asked = "";
      render(null);
      return;
    }
    history ??= reflections(store.listEntries(), ws.id);
    const key = JSON.stringify([request, history.length]);
    if (key === asked) return;
    asked = key;
    const mine = ++seq;
    $("ideas").setAttribute("aria-busy", "true");
    engine.suggest(request, history).then((result) => {
      if (mine !== seq) return;
      render(result);
    }, () => {
      if (mine !== seq) return;
      asked = "";
      $("ideas").removeAttribute("aria-busy");
      $("engine-state").replaceChildren("Ideas could not be made just now. The ",
        el("a", { href: `${root}guide.html` }, "Which skill when guide"), " can help you choose.");
    });
  }

  function render(result) {
    const box = $("ideas");
    box.removeAttribute("aria-busy");
    ctx.onResult(result);
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
    // New ideas replace the old ones: a person tabbing through them keeps their place.
    const focused = box.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    box.replaceChildren(notes.length ? el("ul", { class: "idea-notes" }, notes) : "", el("ol", { class: "idea-list" }, items), more);
    if (focused) box.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
    renderButtons();
    // Never shrink while the page is open: ideas changing size must not move what is below.
    box.style.minHeight = `${Math.max(box.offsetHeight, parseFloat(box.style.minHeight) || 0)}px`;
    announce($("ideas-status"), lastIdeas.length ? `${lastIdeas.length} ideas ready.` : "");
  }

  /** The "Add to my plan" buttons follow the plan. */
  function renderButtons() {
    const pick = new Set(ws.entry.pick || []);
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
    const inPlan = (ws.entry.pick || []).includes(s.skill);
    if (!inPlan) update((e) => { e.pick = [...(e.pick || []), s.skill]; });
    opened.add(s.skill);
    $(`card-${s.skill}`).hidden = false;
    ctx.renderFields(["pick"]);
    announce($("ideas-status"), inPlan ? `${s.name} is already in your plan.` : `${s.name} added to your plan. Its first step is shown below it.`);
  }

  window.addEventListener("engine-state", (event) => {
    showEngineState(event.detail?.state);
    if (event.detail?.state === "ready") {
      asked = "";
      ask();
    }
  });

  engineModule.then((module) => {
    engine = module;
    module.startEngine();
    showEngineState(document.documentElement.dataset.engine);
    if (document.documentElement.dataset.engine === "ready") ask();
  }, () => {
    // The engine script itself could not load (offline before it was cached, or an old browser).
    document.documentElement.dataset.engine = "unavailable";
    window.dispatchEvent(new CustomEvent("engine-state", { detail: { state: "unavailable" } }));
  });

  return {
    schedule,
    renderButtons,
    /** Past entries changed: the history the engine learns from is rebuilt on the next ask. */
    forgetHistory() { history = null; },
    /** A new worksheet: no idea is shown opened. */
    reset() { opened.clear(); },
  };
}
