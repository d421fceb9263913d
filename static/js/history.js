// History: past worksheets newest first, search, open, delete; the week summary; backup and restore.

import * as store from "./storage.js";
import { VOCAB } from "./contract.js";
import { peak } from "./entry.js";
import { ImportError, downloadBackup, downloadCsv, preview, readBackup } from "./backup.js";
import { formatDay, formatWhen, kindLabel, skillNamer, urgeLabel, weekEnd, weekStart, weekSummary } from "./summary.js";
import { persistCheck, renderStoreNotice } from "./notices.js";
import { announce, el, pageData } from "./ws-dom.js";

const $ = (id) => document.getElementById(id);
const skills = pageData("ws-data", "skills") || [];
const vocab = VOCAB;
const skillName = skillNamer(skills);
const names = { skillName, vocab };
const PAGE = 50;

let entries = [];
let shown = PAGE;
let haystack = new Map(); // id -> lowercased searchable text, built on first search

store.open();

function searchText(e) {
  return [
    formatWhen(e.c), kindLabel(e.kind), e.what, e.glad, e.goal, e.plan, e.note, e.block,
    ...(e.feel || []).map((f) => f[0]), ...(e.urge || []).map((u) => urgeLabel(u, vocab)),
    ...[...(e.tried || []).map((t) => t[0]), ...(e.pick || []), e.gskill, e.used].filter(Boolean).map(skillName),
  ].filter(Boolean).join("\n").toLocaleLowerCase();
}

function matches() {
  const words = $("search").value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return entries;
  return entries.filter((e) => {
    let text = haystack.get(e.id);
    if (text === undefined) haystack.set(e.id, (text = searchText(e)));
    return words.every((w) => text.includes(w));
  });
}

function entryItem(e) {
  const when = formatWhen(e.c);
  const p = peak(e);
  const facts = [kindLabel(e.kind)];
  if (p !== null) facts.push(`strongest feeling ${p}/10`);
  if (Number.isInteger(e.now)) facts.push(`afterwards ${e.now}/10`);
  const skillsLine = [];
  if (e.pick?.length) skillsLine.push(`Plan: ${e.pick.map(skillName).join(", ")}`);
  if (e.used) skillsLine.push(e.used === "none" ? "No skill used" : `Used: ${skillName(e.used)}${Number.isInteger(e.rate) ? `, worked ${e.rate}/5` : ""}`);
  if (e.gskill) skillsLine.push(`Helped: ${skillName(e.gskill)}`);
  const confirm = el("div", { class: "confirm", hidden: true },
    el("p", {}, `Delete the worksheet from ${when}? This cannot be undone.`),
    el("div", { class: "actions" },
      el("button", { type: "button", class: "danger primary", onclick: () => removeEntry(e.id) }, "Yes, delete it"),
      el("button", { type: "button", onclick: () => { confirm.hidden = true; del.focus(); } }, "Keep it")));
  const del = el("button", { type: "button", class: "danger", "aria-label": `Delete the worksheet from ${when}`,
    onclick: () => { confirm.hidden = false; confirm.querySelector("button").focus(); } }, "Delete");
  return el("li", { class: "entry", "data-id": e.id },
    el("h3", {}, when),
    el("p", { class: "muted" }, facts.join(" · ")),
    e.what ? el("p", { class: "what" }, e.what) : "",
    e.glad ? el("p", { class: "what" }, e.glad) : "",
    skillsLine.length ? el("p", {}, skillsLine.join(" · ")) : "",
    el("div", { class: "entry-actions" },
      el("a", { class: "button", href: `worksheet.html#open=${e.id}`, "aria-label": `Open the worksheet from ${when}` }, "Open"),
      del),
    confirm);
}

function renderList() {
  const found = matches();
  const list = $("entries");
  list.replaceChildren(...found.slice(0, shown).map(entryItem));
  $("more").hidden = found.length <= shown;
  $("more").textContent = `Show ${Math.min(PAGE, found.length - shown)} more`;
  const query = $("search").value.trim();
  let text;
  if (!entries.length) text = "No worksheets yet. They show here once you start one.";
  else if (query) text = found.length ? `${found.length} of ${entries.length} worksheets match.` : "No worksheets match that search.";
  else text = `${entries.length} worksheet${entries.length === 1 ? "" : "s"}, newest first.`;
  $("list-status").textContent = text;
}

function removeEntry(id) {
  const item = $("entries").querySelector(`[data-id="${CSS.escape(id)}"]`);
  const next = item?.nextElementSibling || item?.previousElementSibling;
  store.deleteEntry(id);
  reload();
  announce($("delete-status"), "The worksheet was deleted.");
  const focusId = next?.dataset.id;
  const target = focusId && $("entries").querySelector(`[data-id="${CSS.escape(focusId)}"] a`);
  (target || $("search")).focus();
}

// ---- Week summary ----

function weekOptions() {
  const counts = new Map();
  const thisWeek = weekStart(Date.now());
  counts.set(thisWeek, 0);
  for (const e of entries) {
    const w = weekStart(e.c);
    counts.set(w, (counts.get(w) || 0) + 1);
  }
  const select = $("week-pick");
  const before = select.value;
  const weeks = [...counts].sort((a, b) => b[0] - a[0]);
  select.replaceChildren(...weeks.map(([start, n]) => el("option", { value: start },
    `${start === thisWeek ? "This week" : `Week of ${formatDay(start)}`} (${n} worksheet${n === 1 ? "" : "s"})`)));
  if (before && counts.has(Number(before))) select.value = before;
  else if (!counts.get(thisWeek) && weeks.length > 1) select.value = String(weeks.find(([, n]) => n > 0)[0]);
}

function table(caption, head, rows) {
  return el("div", { class: "table-wrap" }, el("table", {},
    el("caption", { class: "sr-only" }, caption),
    el("thead", {}, el("tr", {}, head.map(([text, num]) => el("th", { scope: "col", class: num ? "num" : null }, text)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c, i) => el("td", { class: head[i][1] ? "num" : head[i][2] || null }, c)))))));
}

const out10 = (n) => (n === null ? "not noted" : `${n}/10`);

function renderWeek() {
  const start = Number($("week-pick").value) || weekStart(Date.now());
  const w = weekSummary(entries, start, names);
  const last = weekEnd(start) - 1;
  const box = $("week-summary");
  const parts = [el("h3", {}, `${formatDay(start)} to ${formatDay(last)}`)];
  if (!w.entries.length) {
    parts.push(el("p", {}, "No worksheets this week."));
    box.replaceChildren(...parts);
    return;
  }
  parts.push(el("dl", { class: "week-figures" },
    el("div", {}, el("dt", {}, "Worksheets"), el("dd", {}, String(w.entries.length))),
    el("div", {}, el("dt", {}, "Strongest feeling before, on average"), el("dd", {}, out10(w.before))),
    el("div", {}, el("dt", {}, "Feeling afterwards, on average"), el("dd", {}, out10(w.after))),
    w.paired ? el("div", {}, el("dt", {}, `Where both were noted (${w.paired})`), el("dd", {}, `${w.pairedBefore}/10 before, ${w.pairedAfter}/10 after`)) : ""));
  parts.push(el("h4", {}, "Skills used"));
  if (w.skills.length) {
    parts.push(table("Skills used this week", [["Skill"], ["Times", true], ["How well it worked (0 to 5, average)", true]],
      w.skills.map((s) => [s.name, String(s.times), s.average === null ? "not rated" : String(s.average)])));
  } else {
    parts.push(el("p", {}, "No skills noted as used this week."));
  }
  if (w.noSkill) parts.push(el("p", {}, `No skill used: ${w.noSkill} time${w.noSkill === 1 ? "" : "s"}.`));
  parts.push(el("h4", {}, "Urges"));
  parts.push(w.urges.length
    ? table("Urges this week", [["Urge", false, "user-text"], ["Times", true], ["Strongest (0 to 10)", true]],
      w.urges.map((u) => [u.label, String(u.times), String(u.strongest)]))
    : el("p", {}, "No urges noted this week."));
  parts.push(el("h4", {}, "Each worksheet"));
  parts.push(table("Each worksheet this week",
    [["When"], ["Call"], ["What happened", false, "user-text"], ["Before", true], ["After", true], ["Skill used"], ["Worked", true], ["Note", false, "user-text"]],
    w.entries.map((e) => [
      formatWhen(e.c), kindLabel(e.kind), e.what || e.glad || "", peak(e) === null ? "" : String(peak(e)),
      Number.isInteger(e.now) ? String(e.now) : "", e.used ? skillName(e.used) : e.gskill ? skillName(e.gskill) : "",
      Number.isInteger(e.rate) ? `${e.rate}/5` : "", e.note || "",
    ])));
  box.replaceChildren(...parts);
}

$("week-pick").addEventListener("change", renderWeek);
$("print-week").addEventListener("click", () => window.print());

// ---- Backup and restore ----

$("export-json").addEventListener("click", () => downloadBackup(store.listEntries()));
$("export-csv").addEventListener("click", () => downloadCsv(store.listEntries(), names));

function importMessage(...children) {
  $("import-result").replaceChildren(...children);
}

$("import-file").addEventListener("change", async (event) => {
  const input = event.target;
  const file = input.files?.[0];
  if (!file) return;
  importMessage(el("p", {}, "Checking the file…"));
  let incoming;
  try {
    incoming = await readBackup(file);
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    importMessage(el("p", { class: "notice" }, `Nothing was changed. ${error.message}`));
    input.value = "";
    return;
  } finally {
    input.value = ""; // the same file can be picked again
  }
  if (store.status.readOnly) {
    importMessage(el("p", { class: "notice" }, "Nothing was changed: this app can only read the worksheets on this device (a newer version saved them)."));
    return;
  }
  if (!incoming.length) {
    importMessage(el("p", {}, "This backup has no worksheets in it. Nothing was changed."));
    return;
  }
  const p = preview(incoming, store.listEntries());
  const apply = (mode) => {
    try {
      store.applyImport(incoming, mode);
    } catch (error) {
      const why = error.kind === "full" ? "there is not enough room on this device" : "this browser did not let the app save";
      importMessage(el("p", { class: "notice" }, `Nothing was changed: ${why}.`));
      return;
    }
    reload();
    importMessage(el("p", {}, mode === "replace"
      ? `Done. You now have the ${incoming.length} worksheets from the backup.`
      : `Done. ${p.added} worksheet${p.added === 1 ? "" : "s"} added and ${p.updated} updated.`));
  };
  const cancel = () => importMessage(el("p", {}, "Nothing was changed."));
  importMessage(
    el("p", {}, `This backup has ${p.total} worksheet${p.total === 1 ? "" : "s"}, from ${formatDay(p.first)} to ${formatDay(p.last)}. `
      + `${p.added} ${p.added === 1 ? "is" : "are"} new here, ${p.updated} ${p.updated === 1 ? "is" : "are"} newer than yours, and ${p.same} ${p.same === 1 ? "is" : "are"} already here.`),
    el("div", { class: "actions" },
      el("button", { type: "button", class: "primary", onclick: () => apply("merge") }, "Add them to my worksheets"),
      el("button", { type: "button", class: "danger", onclick: () => apply("replace") }, "Replace all my worksheets with these"),
      el("button", { type: "button", onclick: cancel }, "Cancel")));
  $("import-result").querySelector("button").focus();
});

// ---- Delete everything ----

const confirmBox = $("delete-all-confirm");
$("delete-all").addEventListener("click", () => {
  confirmBox.querySelector("strong").textContent = `Delete all ${store.count()} worksheet${store.count() === 1 ? "" : "s"} and everything else this app keeps on this device?`;
  confirmBox.hidden = false;
  confirmBox.focus();
});
$("delete-all-no").addEventListener("click", () => {
  confirmBox.hidden = true;
  $("delete-all").focus();
});
confirmBox.addEventListener("keydown", (event) => {
  if (event.key === "Escape") $("delete-all-no").click();
});
$("delete-all-backup").addEventListener("click", () => downloadBackup(store.listEntries()));
$("delete-all-yes").addEventListener("click", () => {
  store.deleteAll();
  confirmBox.hidden = true;
  reload();
  announce($("delete-status"), "Everything was deleted from this device.");
  $("delete-all").focus();
});

// ---- Start, and stay in step with other tabs ----

function reload() {
  entries = store.listEntries();
  haystack = new Map();
  renderList();
  weekOptions();
  renderWeek();
  renderStoreNotice($("store-notice"));
  for (const b of document.querySelectorAll("#import-file, #delete-all")) b.disabled = store.status.readOnly;
}

let pending = 0;
store.subscribe(() => {
  cancelAnimationFrame(pending);
  pending = requestAnimationFrame(reload);
});

$("search").addEventListener("input", () => {
  shown = PAGE;
  renderList();
});
$("more").addEventListener("click", () => {
  const first = shown;
  shown += PAGE;
  renderList();
  $("entries").children[first]?.querySelector("a")?.focus();
});

reload();
persistCheck($("persist-note"));
