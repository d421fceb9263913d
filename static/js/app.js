// Loaded on every page. Each feature lives in its own module.
import "./quick-exit.js";
import "./pwa.js";
