// Runs in <head>, before the first paint. When this device has a worksheet to reopen, the form stays
// out of sight until worksheet.js has filled it in, so nothing moves under a finger as it comes back.
// The page's heading and help links paint at once. If worksheet.js cannot run, the form shows anyway.
(function () {
  "use strict";
  var root = document.documentElement;
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
