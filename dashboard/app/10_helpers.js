// beamlet dashboard: helpers. Concatenated by scripts/build_dashboard.ts, in file-name order,
// into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

const $ = (id) => document.getElementById(id);

/**
 * Creates an element; `props` may hold className, text, href, title and
 * testid; children are nodes or strings (added as text).
 */
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  if (props) {
    if (props.className) node.className = props.className;
    if (props.text !== undefined) node.textContent = String(props.text);
    if (props.href !== undefined) node.setAttribute("href", props.href);
    if (props.title !== undefined) node.title = String(props.title);
    if (props.testid !== undefined) node.setAttribute("data-testid", props.testid);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** Sets an element's text (and its raw value for tests) only when it changed. */
function setText(node, text, raw) {
  if (!node) return;
  const value = String(text);
  if (node.textContent !== value) node.textContent = value;
  if (raw !== undefined) node.setAttribute("data-value", String(raw));
}

/** The class for a value from a fixed list, or a neutral one. */
function pick(value, allowed, prefix) {
  return allowed.includes(value) ? `${prefix}${value}` : `${prefix}other`;
}

const isNum = (v) => typeof v === "number" && Number.isFinite(v);

function fmtInt(v) {
  return isNum(v) ? Math.round(v).toLocaleString("en-US") : "–";
}

function fmtRate(v) {
  if (!isNum(v)) return "–";
  return v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString("en-US");
}

function fmtMs(v) {
  if (!isNum(v)) return "–";
  if (v === 0) return "0 ms";
  if (v < 1) return `${v.toFixed(2)} ms`;
  if (v < 100) return `${v.toFixed(1)} ms`;
  if (v < 10_000) return `${Math.round(v)} ms`;
  if (v < 120_000) return `${(v / 1000).toFixed(1)} s`;
  return fmtDuration(v);
}

function fmtPlainMs(v) {
  if (!isNum(v)) return "–";
  return v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString("en-US");
}

function fmtBytes(v) {
  if (!isNum(v)) return "–";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let n = v;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${n.toFixed(n < 10 ? 1 : 0)} ${units[i]}`;
}

function fmtDuration(ms) {
  if (!isNum(ms)) return "–";
  let s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return `${d}d ${h}h ${m}m`;
  if (h > 0) return `${h}h ${m}m ${s}s`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

function fmtClock(ms) {
  if (!isNum(ms)) return "–";
  // Epoch times become wall-clock times; small ones (a virtual clock) stay relative.
  if (ms < 1e11) return `t+${fmtDuration(ms)}`;
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function fmtShort(v) {
  if (!isNum(v)) return "";
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  return `${+v.toFixed(2)}`;
}

/** `"#PID<node.12.0>"` (or `"<node.12>"`) → `"12"` (the id the routes take), else undefined. */
function pidToId(pid) {
  const match = typeof pid === "string"
    ? /^(?:#PID)?<[A-Za-z0-9_@-]{1,64}\.(\d+)(?:\.\d+)?>$/.exec(pid)
    : null;
  return match ? match[1] : undefined;
}

function processHref(id) {
  return `#/processes/${encodeURIComponent(id)}`;
}

/** A link to a process by id, or plain text when there is none. */
function processLink(id, text, testid) {
  if (id === undefined || id === null || id === "") return el("span", { text });
  return el("a", { href: processHref(String(id)), text, testid });
}

function truncate(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.name = "HttpError";
    this.status = status;
  }
}

async function getJson(url) {
  const response = await fetch(url, {
    credentials: "same-origin",
    cache: "no-store",
    headers: { accept: "application/json" },
  });
  if (!response.ok) {
    let message = response.statusText;
    try {
      const body = await response.json();
      if (body && typeof body.error === "string") message = body.error;
    } catch {
      // not JSON: keep the status text
    }
    throw new HttpError(response.status, message);
  }
  return response.json();
}
