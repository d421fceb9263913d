// Plain messages about the device's storage, shared by the worksheet and history pages.

import * as store from "./storage.js";
import { downloadBackup, downloadRecovered } from "./backup.js";
import { el } from "./ws-dom.js";

const MESSAGES = {
  off: "This browser is not letting the app save anything (storage may be turned off, or this is a private window). What you type stays on this page until you close it. Download a backup to keep it.",
  full: "The storage on this device is full, so your latest changes are not saved yet. They stay on this page for now. Download a backup to keep them, and delete old worksheets in History to make room.",
  other: "Saving did not work just now. What you typed stays on this page. Download a backup to keep it.",
};

/** Fill `box` (a role=alert element) with what the person needs to know now. Returns true if anything shows. */
export function renderStoreNotice(box) {
  const parts = [];
  const s = store.status;
  if (s.readOnly) {
    parts.push(el("div", { class: "notice" },
      el("p", {}, "Your worksheets were saved by a newer version of this app. You can read them and download a backup here, but not change them. Close the app and open it again to get the update."),
      el("p", {}, el("button", { type: "button", onclick: () => downloadBackup(store.listEntries()) }, "Download a backup"))));
  } else if (s.problem) {
    parts.push(el("div", { class: "notice" },
      el("p", {}, MESSAGES[s.problem] || MESSAGES.other),
      el("p", {}, el("button", { type: "button", onclick: () => downloadBackup(store.listEntries()) }, "Download a backup"))));
  }
  const kept = store.recovered();
  if (kept.length) {
    const confirmRow = el("p", { hidden: true },
      el("button", { type: "button", onclick: () => { store.forgetRecovered(); renderStoreNotice(box); } }, "Yes, remove it"),
      " ",
      el("button", { type: "button", onclick: () => { confirmRow.hidden = true; } }, "Keep it"));
    parts.push(el("div", { class: "notice" },
      el("p", {}, "Some saved data could not be read. It has been kept aside, unchanged, so nothing was thrown away. You can download it to keep it or to show someone who can help."),
      el("p", { class: "actions" },
        el("button", { type: "button", onclick: () => downloadRecovered(store.recovered()) }, "Download the unreadable data"),
        el("button", { type: "button", onclick: () => { confirmRow.hidden = false; } }, "Remove it from this device")),
      confirmRow));
  }
  // Only touch the live region when the message changes, so screen readers are not told twice.
  const next = parts.map((p) => p.textContent).join("|");
  if (box.dataset.shown !== next) {
    box.replaceChildren(...parts);
    box.dataset.shown = next;
  }
  return parts.length > 0;
}

/** After the first saved entry: ask to keep storage, and say plainly what protects entries if not granted. */
export async function persistCheck(note) {
  if (!store.count() || store.status.problem) return;
  // Show the last answer at once: the new one arrives after the first paint, and the page must not jump.
  const last = store.lastPersist();
  if (last !== null) note.hidden = last;
  const kept = await store.askPersist();
  note.hidden = kept === true;
}
