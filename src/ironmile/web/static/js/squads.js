// The squad page's copy button: shown only where the clipboard can be written; the link stays a
// selectable read-only field without JavaScript. Set up again after htmx swaps the page in
// (renewing the link and removing a member are boosted forms).
"use strict";
function setUpCopyButtons() {
  const status = document.getElementById("copy-status");
  for (const button of document.querySelectorAll("button[data-copy]:not([data-ready])")) {
    const field = document.getElementById(button.dataset.copy);
    if (!field || !navigator.clipboard) continue;
    button.dataset.ready = "yes";
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        if (status) status.textContent = "Link copied.";
      } catch (error) {
        field.select();
        if (status) status.textContent = "Copying was refused; the link is selected, copy it by hand.";
      }
    });
  }
}
document.addEventListener("DOMContentLoaded", setUpCopyButtons);
document.addEventListener("htmx:afterSettle", setUpCopyButtons);
