// Injected by bench/startup.py before any page script (add_init_script): records, in
// milliseconds since navigation start, first contentful paint, every main-thread long task,
// every layout shift, the moment the first form field accepts input, and the moment the
// page's result (window.__benchDone, a CSS selector set by the bench) is on screen, and when
// <html data-engine> says "ready".
(() => {
  const m = (window.__bench = {
    fcp: null, longTasks: [], frames: [], shifts: [], firstField: null, firstInput: null, done: null, engineReady: null,
  });
  const observe = (type, fn) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(fn)).observe({ type, buffered: true });
    } catch (e) {
      /* type not supported */
    }
  };
  observe("paint", (e) => {
    if (e.name === "first-contentful-paint") m.fcp = e.startTime;
  });
  observe("longtask", (e) => m.longTasks.push([e.startTime, e.duration]));
  // Long animation frames say what a long task was: [start, duration, style and layout, scripts].
  observe("long-animation-frame", (e) => m.frames.push([
    e.startTime, e.duration, e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
    (e.scripts || []).map((s) => `${s.sourceURL.split("/").pop() || s.invoker} ${Math.round(s.duration)}`).join(", ")]));
  const describe = (node) =>
    !node ? "?" : node.nodeType !== 1 ? `${describe(node.parentElement)} (text)` :
      node.tagName.toLowerCase() + (node.id ? `#${node.id}` : "") + (node.className && typeof node.className === "string" ? `.${node.className.trim().split(/\s+/).join(".")}` : "");
  observe("layout-shift", (e) =>
    m.shifts.push([e.startTime, e.value, e.hadRecentInput, (e.sources || []).map((s) => describe(s.node)).join(", ")]));

  const FIELD = "main input:not([type=hidden]):not([disabled]), main textarea:not([disabled]), main select:not([disabled])";
  // Shown means laid out and not visibility: hidden (a hidden field takes no input).
  const visible = (el) => (el.checkVisibility ? el.checkVisibility({ visibilityProperty: true }) : el.getClientRects().length > 0);
  function check() {
    if (m.firstField === null) {
      const field = document.querySelector(FIELD);
      if (field && visible(field)) {
        m.firstField = performance.now();
        // The field is there; it accepts input once the main thread is free to run a task.
        setTimeout(() => (m.firstInput = performance.now()), 0);
      }
    }
    if (m.engineReady === null && document.documentElement && document.documentElement.dataset.engine === "ready") {
      m.engineReady = performance.now();
    }
    if (m.done === null && window.__benchDone) {
      const el = document.querySelector(window.__benchDone);
      if (el && visible(el) && el.textContent.trim()) m.done = performance.now();
    }
    return m.firstField !== null && (m.done !== null || !window.__benchDone);
  }
  // Checked once per animation frame, just before it paints: nothing shows sooner than that. (A mutation
  // observer here, as before, forced style and layout on every parser chunk: up to 38 ms of long tasks that
  // were the bench's own, on every page.)
  const frame = () => check() || requestAnimationFrame(frame);
  requestAnimationFrame(frame);
})();
