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
