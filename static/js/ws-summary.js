// The worksheet's summary for the coach: kept up to date as the entry changes, with copy, share,
// large text to read out, and the coach's text links filled in with it.

import { coachSummary } from "./summary.js";
import { announce } from "./ws-dom.js";

const $ = (id) => document.getElementById(id);

export function setUpSummary(ctx) {
  const { ws, skillName, vocab } = ctx;
  const text = () => coachSummary(ws.entry, { skillName, vocab });

  function render() {
    const summary = text();
    $("summary").textContent = summary || "Your summary will appear here as you fill in the worksheet.";
    const texts = Math.max(1, Math.ceil(summary.length / 160));
    $("summary-size").textContent = summary ? `${summary.length} characters, about ${texts} text message${texts > 1 ? "s" : ""}.` : "";
    for (const a of document.querySelectorAll(".sms-link")) {
      // "?&body=" works in both iOS and Android messaging apps.
      a.href = `${a.dataset.href}${summary ? `?&body=${encodeURIComponent(summary)}` : ""}`;
    }
  }

  $("copy-summary").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text());
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
      navigator.share({ text: text() }).catch(() => { /* closed by the person */ });
    });
  }

  $("big-summary").addEventListener("click", (event) => {
    const on = event.currentTarget.getAttribute("aria-pressed") !== "true";
    event.currentTarget.setAttribute("aria-pressed", String(on));
    $("summary").classList.toggle("big", on);
  });

  return { render };
}
