// beamlet dashboard: process detail. Its call latencies (queued, handling, round trip), its load
// (busy time, long callbacks), every other field of GET processes/:id, its state (GET
// processes/:id/state, when /overview's `inspection.state` is on) and the actions /overview's
// `mutations` enable (kill, suspend / resume, restart a supervisor's child), each behind a
// two-step confirmation. Concatenated by scripts/build_dashboard.ts, in file-name order, into
// one strict-mode function scope shared by every file of dashboard/app/.

/** Detail loads (every DETAIL_EVERY_TICKS ticks) between reads of /overview's switches. */
const DETAIL_CAPS_EVERY_LOADS = 10;
/** Detail loads between reads of the state preview. */
const DETAIL_STATE_EVERY_LOADS = 3;
/** Detail loads between reads of the tree (a supervisor's children). */
const DETAIL_TREE_EVERY_LOADS = 3;
/** An armed confirmation falls back after this long. */
const CONFIRM_TIMEOUT_MS = 15_000;
/** The most of a state preview shown (the server bounds it already; this guards the page). */
const STATE_MAX_CHARS = 65_536;
const PAST_TENSE = {
  kill: "killed",
  suspend: "suspended",
  resume: "resumed",
  restart: "restarted",
};

/** The extras of the process shown: its switches, children, state and actions. */
const detailView = {
  id: undefined, // the process the extras below are built for
  loads: 0, // detail loads since they were built
  caps: null, // { kill, suspend, restart, state } from /overview, null until read
  capsBusy: undefined, // the process a read is running for
  stateBusy: undefined, // the process a read is running for
  treeBusy: undefined, // the process a read is running for
  status: undefined, // the process's last status
  childrenJson: "", // the children last rendered
  isSupervisor: false,
  armed: new Set(), // confirmations waiting for their second click
};

function words(key) {
  return String(key).replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

function renderValue(key, value, depth) {
  if (value === null || value === undefined) return el("span", { className: "meta", text: "–" });
  if (typeof value === "number") {
    if (/bytes$/i.test(key)) return el("span", { text: fmtBytes(value) });
    if (/ms$/i.test(key)) return el("span", { text: fmtMs(value) });
    return el("span", {
      text: fmtInt(value) === "–" ? String(value) : value.toLocaleString("en-US"),
    });
  }
  if (typeof value === "string") {
    const id = pidToId(value);
    return id !== undefined
      ? processLink(id, value, "detail-link")
      : el("span", { text: truncate(value, 500) });
  }
  if (typeof value === "boolean") return el("span", { text: value ? "yes" : "no" });
  if (Array.isArray(value)) {
    if (value.length === 0) return el("span", { className: "meta", text: "none" });
    const list = el("ul", { className: "values" });
    for (const item of value.slice(0, 200)) {
      list.append(el("li", null, renderValue(key, item, depth + 1)));
    }
    if (value.length > 200) {
      list.append(el("li", { className: "meta", text: `… ${value.length - 200} more` }));
    }
    return list;
  }
  if (typeof value === "object" && depth < 4) return renderFields(value, depth + 1);
  return el("span", { text: truncate(JSON.stringify(value) ?? String(value), 500) });
}

function renderFields(object, depth) {
  const entries = Object.entries(object);
  if (entries.length === 0) return el("p", { className: "meta", text: "–" });
  const dl = el("dl", { className: "fields" });
  for (const [key, value] of entries) {
    // A number's unit is in its formatted value: "uptimeMs" reads "uptime".
    const label = typeof value === "number" ? words(key).replace(/ (ms|bytes)$/, "") : words(key);
    dl.append(el("dt", { text: label }), el("dd", null, renderValue(key, value, depth)));
  }
  return dl;
}

const LATENCY_ROWS = [
  ["queued", "queued", "waited in this server's mailbox, from the call's arrival to handleCall"],
  ["handling", "handling", "from handleCall starting to its reply (a deferred reply included)"],
  [
    "roundTrip",
    "round trip",
    "what the caller waited: from call() to its reply (queued + handling + delivery)",
  ],
];

/** The server's three call latencies, each labelled with what it measures. */
function renderLatency(latency) {
  const section = el(
    "section",
    { className: "panel detail-latency", testid: "detail-latency" },
    el("h3", { text: "call latency (ms)" }),
  );
  const known = latency && typeof latency === "object";
  const table = el("table", { className: "latency-table" });
  const head = el("tr", null, el("th", { text: "" }));
  for (const c of ["p50", "p95", "p99", "max", "calls"]) {
    head.append(el("th", { className: "num", text: c }));
  }
  table.append(head);
  let any = false;
  for (const [key, label, meaning] of LATENCY_ROWS) {
    const s = known ? latency[key] : null;
    const row = el("tr", { testid: `latency-${key}` });
    row.append(el("th", { className: "latency-label", text: label, title: meaning }));
    const ok = s && typeof s === "object";
    if (ok) any = true;
    for (const q of ["p50", "p95", "p99", "max"]) {
      row.append(el("td", { className: "num", text: ok ? fmtPlainMs(s[q]) : "–" }));
    }
    row.append(el("td", { className: "num", text: ok ? fmtInt(s.count) : "–" }));
    if (ok && isNum(s.count)) row.setAttribute("data-count", String(s.count));
    table.append(row);
  }
  section.append(el("div", { className: "scroll" }, table));
  const meanings = el("dl", { className: "fields latency-meanings" });
  for (const [, label, meaning] of LATENCY_ROWS) {
    meanings.append(el("dt", { text: label }), el("dd", { className: "meta", text: meaning }));
  }
  section.append(meanings);
  if (!known) {
    section.append(
      el("p", { className: "meta", text: "this server does not report call latency" }),
    );
  } else if (!any) {
    section.append(el("p", { className: "meta", text: "no calls answered yet" }));
  }
  return section;
}

/** Busy time, long callbacks and reductions, with what they mean; other work fields as they are. */
function renderLoad(work) {
  const w = work && typeof work === "object" ? work : {};
  const section = el(
    "section",
    { className: "panel detail-load", testid: "detail-load" },
    el("h3", { text: "load" }),
  );
  const dl = el("dl", { className: "fields" });
  const add = (label, text, hint, testid, raw) => {
    const dd = el("dd", { testid }, el("span", { text }));
    if (hint) dd.append(" ", el("small", { className: "meta", text: hint }));
    if (isNum(raw)) dd.setAttribute("data-value", String(raw));
    dl.append(el("dt", { text: label }), dd);
  };
  add(
    "busy time",
    isNum(w.busyMs) ? fmtMs(w.busyMs) : "–",
    isNum(w.busyMs) ? "time spent in its callbacks" : "not reported by this server",
    "detail-busy",
    w.busyMs,
  );
  add(
    "long callbacks",
    isNum(w.longCallbacks) ? fmtInt(w.longCallbacks) : "–",
    isNum(w.longCallbacks)
      ? "callbacks over the system monitor's threshold (1 ms by default)"
      : "not reported by this server",
    "detail-long-callbacks",
    w.longCallbacks,
  );
  add("reductions", fmtInt(w.reductions), "messages handled", "detail-reductions", w.reductions);
  section.append(dl);
  const rest = Object.fromEntries(
    Object.entries(w).filter(([k]) => !["busyMs", "longCallbacks", "reductions"].includes(k)),
  );
  if (Object.keys(rest).length > 0) section.append(renderFields(rest, 1));
  return section;
}

function detailLabel(info, meta) {
  const label = typeof info.label === "string" && info.label
    ? info.label
    : typeof meta.label === "string" && meta.label
    ? meta.label
    : meta.name;
  return label ? `${label} ${meta.pid ?? ""}` : `process ${meta.pid ?? state.detailId}`;
}

function renderDetail(info) {
  const meta = info && typeof info.meta === "object" && info.meta ? info.meta : {};
  setText($("detail-title"), detailLabel(info || {}, meta));
  const body = $("detail-body");
  const sections = [];
  const entries = Object.entries(info || {});
  // Top-level scalars (the route id, ...) go together in a first card.
  const scalars = entries.filter(([, value]) => value === null || typeof value !== "object");
  if (scalars.length > 0) {
    const section = el("section", { className: "panel" }, el("h3", { text: "process" }));
    section.append(renderFields(Object.fromEntries(scalars), 0));
    sections.push(section);
  }
  sections.push(
    renderLatency(info ? info.latency : undefined),
    renderLoad(info ? info.work : undefined),
  );
  for (const [group, value] of entries) {
    if (value === null || typeof value !== "object" || group === "latency" || group === "work") {
      continue;
    }
    const section = el("section", { className: "panel" }, el("h3", { text: words(group) }));
    section.append(
      value && typeof value === "object" && !Array.isArray(value)
        ? renderFields(value, 0)
        : renderValue(group, value, 0),
    );
    sections.push(section);
  }
  body.replaceChildren(...sections);
}

async function loadDetail() {
  const id = state.detailId;
  if (id === undefined || state.detailBusy) return;
  // The router empties the body on every navigation: the extras start again too.
  if (detailView.id !== id || $("detail-body").childElementCount === 0) buildDetailExtras(id);
  state.detailBusy = true;
  const notice = $("detail-notice");
  const loads = ++detailView.loads;
  try {
    const info = await getJson(`processes/${encodeURIComponent(id)}`);
    if (state.detailId !== id) return;
    notice.hidden = true;
    renderDetail(info);
    updateDetailExtras(id, info, loads);
  } catch (error) {
    if (state.detailId !== id) return;
    notice.hidden = false;
    if (error instanceof HttpError && error.status === 404) {
      setText(notice, "This process is not alive (it exited, or never existed).");
      markDetailGone();
      // Something in the body, so the next load knows this is no new navigation.
      const body = $("detail-body");
      if (body.childElementCount === 0) body.append(el("p", { className: "meta", text: "–" }));
    } else {
      setText(
        notice,
        `Cannot load the process: ${error && error.message ? error.message : error}`,
      );
    }
  } finally {
    state.detailBusy = false;
  }
}

// ---- extras: switches, actions, children, state -------------------------------------------

function buildDetailExtras(id) {
  for (const disarm of detailView.armed) disarm();
  detailView.armed.clear();
  detailView.id = id;
  detailView.loads = 0;
  detailView.caps = null; // read again, and applied to the new extras
  detailView.status = undefined;
  detailView.childrenJson = "";
  detailView.isSupervisor = false;
  const actions = el(
    "section",
    { className: "panel detail-actions", testid: "detail-actions" },
    el("h3", { text: "actions" }),
    el("div", { className: "action-row", testid: "action-buttons" }),
    el("p", { className: "meta action-hint", text: "each action asks for a second click" }),
    el("div", { className: "detail-children", testid: "detail-children" }),
    el("p", { className: "action-result", testid: "action-result" }),
  );
  actions.id = "detail-actions";
  actions.hidden = true;
  const stateRefresh = el("button", {
    className: "small",
    text: "refresh",
    testid: "state-refresh",
  });
  stateRefresh.type = "button";
  stateRefresh.addEventListener("click", () => loadDetailState(id));
  const preview = el(
    "section",
    { className: "panel detail-state", testid: "detail-state" },
    el("div", { className: "panel-head" }, el("h3", { text: "state" }), stateRefresh),
    el("p", { className: "meta state-note", testid: "state-note" }),
    el("p", { className: "state-error", testid: "state-error" }),
    el("pre", { className: "state-text", testid: "process-state" }),
    el("p", { className: "meta state-truncated", testid: "state-truncated" }),
  );
  preview.id = "detail-state";
  preview.hidden = true;
  for (const node of preview.querySelectorAll("p, pre")) node.hidden = true;
  $("detail-extras").replaceChildren(actions, preview);
  $("detail-extras").removeAttribute("data-caps");
  loadDetailCaps(id);
}

/** Reads which actions and views /overview says are enabled. */
async function loadDetailCaps(id) {
  if (detailView.capsBusy === id) return; // a read for another process may still run
  detailView.capsBusy = id;
  try {
    const o = await getJson("overview");
    if (detailView.id !== id) return;
    const m = o && typeof o.mutations === "object" && o.mutations ? o.mutations : {};
    const i = o && typeof o.inspection === "object" && o.inspection ? o.inspection : {};
    const caps = {
      kill: m.kill === true,
      suspend: m.suspend === true,
      restart: m.restart === true,
      state: i.state === true,
    };
    const before = JSON.stringify(detailView.caps);
    detailView.caps = caps;
    $("detail-extras").setAttribute(
      "data-caps",
      Object.keys(caps).filter((k) => caps[k]).join(" "),
    );
    if (before !== JSON.stringify(caps)) applyDetailCaps(id);
  } catch {
    // the overview's own poll reports the failure in the header
  } finally {
    if (detailView.capsBusy === id) detailView.capsBusy = undefined;
  }
}

function applyDetailCaps(id) {
  const caps = detailView.caps;
  const actions = $("detail-actions");
  const preview = $("detail-state");
  if (!caps || !actions || !preview) return;
  preview.hidden = !caps.state;
  if (caps.state) loadDetailState(id);
  const row = actions.querySelector("[data-testid=action-buttons]");
  const buttons = [];
  if (caps.kill) {
    buttons.push(confirmButton("kill", "kill", "action-kill", () => runAction(id, "kill", "kill")));
  }
  if (caps.suspend) {
    buttons.push(
      confirmButton(
        "suspend",
        "suspend",
        "action-suspend",
        () => runAction(id, "suspend", "suspend"),
      ),
      confirmButton("resume", "resume", "action-resume", () => runAction(id, "resume", "resume")),
    );
  }
  row.replaceChildren(...buttons);
  actions.hidden = !(caps.kill || caps.suspend || caps.restart);
  detailView.childrenJson = "";
  showSuspendOrResume();
  if (caps.restart) loadDetailChildren(id);
}

function updateDetailExtras(id, info, loads) {
  if (detailView.id !== id) return;
  const meta = info && typeof info.meta === "object" && info.meta ? info.meta : {};
  detailView.status = meta.status;
  showSuspendOrResume();
  if (loads % DETAIL_CAPS_EVERY_LOADS === 0) loadDetailCaps(id);
  const caps = detailView.caps;
  if (!caps) return;
  if (caps.state && loads % DETAIL_STATE_EVERY_LOADS === 0) loadDetailState(id);
  if (caps.restart && loads % DETAIL_TREE_EVERY_LOADS === 0) loadDetailChildren(id);
}

function markDetailGone() {
  const row = document.querySelector("#detail-actions [data-testid=action-buttons]");
  if (row) {
    for (const button of row.querySelectorAll("button")) button.disabled = true;
  }
}

/** Shows "suspend" for a running process and "resume" for a suspended one (both when unknown). */
function showSuspendOrResume() {
  const suspend = document.querySelector("#detail-actions [data-action=suspend]");
  const resume = document.querySelector("#detail-actions [data-action=resume]");
  if (!suspend || !resume) return;
  if (suspend.getAttribute("data-armed") || resume.getAttribute("data-armed")) return;
  const status = detailView.status;
  suspend.hidden = status === "suspended";
  resume.hidden = status !== undefined && status !== "suspended";
}

/**
 * A button that asks twice: the first click turns it into "confirm <verb>?" beside a
 * "cancel"; only the second click runs `run`.
 */
function confirmButton(label, verb, testid, run) {
  const wrap = el("span", { className: "confirm" });
  wrap.setAttribute("data-action", testid.replace(/^action-/, ""));
  const button = el("button", { className: "small action", text: label, testid });
  button.type = "button";
  const cancel = el("button", { className: "small", text: "cancel", testid: "action-cancel" });
  cancel.type = "button";
  cancel.hidden = true;
  let timer;
  const disarm = () => {
    clearTimeout(timer);
    detailView.armed.delete(disarm);
    wrap.removeAttribute("data-armed");
    button.classList.remove("armed");
    setText(button, label);
    cancel.hidden = true;
  };
  button.addEventListener("click", async () => {
    if (!wrap.getAttribute("data-armed")) {
      wrap.setAttribute("data-armed", "true");
      button.classList.add("armed");
      setText(button, `confirm ${verb}?`);
      cancel.hidden = false;
      detailView.armed.add(disarm);
      timer = setTimeout(disarm, CONFIRM_TIMEOUT_MS);
      return;
    }
    disarm();
    button.disabled = true;
    try {
      await run();
    } finally {
      button.disabled = false;
    }
  });
  cancel.addEventListener("click", disarm);
  wrap.append(button, cancel);
  return wrap;
}

async function postJson(url) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    cache: "no-store",
    headers: { accept: "application/json" },
  });
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: the status says it
  }
  if (!response.ok) {
    const message = body && typeof body.error === "string" ? body.error : response.statusText;
    throw new HttpError(response.status, message);
  }
  return body;
}

function actionResult(text, ok) {
  const result = document.querySelector("#detail-actions [data-testid=action-result]");
  if (!result) return;
  result.className = `action-result ${ok ? "action-ok" : "action-error"}`;
  result.setAttribute("data-ok", String(ok));
  setText(result, text);
}

/** POSTs one action and says what came of it. */
async function runAction(id, action, path, what) {
  const url = `processes/${encodeURIComponent(id)}/${path}`;
  try {
    const answer = await postJson(url);
    if (detailView.id !== id) return;
    const a = answer && typeof answer === "object" ? answer : {};
    const done = PAST_TENSE[action] ?? action;
    const target = what ? `${what} of ${a.pid ?? id}` : (a.pid ?? id);
    const by = typeof a.by === "string" && a.by ? ` (as ${a.by})` : "";
    actionResult(`${done} ${target}${by}`, true);
  } catch (error) {
    if (detailView.id !== id) return;
    const status = error instanceof HttpError ? ` (${error.status})` : "";
    const message = error && error.message ? error.message : String(error);
    actionResult(`${action} refused${status}: ${message}`, false);
  }
  if (action === "restart") loadDetailChildren(id);
  loadDetail();
}

/** A supervisor's children, from the supervision tree, each with a restart button. */
async function loadDetailChildren(id) {
  if (detailView.treeBusy === id) return; // a read for another process may still run
  detailView.treeBusy = id;
  try {
    const tree = await getJson("tree");
    if (detailView.id !== id) return;
    const roots = tree && Array.isArray(tree.roots) ? tree.roots : [];
    renderDetailChildren(id, findTreeNode(roots, id, 0), tree && tree.truncated === true);
  } catch (error) {
    if (detailView.id !== id) return;
    const host = document.querySelector("#detail-actions [data-testid=detail-children]");
    if (host) {
      host.replaceChildren(el("p", {
        className: "meta",
        text: `cannot read the supervision tree: ${error && error.message ? error.message : error}`,
      }));
    }
    detailView.childrenJson = "";
  } finally {
    if (detailView.treeBusy === id) detailView.treeBusy = undefined;
  }
}

function findTreeNode(nodes, id, depth) {
  if (!Array.isArray(nodes) || depth > 64) return undefined;
  for (const node of nodes) {
    if (!node || typeof node !== "object") continue;
    if (node.processId === id || (node.pid && pidToId(node.pid) === id)) return node;
    const found = findTreeNode(node.children, id, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function renderDetailChildren(id, node, treeTruncated) {
  const host = document.querySelector("#detail-actions [data-testid=detail-children]");
  if (!host) return;
  const supervisor = node && node.type === "supervisor";
  // A dynamic supervisor forgets a child once stopped: nothing to restart there.
  const restartable = supervisor && (node.kind === undefined || node.kind === "supervisor");
  detailView.isSupervisor = !!supervisor;
  const children = supervisor && Array.isArray(node.children) ? node.children : [];
  const json = JSON.stringify(
    supervisor
      ? children.map((c) => [c.id, c.pid, c.restart])
      : [node === undefined, treeTruncated],
  );
  if (json === detailView.childrenJson) return;
  // Never pull a waiting confirmation from under the user.
  if (host.querySelector("[data-armed]")) return;
  detailView.childrenJson = json;
  if (!supervisor) {
    host.replaceChildren(
      ...(node === undefined && treeTruncated
        ? [el("p", {
          className: "meta",
          text: "not in the supervision tree as served (it is cut at its node cap)",
        })]
        : []),
    );
    return;
  }
  const list = el("ul", { className: "children" });
  for (const child of children) {
    if (!child || typeof child !== "object") continue;
    const childId = typeof child.id === "string" ? child.id : null;
    const item = el("li", { testid: "detail-child" });
    if (childId !== null) item.setAttribute("data-child", childId);
    item.append(el("span", { className: "child-id", text: childId ?? child.name ?? "(no id)" }));
    const pidId = child.processId ?? pidToId(child.pid);
    if (child.pid) item.append(" ", processLink(pidId, child.pid, "child-link"));
    else item.append(" ", el("span", { className: "meta", text: "not running" }));
    const facts = [child.type, child.restart].filter((f) => typeof f === "string" && f);
    if (facts.length) item.append(" ", el("span", { className: "meta", text: facts.join(" · ") }));
    if (childId !== null && restartable && child.restart !== "temporary") {
      item.append(
        " ",
        confirmButton(
          "restart",
          `restart ${truncate(childId, 40)}`,
          "action-restart",
          () =>
            runAction(
              id,
              "restart",
              `children/${encodeURIComponent(childId)}/restart`,
              `child ${childId}`,
            ),
        ),
      );
    } else if (child.restart === "temporary") {
      item.append(" ", el("span", { className: "meta", text: "(temporary: not restarted)" }));
    }
    list.append(item);
  }
  const parts = [el("h4", { text: "children" }), list];
  if (node.omittedChildren > 0) {
    parts.push(
      el("p", { className: "meta", text: `… ${fmtInt(node.omittedChildren)} more children` }),
    );
  }
  if (children.length === 0) parts.push(el("p", { className: "meta", text: "no children" }));
  host.replaceChildren(...parts);
}

/** GET processes/:id/state: the StatePreview, shown as text only. */
async function loadDetailState(id) {
  if (detailView.stateBusy === id) return; // a read for another process may still run
  detailView.stateBusy = id;
  const preview = $("detail-state");
  const part = (testid) => preview && preview.querySelector(`[data-testid=${testid}]`);
  try {
    const p = await getJson(`processes/${encodeURIComponent(id)}/state`);
    if (detailView.id !== id || !preview) return;
    const s = p && typeof p === "object" ? p : {};
    const note = part("state-note");
    note.hidden = false;
    setText(
      note,
      s.formatted === true
        ? "formatted by formatStatus: what the server chose to show (secrets are its to redact)"
        : "a bounded preview of the raw state (the server defines no formatStatus)",
    );
    note.setAttribute("data-formatted", String(s.formatted === true));
    const error = part("state-error");
    error.hidden = !(typeof s.error === "string" && s.error);
    setText(error, error.hidden ? "" : `formatStatus failed: ${s.error}`);
    const text = part("process-state");
    text.hidden = false;
    // textContent only: whatever the state holds is shown, never parsed.
    const shown = typeof s.text === "string" ? s.text : JSON.stringify(s.text ?? null);
    setText(text, truncate(shown, STATE_MAX_CHARS));
    const truncated = part("state-truncated");
    const cut = s.truncated === true || shown.length > STATE_MAX_CHARS;
    truncated.hidden = !cut;
    setText(truncated, cut ? "… truncated: the preview is bounded" : "");
  } catch (error) {
    if (detailView.id !== id || !preview) return;
    const box = part("state-error");
    box.hidden = false;
    if (error instanceof HttpError && error.status === 403) {
      setText(box, `state inspection is disabled on this server: ${error.message}`);
    } else if (error instanceof HttpError && error.status === 404) {
      setText(box, "no state: the process is not alive");
    } else {
      setText(box, `cannot read the state: ${error && error.message ? error.message : error}`);
    }
    part("process-state").hidden = true;
    part("state-note").hidden = true;
    part("state-truncated").hidden = true;
  } finally {
    if (detailView.stateBusy === id) detailView.stateBusy = undefined;
  }
}
