// beamlet dashboard: events (SSE). Concatenated by scripts/build_dashboard.ts, in file-name order,
// into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars
//
// Two things keep the panel readable: a prefix filter (the input `events-filter`: lines whose
// event name does not start with it are hidden, and come back when it is cleared), and a rate
// limit per event name: at most EVENTS_PER_NAME_PER_S lines per name per second, the rest
// counted in one folded line "… N more <name>" that keeps counting (and moves to the top)
// until the name has been quiet for FOLD_QUIET_MS.

/** Event name → { second, shown, fold: { line, count, last } | undefined }. */
const eventRates = new Map();
let eventFilter = "";
/** A prefix the server streams besides EVENT_PREFIXES (the filter, on Enter), or "". */
let streamedPrefix = "";
const PREFIX_PATTERN = /^[A-Za-z0-9_-]{1,64}(?:\.[A-Za-z0-9_-]{1,64}){0,15}$/;

function summarize(object) {
  if (!object || typeof object !== "object") return "";
  const parts = [];
  for (const [key, value] of Object.entries(object)) {
    if (SKIPPED_FIELDS.includes(key)) continue;
    let text;
    if (value === null || value === undefined) text = "–";
    else if (typeof value === "number") {
      text = Number.isInteger(value) ? String(value) : String(+value.toFixed(3));
    } else if (typeof value === "object") {
      text = typeof value.message === "string"
        ? `${value.name ?? "Error"}: ${value.message}`
        : JSON.stringify(value);
    } else if (typeof value === "string" && pidToId(value) !== undefined) {
      text = pidWithLabel(value); // a pid: its name or child id first, when known
    } else text = String(value);
    parts.push(`${key}=${truncate(text, 120)}`);
  }
  return parts.join(" ");
}

function eventClass(name, metadata) {
  if (name.startsWith("beamlet.slo")) return "ev-slo";
  if (name.startsWith("beamlet.supervisor")) return "ev-supervisor";
  if (name.startsWith("beamlet.monitor")) return "ev-monitor";
  if (name.startsWith("beamlet.process.exit")) {
    const reason = metadata && metadata.reason;
    return reason === "normal" || reason === "shutdown" ? "ev-exit" : "ev-crash";
  }
  return "ev-other";
}

/** Whether a line of event `name` passes the filter. */
function eventShown(name) {
  return eventFilter === "" || name.startsWith(eventFilter);
}

function placeLine(line, name) {
  const list = $("events");
  if (!list) return;
  const placeholder = list.querySelector(".placeholder");
  if (placeholder) placeholder.remove();
  line.setAttribute("data-name", name);
  line.hidden = !eventShown(name);
  list.prepend(line);
  while (list.children.length > MAX_EVENTS) {
    const last = list.lastElementChild;
    for (const rate of eventRates.values()) {
      if (rate.fold && rate.fold.line === last) rate.fold = undefined;
    }
    last.remove();
  }
}

function addEventLine(className, name, detail) {
  const line = el(
    "li",
    { className },
    el("span", { className: "time", text: fmtClock(Date.now()) }),
    el("span", { className: "ev-name", text: name }),
    el("span", { className: "ev-detail", text: truncate(detail, 600) }),
  );
  placeLine(line, name);
}

/**
 * Adds a line for an event of `name`, unless that name already had its lines this second:
 * then it is counted in the name's folded line. `detail` is made only when shown.
 */
function addRateLimitedEvent(className, name, detail) {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  // Crashes and clean exits share a name but not a fate: each is limited on its own.
  const key = `${name}|${className}`;
  let rate = eventRates.get(key);
  if (rate === undefined) {
    if (eventRates.size >= 1000) eventRates.clear(); // a bound, not a policy
    rate = { second, shown: 0, fold: undefined };
    eventRates.set(key, rate);
  }
  if (rate.second !== second) {
    rate.second = second;
    rate.shown = 0;
  }
  if (rate.fold && now - rate.fold.last > FOLD_QUIET_MS) rate.fold = undefined;
  if (rate.fold === undefined && rate.shown < EVENTS_PER_NAME_PER_S) {
    rate.shown++;
    addEventLine(className, name, detail());
    return;
  }
  // Over the limit, or still flooding since it was: the folded line counts it.
  let fold = rate.fold;
  if (fold === undefined) {
    const countNode = el("span", { className: "ev-fold-count" });
    const line = el(
      "li",
      { className: "ev ev-folded", testid: "events-folded" },
      el("span", { className: "time" }),
      el("span", { className: "ev-name" }, "… ", countNode, " more"),
      el("span", { className: "ev-detail", text: name }),
    );
    fold = rate.fold = { line, count: 0, last: now, countNode };
  }
  fold.count++;
  fold.last = now;
  setText(fold.countNode, fmtInt(fold.count));
  fold.line.setAttribute("data-count", String(fold.count));
  setText(fold.line.querySelector(".time"), fmtClock(now));
  const list = $("events");
  if (list && list.firstElementChild !== fold.line) placeLine(fold.line, name);
}

/** Empties the panel and forgets the folds. */
function clearEvents() {
  eventRates.clear();
  const list = $("events");
  if (list) list.replaceChildren();
}

function applyEventFilter() {
  const list = $("events");
  if (!list) return;
  for (const line of list.children) {
    const name = line.getAttribute("data-name");
    if (name !== null) line.hidden = !eventShown(name);
  }
}

/**
 * On Enter, a prefix the default stream does not cover (`beamlet.call`) is streamed too: the
 * server's `/events?prefix=` does the selecting. Clearing the filter goes back to the defaults.
 */
function streamFilterPrefix() {
  const wanted = PREFIX_PATTERN.test(eventFilter) &&
      !EVENT_PREFIXES.some((p) => eventFilter === p || eventFilter.startsWith(`${p}.`))
    ? eventFilter
    : "";
  if (wanted === streamedPrefix || (wanted === "" && eventFilter !== "")) return;
  streamedPrefix = wanted;
  if (state.events) state.events.close();
  state.events = undefined;
  startEvents();
}

function setupEventFilter() {
  const input = $("events-filter");
  if (!input) return;
  input.addEventListener("input", () => {
    eventFilter = input.value.trim();
    applyEventFilter();
    if (eventFilter === "" && streamedPrefix !== "") streamFilterPrefix();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") streamFilterPrefix();
  });
}

function startEvents() {
  if (typeof EventSource !== "function") {
    setText($("events-state"), "not supported by this browser");
    return;
  }
  const prefixes = streamedPrefix === "" ? EVENT_PREFIXES : [...EVENT_PREFIXES, streamedPrefix];
  const url = `events?${prefixes.map((p) => `prefix=${encodeURIComponent(p)}`).join("&")}`;
  const source = new EventSource(url);
  state.events = source;
  setText($("events-state"), "connecting");
  source.addEventListener("open", () => {
    setText($("events-state"), streamedPrefix === "" ? "live" : `live, + ${streamedPrefix}`);
  });
  source.addEventListener("error", () => {
    if (source.readyState === EventSource.CLOSED) {
      // The server refused the stream (401, 503 when too many clients, ...): retry later.
      setText($("events-state"), "disconnected, retrying");
      source.close();
      if (state.events === source) {
        state.events = undefined;
        setTimeout(startEvents, EVENTS_RETRY_MS);
      }
    } else {
      setText($("events-state"), "reconnecting");
    }
  });
  source.addEventListener("telemetry", (message) => {
    let data;
    try {
      data = JSON.parse(message.data);
    } catch {
      return;
    }
    if (!data || typeof data !== "object") return;
    const name = Array.isArray(data.event) ? data.event.map(String).join(".") : "event";
    addRateLimitedEvent(
      `ev ${eventClass(name, data.metadata)}`,
      name,
      () => [summarize(data.metadata), summarize(data.measurements)].filter(Boolean).join("  "),
    );
  });
  source.addEventListener("gap", (message) => {
    let dropped = "some";
    try {
      const data = JSON.parse(message.data);
      if (data && isNum(data.dropped)) dropped = fmtInt(data.dropped);
    } catch {
      // keep "some"
    }
    addEventLine("ev ev-gap", "gap", `${dropped} events dropped (the stream fell behind)`);
  });
}
