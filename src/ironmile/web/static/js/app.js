// Shared behaviour for every page. Pages work without JavaScript; this adds conveniences only.
"use strict";
document.addEventListener("htmx:responseError", (event) => {
  // A server error an htmx request could not show: say so instead of failing silently.
  const target = event.detail.target;
  if (target) {
    const note = document.createElement("p");
    note.className = "notice bad";
    note.setAttribute("role", "alert");
    note.textContent = "That did not work (" + event.detail.xhr.status + "). Please try again.";
    target.prepend(note);
  }
});

function showCurrentPage() {
  // On a phone the header's links scroll sideways: bring the current page's link into view, centred,
  // moving only that row (never the page).
  const row = document.querySelector(".top-links");
  const current = row && row.querySelector('[aria-current="page"]');
  if (!current) {
    return;
  }
  const rowBox = row.getBoundingClientRect();
  const box = current.getBoundingClientRect();
  if (box.left < rowBox.left || box.right > rowBox.right) {
    row.scrollLeft += box.left - rowBox.left - (rowBox.width - box.width) / 2;
  }
}
showCurrentPage();
document.addEventListener("htmx:afterSettle", showCurrentPage);
document.addEventListener("focusin", (event) => {
  // The browser leaves a half-hidden link half-hidden when it takes focus: show all of it (and its ring).
  if (event.target instanceof Element && event.target.closest(".top-links")) {
    event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
});
