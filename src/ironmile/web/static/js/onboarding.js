// The onboarding wizard works without JavaScript; this adds two conveniences.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // An empty time-zone field gets the browser's own zone (an IANA name such as Europe/Berlin).
  for (const field of document.querySelectorAll("input[data-fill-time-zone]")) {
    if (!field.value) {
      try {
        field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
      } catch (error) {
        // no Intl time zones: the field stays empty and optional
      }
    }
  }
  // Reading a large archive takes a while: say so, and keep the button from being pressed twice.
  for (const button of document.querySelectorAll("button[data-busy-text]")) {
    button.form.addEventListener("submit", (event) => {
      if (event.submitter === button) {
        button.textContent = button.dataset.busyText;
        button.setAttribute("aria-disabled", "true");
        button.form.setAttribute("aria-busy", "true");
        button.addEventListener("click", (again) => again.preventDefault());
      }
    });
  }
});
