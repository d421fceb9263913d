// Runs in <head>, before the first paint, and does two things early:
// 1. Starts the suggestion engine's worker, so Python loads while the page itself loads: about 0.25 s
//    sooner than worksheet.js could (bench/startup.py). engine.js adopts it and replays its messages.
// 2. When this device has a worksheet to reopen, keeps the form out of sight until worksheet.js has
//    filled it in, so nothing moves under a finger as it comes back. The heading and help links paint
//    at once; if worksheet.js cannot run, the form shows anyway after three seconds.
(function () {
  "use strict";
  var root = document.documentElement;
  try {
    var early = { worker: null, messages: [], error: null };
    early.worker = new Worker(new URL("../worker/engine-worker.js", document.currentScript.src), { type: "module" });
    early.worker.onmessage = function (event) { early.messages.push(event.data); };
    early.worker.onerror = function (event) {
      if (event.preventDefault) event.preventDefault(); // engine.js reports it, in words
      early.error = event.message || "error";
    };
    window.betweenSessionsEarlyEngine = early;
  } catch (e) {
    // No module workers here: engine.js tries again and says so.
  }
  var reopening = false;
  try {
    reopening = Boolean(sessionStorage.getItem("bs.tab") || localStorage.getItem("bs.current"));
  } catch (e) {
    return; // storage is off: there is nothing to reopen
  }
  if (!reopening) return;
  root.classList.add("ws-reopening");
  setTimeout(function () { root.classList.remove("ws-reopening"); }, 3000);
})();
