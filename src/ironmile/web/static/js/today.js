// The Today page on a phone in a gym: an offline-safe queue for logged sets, and a rest timer.
//
// Without this file the page works all the same (every form posts, the server redirects back).
// With it, a set is first written to localStorage with its request_id, shown as "saved on this
// phone, sending…", then sent to POST /api/v1/sets. A failure that may pass (offline, a timeout,
// 5xx, signed out) keeps it queued and retries with backoff, on the `online` event and on the next
// page load; the server logs a request_id once, so a resend never doubles a set. A refusal (other
// 4xx: bad input) is shown on the set and dropped. Sets go one at a time, in the order lifted.
//
// The rest timer stores its end time (epoch ms), not a count of ticks: it survives reloads and a
// sleeping phone, and at zero it vibrates where the browser allows.
"use strict";
(() => {
  const page = document.getElementById("today-data");
  if (!page) return;
  const data = JSON.parse(page.textContent);
  const QUEUE_KEY = "ironmile.sets.v1";
  const REST_KEY = "ironmile.rest.v1";
  const TIMEOUT_MS = 10000;
  const MAX_BACKOFF_MS = 60000;
  const RETRY = new Set([401, 403, 408, 425, 429]); // sign in again, a stale token, busy: not bad input
  const store = usableStorage();
  const memory = {}; // stands in for localStorage where it cannot be used (the timer still runs)

  function usableStorage() {
    try {
      localStorage.setItem("ironmile.probe", "1");
      localStorage.removeItem("ironmile.probe");
      return localStorage;
    } catch {
      return null; // private mode or storage disabled: htmx posts the forms instead
    }
  }
  function read(key, fallback) {
    try {
      const text = store ? store.getItem(key) : memory[key];
      return text ? JSON.parse(text) : fallback;
    } catch {
      return fallback;
    }
  }
  function write(key, value) {
    const text = value === null ? null : JSON.stringify(value);
    if (store) text === null ? store.removeItem(key) : store.setItem(key, text);
    else memory[key] = text;
  }

  // ---- the queue ------------------------------------------------------------------------------

  // A set form's values as the API's JSON body (numbers, null for blanks).
  function setFromForm(form) {
    const fields = new FormData(form);
    const number = (name) => {
      const text = String(fields.get(name) ?? "").trim().replace(",", ".");
      return text === "" ? null : Number(text);
    };
    return {
      date: fields.get("date"),
      exercise_id: fields.get("exercise_id"),
      load: number("load"),
      reps: number("reps"),
      seconds: number("seconds"),
      rir: number("rir"),
      pain: number("pain"),
      request_id: fields.get("request_id"),
    };
  }

  function describe(set, card) {
    const unit = card?.dataset.unit || "";
    const amount = set.seconds !== null ? `${set.seconds} s` : `${set.reps} reps`; // as the server words it
    const shown = set.load === null ? amount : `${set.load} ${unit} × ${amount.replace(" reps", "")}`;
    return shown + (set.rir !== null ? ` · RIR ${set.rir}` : "") + (set.pain !== null ? ` · pain ${set.pain}/10` : "");
  }

  // Show a row as logged: its forms are hidden (kept, with what was typed, in case the server
  // refuses the set) behind a line saying what was lifted and where it is saved.
  function markRow(row, set, text, state) {
    if (!row || row.dataset.requestId) return;
    row.classList.add("done", state);
    row.dataset.requestId = set.request_id;
    for (const child of row.children) child.hidden = true;
    row.querySelectorAll(".from-server").forEach((note) => note.remove());
    row.querySelectorAll("[aria-invalid]").forEach((input) => input.removeAttribute("aria-invalid"));
    const line = document.createElement("p");
    line.className = "set-done";
    line.textContent = `✓ Set ${row.dataset.number}: ${text} `;
    const status = document.createElement("span");
    status.className = "set-status";
    status.textContent = state === "queued" ? "saved on this phone, sending…" : "saved";
    line.append(status);
    row.append(line);
  }

  // A refused set: the row's forms come back with each field the server named marked at fault.
  function reopenRow(row, problem) {
    row.querySelector(".set-done")?.remove();
    for (const child of row.children) child.hidden = false;
    row.classList.remove("done", "queued");
    delete row.dataset.requestId;
    const adjust = row.querySelector("details.adjust");
    const named = (problem.fields || []).filter((f) => adjust?.querySelector(`[name="${CSS.escape(f.field)}"]`));
    if (adjust && named.length) adjust.open = true;
    for (const { field, message } of named) {
      const input = adjust.querySelector(`input[name="${CSS.escape(field)}"]:not([type=hidden])`);
      if (!input) continue;
      const note = document.createElement("p");
      note.className = "field-error from-server";
      note.id = `${input.id}-error`;
      note.textContent = message;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", note.id);
      input.after(note);
    }
  }

  function rowFor(requestId) {
    return document.querySelector(`.set-row[data-request-id="${CSS.escape(requestId)}"]`);
  }

  function settle(item, outcome) {
    const row = rowFor(item.body.request_id);
    if (outcome.kind === "saved" && row) {
      row.classList.replace("queued", "saved");
      row.querySelector(".set-status").textContent = "saved";
    } else if (outcome.kind === "refused") {
      if (read(REST_KEY, null)?.requestId === item.body.request_id) write(REST_KEY, null);
      if (row) reopenRow(row, outcome.problem);
      const note = document.createElement("p");
      note.className = "notice bad from-server";
      note.setAttribute("role", "alert");
      note.textContent = `Not saved (${item.text}): ${outcome.problem.detail}`;
      if (row) row.append(note);
      else document.querySelector(".today").prepend(note); // the page was reloaded since: say it on top
      tick();
    }
  }

  // Only this account's sets: a phone shared by two runners never sends one's sets as the other's.
  const mine = () => read(QUEUE_KEY, []).filter((item) => item.user === data.user);
  let waitingFor = ""; // why the head of the queue waits, when the server said so

  function showStatus() {
    const box = document.getElementById("queue-status");
    const waiting = mine().length;
    box.hidden = waiting === 0;
    box.textContent = waiting === 0 ? "" : `${waiting} set${waiting > 1 ? "s" : ""} saved on this phone, sending… ${waitingFor}`;
  }

  async function send(item) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(data.api, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": data.csrf },
        body: JSON.stringify(item.body),
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (response.ok) {
        await response.json().catch(() => null); // read it all, so leaving the page aborts nothing
        return { kind: "saved" };
      }
      if (response.status >= 500 || RETRY.has(response.status)) return { kind: "retry", status: response.status };
      const problem = await response.json().catch(() => ({}));
      problem.detail ||= `the server refused it (${response.status})`;
      return { kind: "refused", problem };
    } catch {
      return { kind: "retry" }; // offline, timed out, or the connection dropped
    } finally {
      clearTimeout(timer);
    }
  }

  let sending = false;
  let wake = null;
  // Send the queue from its head, one set at a time; stop at the first set that must wait.
  async function pump() {
    if (sending || !store) return;
    sending = true;
    clearTimeout(wake);
    try {
      for (let queue = mine(); queue.length; queue = mine()) {
        const item = queue[0];
        const wait = item.nextAt - Date.now();
        if (wait > 0) {
          wake = setTimeout(pump, wait);
          break;
        }
        const outcome = await send(item);
        const now = read(QUEUE_KEY, []);
        if (outcome.kind === "retry") {
          item.tries += 1;
          const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** item.tries);
          item.nextAt = Date.now() + backoff * (0.5 + Math.random() / 2); // jitter: phones do not retry in step
          write(QUEUE_KEY, now.map((it) => (it.body.request_id === item.body.request_id ? item : it)));
          waitingFor = outcome.status === 401 || outcome.status === 403 ? "(sign in again, or reload the page)" : "";
          wake = setTimeout(pump, item.nextAt - Date.now());
          break;
        }
        write(QUEUE_KEY, now.filter((it) => it.body.request_id !== item.body.request_id));
        waitingFor = "";
        settle(item, outcome);
      }
    } finally {
      sending = false;
      showStatus();
    }
  }

  function enqueue(form) {
    const set = setFromForm(form);
    const card = form.closest(".exercise");
    const queue = read(QUEUE_KEY, []);
    if (!queue.some((item) => item.body.request_id === set.request_id)) {
      queue.push({ body: set, user: data.user, text: describe(set, card), tries: 0, nextAt: 0 });
      write(QUEUE_KEY, queue);
    }
    markRow(form.closest(".set-row"), set, describe(set, card), "queued");
    startRest(Number(card?.dataset.rest || 0), card?.dataset.name || "", set.request_id);
    showStatus();
    pump();
  }

  // Sets still queued from an earlier visit: show them on their cards as the rows they filled.
  function showQueued() {
    for (const item of mine()) {
      if (item.body.date !== data.date) continue;
      const card = document.querySelector(`.exercise[data-exercise="${CSS.escape(item.body.exercise_id)}"]`);
      markRow(card?.querySelector(".set-row:not(.done)"), item.body, item.text, "queued");
    }
  }

  // htmx asks before it posts a form: set forms go through the queue instead, when it can be kept.
  document.addEventListener("htmx:confirm", (event) => {
    const form = event.detail.elt;
    if (!store || !(form instanceof HTMLFormElement) || !form.classList.contains("set-form")) return;
    event.preventDefault();
    enqueue(form);
  });
  // Without the queue, htmx posts the set and swaps the card: start the rest timer all the same.
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    const card = event.detail.target; // the card htmx replaced; it keeps its data attributes
    const logged = event.detail.xhr && event.detail.xhr.status < 300;
    if (form instanceof HTMLFormElement && form.classList.contains("set-form") && logged && card) {
      startRest(Number(card.dataset.rest || 0), card.dataset.name || "");
    }
  });
  window.addEventListener("online", () => {
    write(QUEUE_KEY, read(QUEUE_KEY, []).map((item) => ({ ...item, nextAt: 0 }))); // back online: try now
    pump();
  });

  // ---- the rest timer -------------------------------------------------------------------------

  const timer = document.getElementById("rest-timer");
  const clock = timer.querySelector("[data-rest-clock]");
  const over = timer.querySelector("[data-rest-over]");

  // `requestId`: the set that started it, so that a refused set cancels its rest.
  function startRest(seconds, label, requestId = null) {
    if (seconds > 0) {
      write(REST_KEY, { end: Date.now() + seconds * 1000, label, requestId, alerted: false });
      tick();
    }
  }

  function tick() {
    const rest = read(REST_KEY, null);
    const left = rest ? Math.ceil((rest.end - Date.now()) / 1000) : null;
    if (rest === null || left < -300) { // five minutes past zero, the timer has done its job
      if (rest) write(REST_KEY, null);
      timer.hidden = true;
      return;
    }
    timer.hidden = false;
    timer.querySelector("[data-rest-label]").textContent = rest.label ? `Rest · ${rest.label}` : "Rest";
    const shown = Math.max(left, 0);
    clock.textContent = `${Math.floor(shown / 60)}:${String(shown % 60).padStart(2, "0")}`;
    over.hidden = left > 0;
    timer.classList.toggle("over", left <= 0);
    if (left <= 0 && !rest.alerted) {
      write(REST_KEY, { ...rest, alerted: true });
      if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
    }
  }

  timer.querySelector("[data-rest-skip]").addEventListener("click", () => {
    write(REST_KEY, null);
    tick();
  });
  timer.querySelector("[data-rest-add]").addEventListener("click", (event) => {
    const rest = read(REST_KEY, null);
    if (!rest) return;
    const extra = Number(event.currentTarget.dataset.restAdd) * 1000;
    write(REST_KEY, { ...rest, end: Math.max(rest.end, Date.now()) + extra, alerted: false });
    tick();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      tick();
      pump();
    }
  });

  showQueued();
  showStatus();
  tick();
  setInterval(tick, 500);
  pump();
})();
