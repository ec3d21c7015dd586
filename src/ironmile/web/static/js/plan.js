// The Plan page works without JavaScript; with htmx, a move check swaps the move panel and a move
// swaps the week. This says what happened in the page's live region (screen readers hear the
// verdict, not the whole panel again) and, after a move, puts focus on the notice that says so.
"use strict";
document.addEventListener("htmx:afterSettle", () => {
  const status = document.getElementById("plan-status");
  const announced = document.querySelectorAll("[data-announce]");
  if (status) {
    const last = announced[announced.length - 1];
    status.textContent = last ? last.textContent.replace(/\s+/g, " ").trim() : "";
  }
  announced.forEach((element) => element.removeAttribute("data-announce")); // each is said once
  const notice = document.querySelector("#plan-week [data-focus]");
  if (notice) {
    notice.removeAttribute("data-focus");
    notice.focus();
  }
});
