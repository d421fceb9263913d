// Offline support: register the service worker and offer updates politely.
// A new version never reloads the page by itself: the person chooses "Update now", the worksheet is told to
// save its draft ("before-app-update"), and only then does the page reload into the new version.

const slot = document.getElementById("update-slot");
let accepted = false;

function updateSlot(message, buttonText, onClick) {
  if (!slot) return;
  const text = document.createElement("p");
  text.textContent = message;
  const now = document.createElement("button");
  now.type = "button";
  now.className = "primary";
  now.textContent = buttonText;
  now.addEventListener("click", onClick);
  const later = document.createElement("button");
  later.type = "button";
  later.textContent = "Not now";
  later.addEventListener("click", () => {
    slot.hidden = true;
    slot.replaceChildren();
    document.getElementById("main")?.focus({ preventScroll: true }); // not lost on <body>
  });
  // Show the (empty) live region first, then fill it, so screen readers announce the text.
  slot.setAttribute("role", "status");
  slot.replaceChildren();
  slot.hidden = false;
  requestAnimationFrame(() => slot.replaceChildren(text, now, later));
}

function reload() {
  // Lets an open worksheet write its draft before the page goes away.
  window.dispatchEvent(new Event("before-app-update"));
  location.reload();
}

function offerUpdate(waiting) {
  updateSlot("A new version of the app is ready. Anything you have written is kept.", "Update now", () => {
    accepted = true;
    // Already active (another tab said yes first): just load it.
    if (waiting.state === "activated") reload();
    else waiting.postMessage({ type: "skip-waiting" });
  });
}

function watch(registration) {
  if (!registration) return; // some embedded browsers resolve register() with nothing
  if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    if (!worker) return;
    worker.addEventListener("statechange", () => {
      // With no controller this is the first install: the app now works offline, nothing to ask.
      if (worker.state === "installed" && navigator.serviceWorker.controller) offerUpdate(worker);
    });
  });
  // Look for a new version when the person comes back to an app left open.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && navigator.onLine) registration.update().catch(() => {});
  });
}

if ("serviceWorker" in navigator && window.isSecureContext) {
  let hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (accepted) {
      reload();
    } else if (hadController) {
      // Another tab applied an update: this page still shows the old version, so offer a reload.
      updateSlot("The app was updated in another tab. Reload to use the new version; anything you have written is kept.",
        "Reload now", reload);
    }
    hadController = true;
  });
  // Once installed, ask the browser to keep the offline copy and the person's entries when space runs low
  // (granted quietly to installed apps; not asked in a browser tab, where some browsers would show a prompt).
  if (navigator.storage?.persist && matchMedia("(display-mode: standalone)").matches) {
    navigator.storage.persist().catch(() => {});
  }
  const url = new URL(`${document.body.dataset.root || ""}sw.js`, location.href);
  const register = () => navigator.serviceWorker.register(url, { updateViaCache: "none" }).then(watch, (error) => {
    // No offline support (e.g. a private window that forbids it); the app itself still works.
    console.warn("Offline support is not available:", error.message);
  });
  // After the page has loaded, so storing the offline copy never slows the first view. The worksheet also
  // starts the engine as it opens: there the copy waits until the engine is ready (or has failed), so it takes
  // the runtime from the HTTP cache instead of downloading it a second time, and leaves the engine the CPU.
  const waitsForEngine = document.body.dataset.page === "worksheet";
  const engineSettled = () => ["ready", "unavailable"].includes(document.documentElement.dataset.engine);
  const whenEngineSettled = () => {
    if (!waitsForEngine || engineSettled()) return register();
    const settled = () => {
      if (!engineSettled()) return;
      window.removeEventListener("engine-state", settled);
      register();
    };
    window.addEventListener("engine-state", settled);
  };
  if (document.readyState === "complete") whenEngineSettled();
  else window.addEventListener("load", whenEngineSettled, { once: true });
}
