// The import and export pages. Import: send the upload form with XMLHttpRequest so that the page
// can show the upload's progress, then put the panel the server sends back in place of the old
// one. Export: copy the calendar feed's address. Without JavaScript the form posts as it is and
// the address can be selected by hand; this file only adds conveniences.
"use strict";
(() => {
  const ANNOUNCE_EVERY = 10; // percent: screen readers hear every tenth, the bar moves smoothly
  const MB = 1024 * 1024;

  function megabytes(bytes) {
    return (bytes / MB).toFixed(1);
  }

  function messageOf(html) {
    // The text of an error page the server (or its size limit) sent back, without its markup.
    const page = new DOMParser().parseFromString(html, "text/html");
    const paragraph = page.querySelector(".error-message, p");
    return paragraph ? paragraph.textContent.trim() : "";
  }

  function showPanel(html) {
    const old = document.getElementById("import-panel");
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const fresh = template.content.querySelector("#import-panel");
    if (!old || !fresh) {
      return false;
    }
    old.replaceWith(fresh);
    bindUpload(fresh.querySelector("form.upload"));
    const focus = fresh.querySelector("#import-result") || fresh.querySelector("[aria-invalid=true]");
    if (focus) {
      focus.focus();
    }
    return true;
  }

  function send(form, status, button) {
    const box = form.querySelector(".upload-progress");
    const bar = box.querySelector("progress");
    const xhr = new XMLHttpRequest();
    let announced = -ANNOUNCE_EVERY;
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.setRequestHeader("X-CSRF-Token", form.querySelector("input[name=csrf_token]").value);
    xhr.upload.addEventListener("progress", (event) => {
      if (!event.lengthComputable) {
        return;
      }
      const percent = Math.floor((event.loaded / event.total) * 100);
      bar.value = percent;
      bar.textContent = percent + " %";
      if (percent >= announced + ANNOUNCE_EVERY) {
        announced = percent - (percent % ANNOUNCE_EVERY);
        status.textContent =
          "Uploading: " + percent + " % (" + megabytes(event.loaded) + " of " + megabytes(event.total) + " MB)";
      }
    });
    xhr.upload.addEventListener("load", () => {
      bar.removeAttribute("value"); // indeterminate: the server is reading the files now
      status.textContent = "Uploaded. Importing: a large export takes a minute or two…";
    });
    xhr.addEventListener("load", () => {
      form.removeAttribute("aria-busy");
      button.disabled = false;
      box.hidden = true;
      if ((xhr.status === 200 || xhr.status === 422) && showPanel(xhr.responseText)) {
        return;
      }
      const detail = messageOf(xhr.responseText);
      status.textContent =
        xhr.status === 413
          ? detail || "The upload is larger than the server takes. Upload fewer files at a time."
          : "The import did not work (" + xhr.status + "). " + (detail || "Please try again.");
    });
    xhr.addEventListener("error", () => {
      form.removeAttribute("aria-busy");
      button.disabled = false;
      box.hidden = true;
      status.textContent =
        "The connection was lost before the server answered. Please try again: " +
        "activities that were imported already are recognised and skipped.";
    });
    form.setAttribute("aria-busy", "true");
    button.disabled = true;
    box.hidden = false;
    bar.value = 0;
    status.textContent = "Uploading: 0 %";
    xhr.send(new FormData(form));
  }

  function bindUpload(form) {
    if (!form) {
      return;
    }
    const status = form.querySelector(".upload-status");
    const button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const input = form.querySelector("input[type=file]");
      const files = Array.from(input.files || []);
      const total = files.reduce((sum, file) => sum + file.size, 0);
      const maxBytes = Number(form.dataset.maxBytes);
      const maxFiles = Number(form.dataset.maxFiles);
      if (maxBytes && total > maxBytes) {
        status.textContent =
          "These files come to " + megabytes(total) + " MB; the server takes up to " + form.dataset.maxMb +
          " MB per upload. Upload them in parts.";
        return;
      }
      if (maxFiles && files.length > maxFiles) {
        status.textContent =
          "That is " + files.length + " files; the server takes up to " + maxFiles +
          " per upload. Zip them, or upload them in parts.";
        return;
      }
      send(form, status, button);
    });
  }

  function bindCopy(button) {
    const field = document.getElementById(button.dataset.copy);
    const note = document.getElementById(button.dataset.note);
    if (!field || !note) {
      return;
    }
    button.hidden = false; // a copy button is only offered where it can work
    button.addEventListener("click", () => {
      field.select();
      const done = () => {
        note.textContent = "Copied. Paste it into your calendar app's “subscribe” or “add by URL”.";
      };
      const manual = () => {
        note.textContent = "The address is selected: press Ctrl+C (⌘C on a Mac) to copy it.";
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, manual);
      } else {
        manual();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form.upload").forEach(bindUpload);
    document.querySelectorAll("button[data-copy]").forEach(bindCopy);
  });
})();
