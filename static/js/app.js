// Loaded on every page. Each feature lives in its own module.
// (quick-exit.js is a classic script in <head>: it must run before the page is drawn.)
import "./help.js";
import "./pwa.js";
