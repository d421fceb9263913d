// Runs in <head>, before the first paint. When this device has a worksheet to reopen, the form stays
// out of sight until worksheet.js has filled it in, so nothing moves under a finger as it comes back.
// The page's heading, help links and the call kinds paint at once; a call kind picked before worksheet.js
// runs is noted here for it to keep. If worksheet.js cannot run, the form shows anyway after 3 s.
(function () {
  "use strict";
  var root = document.documentElement;
  var keys = JSON.parse(document.currentScript.dataset.keys); // the contract's KEYS (a classic script cannot import it)
  var reopening = false;
  var keepNote = false;
  try {
    reopening = Boolean(sessionStorage.getItem(keys.tab) || localStorage.getItem(keys.current));
    keepNote = localStorage.getItem(keys.kept) === "0"; // the browser said no last time: the note will show
  } catch (e) {
    return; // storage is off: there is nothing to reopen
  }
  if (!reopening) return;
  root.classList.add("ws-reopening");
  if (keepNote) root.classList.add("ws-keep-note");
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.name === "kind" && input.checked) window.bsEarlyKind = input.value;
  }, true);
  setTimeout(function () { root.classList.remove("ws-reopening", "ws-keep-note"); }, 3000);
})();
