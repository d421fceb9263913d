// Quick exit: the Quick exit button, or Shift pressed three times, hides the page at once and
// replaces it with a neutral page, so Back does not lead to it. Saved data is kept.
//
// This is a classic script loaded in <head>, not a module: it must run before the page is drawn,
// so a page reached by Back after a quick exit is hidden before anyone sees it.
(function () {
  "use strict";
  // sessionStorage lasts as long as the tab, across sites: it remembers "this tab left by quick exit".
  // The key comes from the build's contract (a classic script cannot import it): see base.html.
  var script = document.currentScript;
  var KEY = script.dataset.key;
  var OLD_KEY = script.dataset.legacyKey; // written by an older version in this tab
  var root = document.documentElement;

  function hide() {
    root.style.visibility = "hidden";
  }

  function exitedTo() {
    try {
      return sessionStorage.getItem(KEY) || sessionStorage.getItem(OLD_KEY);
    } catch (e) {
      return null;
    }
  }

  function leave(url) {
    hide();
    document.title = "";
    try {
      sessionStorage.setItem(KEY, url);
    } catch (e) {
      // Storage blocked: this page is still replaced; only Back to older pages is not covered.
    }
    location.replace(url);
  }

  function exitUrl() {
    var link = document.getElementById("quick-exit");
    return (link && link.href) || document.body.dataset.quickExit;
  }

  function cameBack() {
    var entry = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    if (entry) return entry.type === "back_forward";
    return !!performance.navigation && performance.navigation.type === 2;
  }

  var exited = exitedTo();
  if (exited) {
    if (cameBack()) {
      leave(exited);
      return;
    }
    // The person opened the app again on purpose: show it as usual from now on.
    try {
      sessionStorage.removeItem(KEY);
      sessionStorage.removeItem(OLD_KEY);
    } catch (e) {
      // nothing to forget
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("#quick-exit");
    if (!link) return;
    event.preventDefault();
    leave(link.href);
  });

  // Shift tapped three times, each tap within a second of the last. A tap is Shift pressed and let go
  // with no other key in between, so typing capital letters never counts.
  var taps = 0;
  var last = 0;
  var clean = false;
  window.addEventListener(
    "keydown",
    function (event) {
      if (event.key === "Shift") {
        if (!event.repeat) clean = true;
      } else {
        clean = false;
        taps = 0;
      }
    },
    true
  );
  window.addEventListener(
    "keyup",
    function (event) {
      if (event.key !== "Shift" || !clean) return;
      clean = false;
      taps = event.timeStamp - last < 1000 ? taps + 1 : 1;
      last = event.timeStamp;
      if (taps >= 3) {
        taps = 0;
        leave(exitUrl());
      }
    },
    true
  );

  // A page kept in the back/forward cache is hidden as it goes in; when it comes back it is shown
  // again only if this tab has not left by quick exit.
  window.addEventListener("pagehide", hide);
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    var target = exitedTo();
    if (target) leave(target);
    else root.style.visibility = "";
  });
})();
