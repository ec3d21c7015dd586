// The Today page on a phone in a gym: an offline-safe queue for logged sets, and a rest timer.
//
// Without this file the page works all the same (every form posts, the server redirects back).
// With it, a set is first written to localStorage with its request_id, shown as "saved on this
// phone, sending…", then sent to POST /api/v1/sets. A failure that may pass (offline, a timeout,
// 5xx, signed out) keeps it queued and retries with backoff, on the `online` event and on the next
// page load; the server logs a request_id once, so a resend never doubles a set. A refusal (other
// 4xx: bad input) is shown on the set and dropped. Sets go one at a time, in the order lifted.
// "Undo" on a logged set goes through the same queue, after the set (DELETE /api/v1/sets/{id});
// a set still waiting on the phone is simply taken off the queue.
//
// After each action the keyboard focus moves to what changed (the saved line, the set again, the
// swapped card) and one polite live region says it: "Set 1 of Goblet squat saved. Rest 2:00."
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
  const announcer = document.getElementById("today-announce");

  // Say `text` once in the polite live region (emptied first, so the same words are said again).
  function announce(text) {
    announcer.textContent = "";
    setTimeout(() => { announcer.textContent = text; }, 60);
  }
  const clockText = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  const restWords = (seconds) => (seconds > 0 ? ` Rest ${clockText(seconds)}.` : "");
  function newRequestId() {
    if (crypto.randomUUID) return crypto.randomUUID(); // only in secure contexts (https, localhost)
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

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

  // A set form's values as the API's JSON body: numbers as typed, null for blanks. The server says
  // whether a number must be whole or is out of range, for every field at once, in the same words
  // as when the form is posted without this script.
  function setFromForm(form) {
    const fields = new FormData(form);
    const number = (name) => {
      const text = String(fields.get(name) ?? "").trim().replace(",", ".");
      if (text === "") return null;
      return Number.isNaN(Number(text)) ? text : Number(text);
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
  // refuses the set) behind a line saying what was lifted and where it is saved, and an Undo.
  // Returns the line, or null when the row was already marked.
  function markRow(row, set, text, state) {
    if (!row || row.dataset.requestId) return null;
    row.classList.add("done", state);
    row.dataset.requestId = set.request_id;
    for (const child of row.children) child.hidden = true;
    row.querySelectorAll(".from-server").forEach((note) => note.remove());
    row.querySelectorAll("[aria-invalid]").forEach((input) => input.removeAttribute("aria-invalid"));
    const line = document.createElement("p");
    line.className = "set-done from-queue";
    line.tabIndex = -1;
    line.textContent = `✓ Set ${row.dataset.number}: ${text} `;
    const status = document.createElement("span");
    status.className = "set-status";
    status.textContent = state === "queued" ? "saved on this phone, sending…" : "saved";
    line.append(status);
    const undo = document.createElement("button");
    undo.type = "button";
    undo.className = "undo from-queue";
    undo.textContent = "Undo";
    undo.setAttribute("aria-label", `Undo set ${row.dataset.number} of ${row.closest(".exercise")?.dataset.name || "this exercise"}`);
    undo.addEventListener("click", () => undoRow(row));
    row.append(line, undo);
    return line;
  }

  // A refused or undone set: the row's forms come back; a refusal marks each field the server named.
  // Returns the inputs marked.
  function reopenRow(row, problem) {
    row.querySelectorAll(".from-queue").forEach((element) => element.remove());
    for (const child of row.children) child.hidden = false;
    row.classList.remove("done", "queued");
    delete row.dataset.requestId;
    const adjust = row.querySelector("details.adjust");
    const marked = [];
    for (const { field, message } of problem.fields || []) {
      const input = adjust?.querySelector(`input[name="${CSS.escape(field)}"]:not([type=hidden])`);
      if (!input) continue;
      const note = document.createElement("p");
      note.className = "field-error from-server";
      note.id = `${input.id}-error`;
      note.textContent = message;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", note.id);
      input.after(note);
      marked.push(input);
    }
    if (marked.length) adjust.open = true;
    return marked;
  }

  function rowFor(requestId) {
    return document.querySelector(`.set-row[data-request-id="${CSS.escape(requestId)}"]`);
  }

  function settle(item, outcome) {
    if (item.kind === "undo") {
      if (outcome.kind === "refused") {
        const note = document.createElement("p");
        note.className = "notice bad from-server";
        note.setAttribute("role", "alert");
        note.textContent = `Not undone (${item.text}): ${outcome.problem.detail}`;
        document.querySelector(".today").prepend(note);
      }
      return;
    }
    const row = rowFor(item.body.request_id);
    if (outcome.kind === "saved" && row) {
      row.classList.replace("queued", "saved");
      row.querySelector(".set-status").textContent = "saved";
    } else if (outcome.kind === "refused") {
      if (read(REST_KEY, null)?.requestId === item.body.request_id) write(REST_KEY, null);
      const focused = row?.contains(document.activeElement) || document.activeElement === document.body;
      const marked = row ? reopenRow(row, outcome.problem) : [];
      const note = document.createElement("p");
      note.className = "notice bad from-server";
      note.setAttribute("role", "alert");
      note.textContent = marked.length // each message is next to its field
        ? `Not saved (${item.text}): check the field${marked.length > 1 ? "s" : ""} marked above.`
        : `Not saved (${item.text}): ${outcome.problem.detail}`;
      if (row) row.append(note);
      else document.querySelector(".today").prepend(note); // the page was reloaded since: say it on top
      if (focused) marked[0]?.focus(); // not when the answer came long after, while the runner was elsewhere
      tick();
    }
  }

  // Only this account's sets: a phone shared by two runners never sends one's sets as the other's.
  const mine = () => read(QUEUE_KEY, []).filter((item) => item.user === data.user);
  let waitingFor = ""; // why the head of the queue waits, when the server said so

  // The same queue item: a set and its undo share a request_id.
  const same = (a, b) => (a.kind || "set") === (b.kind || "set") && a.body.request_id === b.body.request_id;
  let announcedWaiting = false;

  function showStatus() {
    const box = document.getElementById("queue-status");
    const queue = mine();
    const sets = queue.filter((item) => item.kind !== "undo").length;
    const undos = queue.length - sets;
    box.hidden = queue.length === 0;
    const parts = [];
    if (sets) parts.push(`${sets} set${sets > 1 ? "s" : ""} saved on this phone, sending…`);
    if (undos) parts.push(`${undos} undo${undos > 1 ? "s" : ""} waiting to be sent…`);
    box.textContent = queue.length === 0 ? "" : `${parts.join(" ")} ${waitingFor}`;
    if (queue.length === 0) announcedWaiting = false;
  }

  async function send(item) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    const undo = item.kind === "undo";
    try {
      const response = await fetch(undo ? `${data.api}/${encodeURIComponent(item.body.request_id)}` : data.api, {
        method: undo ? "DELETE" : "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": data.csrf },
        body: undo ? undefined : JSON.stringify(item.body),
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (undo && response.status === 404) return { kind: "saved" }; // undone already: nothing left to take out
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
  let inFlight = null; // the queue item being sent
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
        inFlight = item;
        const outcome = await send(item);
        inFlight = null;
        const now = read(QUEUE_KEY, []);
        if (outcome.kind === "retry") {
          item.tries += 1;
          const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** item.tries);
          item.nextAt = Date.now() + backoff * (0.5 + Math.random() / 2); // jitter: phones do not retry in step
          write(QUEUE_KEY, now.map((it) => (same(it, item) ? item : it)));
          waitingFor = outcome.status === 401 || outcome.status === 403 ? "(sign in again, or reload the page)" : "";
          if (!announcedWaiting) {
            announcedWaiting = true;
            announce("Not sent yet: kept on this phone, sent when the connection is back.");
          }
          wake = setTimeout(pump, item.nextAt - Date.now());
          break;
        }
        write(QUEUE_KEY, now.filter((it) => !same(it, item)));
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
    const item = { body: set, user: data.user, text: describe(set, card), tries: 0, nextAt: 0 };
    if (!queue.some((it) => same(it, item))) {
      queue.push(item);
      write(QUEUE_KEY, queue);
    }
    const row = form.closest(".set-row");
    const line = markRow(row, set, describe(set, card), "queued");
    const rest = Number(card?.dataset.rest || 0);
    startRest(rest, card?.dataset.name || "", set.request_id);
    line?.focus();
    announce(`Set ${row?.dataset.number} of ${card?.dataset.name || "this exercise"} saved.${restWords(rest)}`);
    showStatus();
    pump();
  }

  // Undo a set marked by this script: off the queue if it is still waiting there, else sent after
  // it as a DELETE. The row's forms come back with a new request_id, ready to log the set again.
  function undoRow(row) {
    const requestId = row.dataset.requestId;
    const card = row.closest(".exercise");
    const set = { kind: "set", body: { request_id: requestId } };
    const queue = read(QUEUE_KEY, []);
    const waiting = queue.some((it) => same(it, set));
    if (waiting && !(inFlight && same(inFlight, set))) {
      write(QUEUE_KEY, queue.filter((it) => !same(it, set)));
    } else {
      const text = row.querySelector(".set-done")?.textContent || "";
      queue.push({ kind: "undo", body: { request_id: requestId, date: data.date }, user: data.user, text, tries: 0, nextAt: 0 });
      write(QUEUE_KEY, queue);
    }
    if (read(REST_KEY, null)?.requestId === requestId) {
      write(REST_KEY, null);
      tick();
    }
    reopenRow(row, {});
    const fresh = newRequestId();
    row.querySelectorAll('input[name="request_id"]').forEach((input) => { input.value = fresh; });
    (row.querySelector(".done-button") || row.querySelector("summary"))?.focus();
    announce(`Set ${row.dataset.number} of ${card?.dataset.name || "this exercise"} undone.`);
    showStatus();
    pump();
  }

  // Sets still queued from an earlier visit (and not undone since): show them on their cards as
  // the rows they filled; a set of an exercise swapped out since shows on the card that replaced it.
  function showQueued() {
    const queue = mine();
    const undone = new Set(queue.filter((it) => it.kind === "undo").map((it) => it.body.request_id));
    for (const item of queue) {
      if (item.kind === "undo" || undone.has(item.body.request_id) || item.body.date !== data.date) continue;
      if (document.querySelector(`.set-row[data-request-id="${CSS.escape(item.body.request_id)}"]`)) continue;
      const id = CSS.escape(item.body.exercise_id);
      const card = document.querySelector(`.exercise[data-exercise="${id}"], .exercise[data-planned="${id}"]`);
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
  // What htmx was asked to do (noted before it replaces the form) and whether the server took it,
  // for the focus and the words afterwards.
  let lastAction = null;
  // Without the queue, htmx posts the set and swaps the card: start the rest timer all the same.
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    const card = event.detail.target; // the card htmx replaced; it keeps its data attributes
    const logged = event.detail.xhr && event.detail.xhr.status < 300;
    if (lastAction) lastAction.ok = Boolean(logged);
    if (form instanceof HTMLFormElement && form.classList.contains("set-form") && logged && card) {
      startRest(Number(card.dataset.rest || 0), card.dataset.name || "");
    }
  });

  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt;
    if (!(form instanceof HTMLFormElement)) return;
    const field = (name) => form.querySelector(`input[name="${name}"]`)?.value || "";
    const card = form.closest(".exercise");
    lastAction = {
      kind: form.classList.contains("set-form") ? "set" : form.classList.contains("undo-form") ? "undo" : form.closest(".swap") ? "swap" : "other",
      card: card ? card.id : "",
      number: field("set_number"),
      name: card?.dataset.name || "",
    };
  });
  // After htmx put the new card (or check-in) in place: the keyboard focus goes to what changed,
  // or to the first field at fault, and the live region says what happened.
  document.addEventListener("htmx:afterSettle", () => {
    const action = lastAction;
    lastAction = null;
    showQueued();
    if (!action) return;
    const region = (action.card && document.getElementById(action.card)) || document.getElementById("checkin");
    if (!region) return;
    if (!action.ok) { // refused: to the first field at fault; its message is an alert, said already
      region.querySelector('[aria-invalid="true"], details[open] .invalid input')?.focus();
      return;
    }
    if (action.kind === "other") return;
    const row = region.querySelector(`.set-row[data-number="${CSS.escape(action.number)}"]`);
    if (action.kind === "set") {
      row?.querySelector(".set-done")?.focus();
      announce(`Set ${action.number} of ${action.name} saved.${restWords(Number(region.dataset.rest || 0))}`);
    } else if (action.kind === "undo") {
      (row?.querySelector(".done-button") || row?.querySelector("summary"))?.focus();
      announce(`Set ${action.number} of ${action.name} undone.`);
    } else {
      region.querySelector("h2")?.focus();
      announce(`Swapped: ${region.dataset.name} instead of ${action.name}, from this day on.`);
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
