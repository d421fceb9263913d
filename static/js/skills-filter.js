// Instant filter for the skills index. Plain DOM, works before (and without) the engine.
const input = document.getElementById("skill-filter");
const count = document.getElementById("filter-count");
const none = document.getElementById("no-match");
const items = [...document.querySelectorAll("[data-search]")];
const sections = [...document.querySelectorAll("[data-module]")];

function apply() {
  const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const item of items) {
    const hit = words.every((w) => item.dataset.search.includes(w));
    item.hidden = !hit;
    if (hit) shown += 1;
  }
  for (const section of sections) {
    section.hidden = !section.querySelector("[data-search]:not([hidden])");
  }
  none.hidden = shown > 0;
  count.textContent = words.length ? `${shown} of ${items.length} skills shown` : "";
}

input.addEventListener("input", apply);
apply();
