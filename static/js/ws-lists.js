// The worksheet's list editors: emotions and urges with their strength, skills tried, and the plan's skills.
// Each list is rendered from the entry (ctx.ws.entry) and changed only through ctx.update().

import { LIMITS, SCALE } from "./contract.js";
import { el } from "./ws-dom.js";

const $ = (id) => document.getElementById(id);

/** Wire the list editors to ctx; returns their render functions, keyed by the entry field they show. */
export function setUpLists(ctx) {
  const { ws, update, root, skillIds, skillName, vocab } = ctx;

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
      type: "range", id: inputId, min: SCALE.min, max: SCALE.max, step: 1, value, "data-key": `${kind}:${label}:range`,
      class: "edit",
    });
    range.addEventListener("input", () => {
      out.textContent = range.value;
      onValue(Number(range.value));
    });
    return el("li", { class: "level" },
      el("label", { for: inputId }, el("span", { class: "level-name" }, label), `: how strong, ${SCALE.min} to ${SCALE.max}`),
      el("div", { class: "level-row" }, range, out,
        el("button", { type: "button", class: "remove edit", "data-key": `${kind}:${label}:remove`, "aria-label": removeLabel, onclick: onRemove }, "Remove")));
  }

  function feel() {
    const list = $("feel-list");
    const items = ws.entry.feel || [];
    keepFocus(list, () => list.replaceChildren(...items.map(([name, level], i) => levelRow("feel", i, name, level,
      (v) => update((e) => { e.feel = (e.feel || []).map((f) => (f[0] === name ? [name, v] : f)); }),
      () => { update((e) => { e.feel = (e.feel || []).filter((f) => f[0] !== name); }); feel(); $("own-emotion").focus(); },
      `Remove ${name}`))));
    for (const box of document.querySelectorAll('input[name="emotion"]')) box.checked = items.some((f) => f[0] === box.value);
    $("feel-hint").hidden = items.length === 0;
  }

  function urge() {
    const list = $("urge-list");
    const urges = ws.entry.urge || [];
    keepFocus(list, () => list.replaceChildren(...urges.map((u, i) => {
      const label = u[0] === "other" ? u[2] || vocab.urges.other : vocab.urges[u[0]] || u[0];
      const same = (x) => x[0] === u[0] && (x[2] || "") === (u[2] || "");
      return levelRow("urge", i, label, u[1],
        (v) => update((e) => { e.urge = (e.urge || []).map((x) => (same(x) ? [x[0], v, ...x.slice(2)] : x)); }),
        () => { update((e) => { e.urge = (e.urge || []).filter((x) => !same(x)); }); urge(); $("own-urge").focus(); },
        `Remove ${label}`);
    })));
    for (const box of document.querySelectorAll('input[name="urge"]')) box.checked = urges.some((u) => u[0] === box.value && !u[2]);
  }

  function tried() {
    const list = $("tried-list");
    const items = ws.entry.tried || [];
    keepFocus(list, () => list.replaceChildren(...items.map(([skill, result], i) => {
      const selectId = `tried-${i}`;
      const select = el("select", { id: selectId, class: "edit", "data-key": `tried:${skill}:result` },
        el("option", { value: "" }, "Choose how it went"),
        ...Object.entries(vocab.results).map(([value, label]) => el("option", { value }, label)));
      select.value = result || "";
      select.addEventListener("change", () => update((e) => {
        e.tried = (e.tried || []).map((t) => (t[0] === skill ? (select.value ? [skill, select.value] : [skill]) : t));
      }));
      return el("li", { class: "row" },
        el("a", { href: `${root}skills/${skill}.html` }, skillName(skill)),
        el("label", { for: selectId }, `How did ${skillName(skill)} go?`),
        el("div", { class: "add-row" }, select,
          el("button", { type: "button", class: "remove edit", "data-key": `tried:${skill}:remove`, "aria-label": `Remove ${skillName(skill)} from tried`,
            onclick: () => { update((e) => { e.tried = (e.tried || []).filter((t) => t[0] !== skill); }); tried(); $("tried-skill").focus(); } }, "Remove")));
    })));
  }

  function pick() {
    const list = $("pick-list");
    const items = ws.entry.pick || [];
    keepFocus(list, () => list.replaceChildren(...items.map((skill) => el("li", { class: "row" },
      el("a", { href: `${root}skills/${skill}.html` }, skillName(skill)),
      el("button", { type: "button", class: "remove edit", "data-key": `pick:${skill}`, "aria-label": `Remove ${skillName(skill)} from my plan`,
        onclick: () => { update((e) => { e.pick = (e.pick || []).filter((s) => s !== skill); }); pick(); $("pick-skill").focus(); } }, "Remove")))));
    if (!items.length) list.replaceChildren(el("li", { class: "hint" }, "No skills in the plan yet. Add one from the ideas above or from the list below."));
    ctx.afterPick();
  }

  // ---- Adding ----

  for (const box of document.querySelectorAll('input[name="emotion"]')) {
    box.addEventListener("change", () => {
      update((e) => {
        const rest = (e.feel || []).filter((f) => f[0] !== box.value);
        e.feel = box.checked ? [...rest, [box.value, 5]] : rest;
      });
      feel();
    });
  }
  for (const box of document.querySelectorAll('input[name="urge"]')) {
    box.addEventListener("change", () => {
      update((e) => {
        const rest = (e.urge || []).filter((u) => !(u[0] === box.value && !u[2]));
        e.urge = box.checked ? [...rest, [box.value, 5]] : rest;
      });
      urge();
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
      if ((ws.entry.feel || []).some((f) => f[0].toLowerCase() === words.toLowerCase())) return;
      if ((ws.entry.feel || []).length >= LIMITS.feel) return;
      update((e) => { e.feel = [...(e.feel || []), [words, 5]]; });
      feel();
    });
  }

  function addUrge() {
    addOwn("own-urge", (label) => {
      if ((ws.entry.urge || []).some((u) => u[2] === label) || (ws.entry.urge || []).length >= LIMITS.urge) return;
      update((e) => { e.urge = [...(e.urge || []), ["other", 5, label]]; });
      urge();
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
  $("add-tried").addEventListener("click", () => addSkill("tried-skill", "tried", (s) => [s], tried));
  $("add-pick").addEventListener("click", () => addSkill("pick-skill", "pick", (s) => s, pick));

  return { feel, urge, tried, pick };
}
