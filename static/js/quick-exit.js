// Quick exit: hide the page at once and replace this history entry with a neutral page.
const target = document.body.dataset.quickExit;

function leave(event) {
  if (event) event.preventDefault();
  document.documentElement.style.visibility = "hidden";
  document.title = "";
  location.replace(target);
}

document.getElementById("quick-exit")?.addEventListener("click", leave);
