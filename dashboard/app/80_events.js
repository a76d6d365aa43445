// beamlet dashboard: events (SSE). Concatenated by scripts/build_dashboard.ts, in file-name order,
// into one strict-mode function scope shared by every file of dashboard/app/.

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
    } else text = String(value);
    parts.push(`${key}=${truncate(text, 120)}`);
  }
  return parts.join(" ");
}

function eventClass(name, metadata) {
  if (name.startsWith("beamlet.slo")) return "ev-slo";
  if (name.startsWith("beamlet.supervisor")) return "ev-supervisor";
  if (name.startsWith("beamlet.process.exit")) {
    const reason = metadata && metadata.reason;
    return reason === "normal" || reason === "shutdown" ? "ev-exit" : "ev-crash";
  }
  return "ev-other";
}

function addEventLine(className, name, detail) {
  const list = $("events");
  if (!list) return;
  const placeholder = list.querySelector(".placeholder");
  if (placeholder) placeholder.remove();
  const line = el(
    "li",
    { className },
    el("span", { className: "time", text: fmtClock(Date.now()) }),
    el("span", { className: "ev-name", text: name }),
    el("span", { className: "ev-detail", text: truncate(detail, 600) }),
  );
  list.prepend(line);
  while (list.children.length > MAX_EVENTS) list.lastElementChild.remove();
}

function startEvents() {
  if (typeof EventSource !== "function") {
    setText($("events-state"), "not supported by this browser");
    return;
  }
  const url = `events?${EVENT_PREFIXES.map((p) => `prefix=${encodeURIComponent(p)}`).join("&")}`;
  const source = new EventSource(url);
  state.events = source;
  setText($("events-state"), "connecting");
  source.addEventListener("open", () => setText($("events-state"), "live"));
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
    const detail = [summarize(data.metadata), summarize(data.measurements)].filter(Boolean).join(
      "  ",
    );
    addEventLine(`ev ${eventClass(name, data.metadata)}`, name, detail);
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
