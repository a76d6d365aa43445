// beamlet live dashboard: plain JavaScript, no framework, no build step besides
// concatenation after uPlot (which defines the global `uPlot`).
//
// Safety rules kept throughout: every value that comes from the server reaches
// the DOM through textContent / createElement (never through an HTML parser),
// only classes from fixed lists are derived from data, and every URL is
// relative to the page (served at `<base>/dashboard`, so `overview` means
// `<base>/overview`).
(() => {
  "use strict";

  const POLL_MS = 1000;
  const MAX_POINTS = 300;
  const MAX_EVENTS = 100;
  const PAGE_SIZE = 50;
  const PROCESS_EVERY_TICKS = 2;
  const TREE_EVERY_TICKS = 10;
  const TABLES_EVERY_TICKS = 2;
  const PIPELINES_EVERY_TICKS = 2;
  const DETAIL_EVERY_TICKS = 2;
  const EVENTS_RETRY_MS = 5000;
  const EVENT_PREFIXES = ["beamlet.slo", "beamlet.supervisor", "beamlet.process.exit"];
  const SORTS = ["messageQueueLength", "reductions", "memoryBytes", "oldestMessageAgeMs"];
  const STATUSES = ["running", "runnable", "waiting", "suspended", "exiting"];
  const SLO_STATES = ["ok", "breached", "no_data"];
  const TABLE_ACCESS = ["public", "protected", "private"];
  const PIPELINE_STATES = ["running", "draining", "stopped"];
  /** Event fields too noisy for the log (timestamps every event carries). */
  const SKIPPED_FIELDS = ["monotonic_time", "monotonicTime", "system_time", "systemTime"];

  // ---------------------------------------------------------------- helpers

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

  // ---------------------------------------------------------------- state

  const state = {
    paused: false,
    tick: 0,
    overviewBusy: false,
    processesBusy: false,
    treeBusy: false,
    tablesBusy: false,
    tablesPrev: new Map(), // table id → { time, reads, writes } of the previous load
    pipelinesBusy: false,
    pipelinesPrev: new Map(), // pipeline name → { time, acked, failed, batchesFlushed }
    stagesPrev: new Map(), // stage pid → { time, eventsIn, eventsOut }
    detailBusy: false,
    prev: undefined, // { time, messages } of the previous overview
    sort: "messageQueueLength",
    order: "desc",
    offset: 0,
    total: 0,
    reachable: 0,
    treeJson: "",
    treeOpen: new Map(),
    detailId: undefined,
    overviewScroll: 0,
    events: undefined,
  };

  // ---------------------------------------------------------------- header / notices

  function showNotice(text) {
    const notice = $("notice");
    if (!notice) return;
    notice.hidden = !text;
    setText(notice, text || "");
  }

  function setStatus(kind, text) {
    const badge = $("status");
    if (!badge) return;
    badge.setAttribute("data-state", kind);
    setText(badge, text);
  }

  function reportFailure(error) {
    if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
      setStatus("error", "unauthorized");
      showNotice(
        "Not authorized. Open this page once as dashboard?token=<your token> to sign in " +
          "(the token is kept in an HttpOnly cookie).",
      );
    } else {
      setStatus("error", "offline");
      showNotice(`Cannot reach the server: ${error && error.message ? error.message : error}`);
    }
    setText($("connection"), `last try ${fmtClock(Date.now())}`);
  }

  // ---------------------------------------------------------------- charts

  function cssVar(name, fallback) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  const charts = [];

  function makeChart(key, title, series, options) {
    const container = $("charts");
    const holder = el("div", { className: "plot" });
    const box = el("figure", { className: "chart", testid: `chart-${key}` });
    box.append(el("figcaption", { text: title }), holder);
    container.append(box);
    const data = [[]];
    for (let i = 0; i < series.length; i++) data.push([]);
    const chart = { key, holder, data, plot: undefined, format: options.format };
    if (typeof uPlot !== "function") {
      holder.append(el("p", { className: "meta", text: "charts unavailable" }));
      charts.push(chart);
      return chart;
    }
    const fg = cssVar("--muted", "#666");
    const grid = cssVar("--grid", "rgba(128,128,128,0.15)");
    const yScale = options.range
      ? { range: options.range }
      : { range: (_u, _min, max) => [0, isNum(max) && max > 0 ? max * 1.1 : 1] };
    chart.plot = new uPlot(
      {
        width: Math.max(200, holder.clientWidth || 300),
        height: 150,
        cursor: { drag: { x: false, y: false }, points: { size: 5 } },
        legend: { show: true, live: true },
        scales: { x: { time: true }, y: yScale },
        axes: [
          { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
          {
            stroke: fg,
            size: 48,
            grid: { stroke: grid, width: 1 },
            ticks: { stroke: grid, width: 1 },
            values: (_u, values) => values.map(fmtShort),
          },
        ],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 1.5,
            fill: s.fill,
            points: { show: false },
            value: (_u, v) => (isNum(v) ? options.format(v) : "–"),
          })),
        ],
      },
      data,
      holder,
    );
    charts.push(chart);
    return chart;
  }

  function pushPoint(chart, x, values) {
    chart.data[0].push(x);
    for (let i = 0; i < values.length; i++) {
      chart.data[i + 1].push(isNum(values[i]) ? values[i] : null);
    }
    if (chart.data[0].length > MAX_POINTS) {
      for (const column of chart.data) column.shift();
    }
    if (chart.plot) chart.plot.setData(chart.data);
  }

  function resizeCharts() {
    for (const chart of charts) {
      const width = chart.holder.clientWidth;
      if (chart.plot && width > 0 && Math.abs(width - chart.plot.width) > 1) {
        chart.plot.setSize({ width, height: 150 });
      }
    }
  }

  let throughputChart;
  let latencyChart;
  let runQueueChart;
  let utilizationChart;

  function setupCharts() {
    throughputChart = makeChart(
      "throughput",
      "Throughput (messages/s)",
      [{ label: "msg/s", color: "#2f7ed8", fill: "rgba(47,126,216,0.12)" }],
      { format: fmtRate },
    );
    latencyChart = makeChart("latency", "Call latency (ms)", [
      { label: "p50", color: "#2ca02c" },
      { label: "p95", color: "#ff7f0e" },
      { label: "p99", color: "#d62728" },
    ], { format: fmtPlainMs });
    runQueueChart = makeChart("run-queue", "Run queue", [
      { label: "high", color: "#d62728" },
      { label: "normal", color: "#2f7ed8" },
      { label: "low", color: "#8c8c8c" },
    ], { format: fmtInt });
    utilizationChart = makeChart(
      "utilization",
      "Scheduler utilization (%)",
      [{ label: "busy %", color: "#9467bd", fill: "rgba(148,103,189,0.12)" }],
      { format: (v) => v.toFixed(1), range: [0, 100] },
    );
    if (typeof ResizeObserver === "function") {
      new ResizeObserver(() => resizeCharts()).observe($("charts"));
    } else {
      addEventListener("resize", resizeCharts);
    }
  }

  // ---------------------------------------------------------------- overview

  function renderOverview(o) {
    const time = isNum(o.time) ? o.time : Date.now();
    const scheduler = o.scheduler || {};
    const messages = scheduler.messages;
    let rate = null;
    if (state.prev && isNum(messages) && isNum(state.prev.messages)) {
      const dt = (time - state.prev.time) / 1000;
      const delta = messages - state.prev.messages;
      if (dt > 0 && delta >= 0) rate = delta / dt;
    }
    state.prev = { time, messages };

    const breached = Array.isArray(o.slos) && o.slos.some((s) => s && s.state === "breached");
    setStatus(breached ? "degraded" : "ok", breached ? "degraded" : "ok");
    showNotice("");
    setText($("uptime"), fmtDuration(o.uptimeMs), o.uptimeMs);
    setText($("connection"), `updated ${fmtClock(Date.now())}`);

    setText($("throughput"), fmtRate(rate), rate === null ? "" : rate);
    setText($("messages-total"), fmtInt(messages), messages);
    setText($("process-count"), fmtInt(o.processes), o.processes);
    const rq = scheduler.runQueue || {};
    const rqTotal = (rq.high || 0) + (rq.normal || 0) + (rq.low || 0);
    setText($("run-queue"), fmtInt(rqTotal), rqTotal);
    const util = isNum(scheduler.utilization) ? scheduler.utilization * 100 : null;
    setText($("utilization"), util === null ? "–" : util.toFixed(1), util === null ? "" : util);
    const latency = o.callLatency || null;
    setText($("latency-p99"), latency ? fmtPlainMs(latency.p99) : "–", latency ? latency.p99 : "");
    setText($("in-flight"), fmtInt(scheduler.inFlight), scheduler.inFlight);
    renderByStatus(o.byStatus);

    const x = time / 1000;
    pushPoint(throughputChart, x, [rate]);
    pushPoint(
      latencyChart,
      x,
      latency ? [latency.p50, latency.p95, latency.p99] : [null, null, null],
    );
    pushPoint(runQueueChart, x, [rq.high, rq.normal, rq.low]);
    pushPoint(utilizationChart, x, [util]);

    renderMailboxes(Array.isArray(o.topMailboxes) ? o.topMailboxes : []);
    renderSlos(Array.isArray(o.slos) ? o.slos : []);
    renderAlerts(Array.isArray(o.alerts) ? o.alerts : []);
  }

  function renderByStatus(byStatus) {
    const host = $("by-status");
    if (!host || !byStatus || typeof byStatus !== "object") return;
    const parts = [];
    for (const status of STATUSES) {
      if (!isNum(byStatus[status])) continue;
      parts.push(
        el(
          "span",
          { className: `chip ${pick(status, STATUSES, "status-")}` },
          `${status} ${fmtInt(byStatus[status])}`,
        ),
      );
    }
    host.replaceChildren(...parts);
  }

  function renderMailboxes(top) {
    const body = $("mailboxes");
    if (!body) return;
    const max = Math.max(
      1,
      ...top.map((m) => (m && isNum(m.messageQueueLength) ? m.messageQueueLength : 0)),
    );
    const rows = top.slice(0, 10).map((m) => {
      const length = isNum(m.messageQueueLength) ? m.messageQueueLength : 0;
      const label = m.name ? `${m.name} ${m.pid}` : String(m.pid);
      const bar = el("span", { className: "bar" });
      bar.style.width = `${Math.max(0.5, (length / max) * 100)}%`;
      return el(
        "tr",
        null,
        el("td", { className: "ellipsis" }, processLink(m.id, label, "mailbox-link")),
        el("td", { className: "num", text: fmtInt(length) }),
        el("td", { className: "bar-col" }, bar),
      );
    });
    if (rows.length === 0) {
      const cell = el("td", { className: "meta", text: "no processes" });
      cell.colSpan = 3;
      rows.push(el("tr", null, cell));
    }
    body.replaceChildren(...rows);
  }

  function sloValue(slo, v) {
    if (!isNum(v)) return "–";
    return slo.kind === "error_rate" ? `${(v * 100).toFixed(2)}%` : fmtMs(v);
  }

  function renderSlos(slos) {
    const list = $("slos");
    if (!list) return;
    if (slos.length === 0) {
      list.replaceChildren(el("li", { className: "meta", text: "no SLOs configured" }));
      return;
    }
    list.replaceChildren(
      ...slos.map((s) => {
        const item = el(
          "li",
          { className: `slo ${pick(s.state, SLO_STATES, "slo-")}` },
          el("span", { className: "dot" }),
          el("span", { className: "slo-name", text: s.name }),
          el("span", { className: "chip", text: String(s.state).replace("_", " ") }),
          el("span", {
            className: "meta",
            text: `${s.kind} · ${sloValue(s, s.value)} / ${sloValue(s, s.threshold)} · burn ${
              isNum(s.burnRate) ? s.burnRate.toFixed(2) : "–"
            } · ${fmtInt(s.samples)} samples`,
          }),
        );
        item.setAttribute("data-state", SLO_STATES.includes(s.state) ? s.state : "other");
        return item;
      }),
    );
  }

  function renderAlerts(alerts) {
    const list = $("alerts");
    if (!list) return;
    if (alerts.length === 0) {
      list.replaceChildren(el("li", { className: "meta", text: "no alerts" }));
      return;
    }
    list.replaceChildren(
      ...alerts.slice().reverse().map((a) =>
        el(
          "li",
          { className: a.type === "alert" ? "alert" : "resolve" },
          el("span", { className: "time", text: fmtClock(a.at) }),
          el("span", { className: "chip", text: a.type === "alert" ? "alert" : "resolve" }),
          el("span", { className: "slo-name", text: a.slo }),
          el("span", {
            className: "meta",
            text: `${String(a.state).replace("_", " ")} · ${sloValue(a, a.value)} · burn ${
              isNum(a.burnRate) ? a.burnRate.toFixed(2) : "–"
            }`,
          }),
        )
      ),
    );
  }

  async function pollOverview() {
    if (state.overviewBusy) return;
    state.overviewBusy = true;
    try {
      renderOverview(await getJson("overview"));
    } catch (error) {
      reportFailure(error);
    } finally {
      state.overviewBusy = false;
    }
  }

  // ---------------------------------------------------------------- processes

  function renderSortHeaders() {
    for (const th of document.querySelectorAll("th[data-sort]")) {
      const sorted = th.getAttribute("data-sort") === state.sort;
      th.classList.toggle("sorted", sorted);
      th.classList.toggle("asc", sorted && state.order === "asc");
      th.setAttribute(
        "aria-sort",
        sorted ? (state.order === "asc" ? "ascending" : "descending") : "none",
      );
    }
  }

  function renderProcesses(page) {
    const body = $("process-rows");
    if (!body) return;
    const items = Array.isArray(page.items) ? page.items : [];
    state.total = isNum(page.total) ? page.total : items.length;
    // Sorted pages go as deep as the server ranks (`ranked`), not to the last process.
    state.reachable = isNum(page.ranked) ? Math.min(state.total, page.ranked) : state.total;
    const rows = items.map((p) => {
      const status = el("span", {
        className: `chip ${pick(p.status, STATUSES, "status-")}`,
        text: p.status,
      });
      return el(
        "tr",
        null,
        el("td", null, processLink(p.id, String(p.pid), "process-link")),
        el("td", { className: "ellipsis", text: p.name ?? "" }),
        el("td", null, status),
        el("td", { className: "num", text: fmtInt(p.messageQueueLength) }),
        el("td", { className: "num", text: fmtInt(p.reductions) }),
        el("td", { className: "num", text: fmtBytes(p.memoryBytes) }),
        el("td", { className: "num", text: fmtMs(p.oldestMessageAgeMs) }),
        el("td", { className: "ellipsis", text: p.currentCallback ?? "" }),
      );
    });
    if (rows.length === 0) {
      const cell = el("td", { className: "meta", text: "no processes" });
      cell.colSpan = 8;
      rows.push(el("tr", null, cell));
    }
    body.replaceChildren(...rows);
    const first = items.length === 0 ? 0 : state.offset + 1;
    const ranked = state.reachable < state.total ? ` (top ${fmtInt(state.reachable)} ranked)` : "";
    setText(
      $("process-range"),
      `${fmtInt(first)}–${fmtInt(state.offset + items.length)} of ${fmtInt(state.total)}${ranked}`,
    );
    $("page-prev").disabled = state.offset === 0;
    $("page-next").disabled = state.offset + PAGE_SIZE >= state.reachable;
    renderSortHeaders();
  }

  async function loadProcesses() {
    if (state.processesBusy) return;
    state.processesBusy = true;
    try {
      const query = new URLSearchParams({
        sort: state.sort,
        order: state.order,
        offset: String(state.offset),
        limit: String(PAGE_SIZE),
      });
      const page = await getJson(`processes?${query}`);
      const reachable = isNum(page.total) && isNum(page.ranked)
        ? Math.min(page.total, page.ranked)
        : page.total;
      if (state.offset > 0 && isNum(reachable) && state.offset >= reachable) {
        // The page emptied (processes exited): go to the last one that has rows.
        state.offset = Math.max(0, Math.floor((reachable - 1) / PAGE_SIZE) * PAGE_SIZE);
        state.processesBusy = false;
        return loadProcesses();
      }
      renderProcesses(page);
    } catch (error) {
      setText($("process-range"), `cannot load: ${error && error.message ? error.message : error}`);
    } finally {
      state.processesBusy = false;
    }
  }

  function setupProcessTable() {
    for (const th of document.querySelectorAll("th[data-sort]")) {
      const activate = () => {
        const sort = th.getAttribute("data-sort");
        if (!SORTS.includes(sort)) return;
        if (state.sort === sort) state.order = state.order === "desc" ? "asc" : "desc";
        else {
          state.sort = sort;
          state.order = "desc";
        }
        state.offset = 0;
        renderSortHeaders();
        loadProcesses();
      };
      th.addEventListener("click", activate);
      th.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          activate();
        }
      });
    }
    $("page-prev").addEventListener("click", () => {
      state.offset = Math.max(0, state.offset - PAGE_SIZE);
      loadProcesses();
    });
    $("page-next").addEventListener("click", () => {
      if (state.offset + PAGE_SIZE < state.total) state.offset += PAGE_SIZE;
      loadProcesses();
    });
    renderSortHeaders();
  }

  // ---------------------------------------------------------------- tables

  /** Operations per second of one counter since the previous load, or null. */
  function perSecond(prev, time, key, value) {
    if (!prev || !isNum(prev[key]) || !isNum(value)) return null;
    const dt = (time - prev.time) / 1000;
    const delta = value - prev[key];
    return dt > 0 && delta >= 0 ? delta / dt : null;
  }

  function renderTables(view) {
    const body = $("table-rows");
    if (!body) return;
    const items = view && Array.isArray(view.items) ? view.items : [];
    const time = isNum(view.time) ? view.time : Date.now();
    const seen = new Map();
    const rows = items.map((t) => {
      const id = String(t.id);
      const prev = state.tablesPrev.get(id);
      const reads = perSecond(prev, time, "reads", t.reads);
      const writes = perSecond(prev, time, "writes", t.writes);
      seen.set(id, { time, reads: t.reads, writes: t.writes });
      const label = String(t.label ?? t.name ?? `#Table<${id}>`);
      const row = el(
        "tr",
        { testid: "table-row" },
        el("td", {
          className: `ellipsis table-label${t.name === null ? " meta" : ""}`,
          text: label,
          title: label,
          testid: "table-name",
        }),
        el("td", { text: t.type ?? "" }),
        el(
          "td",
          null,
          el("span", {
            className: `chip ${pick(t.access, TABLE_ACCESS, "access-")}`,
            text: t.access ?? "",
          }),
        ),
        el(
          "td",
          { className: "ellipsis" },
          processLink(
            t.ownerId,
            t.ownerName ? `${t.ownerName} ${t.owner}` : String(t.owner ?? ""),
            "table-owner-link",
          ),
        ),
        el("td", { className: "num", text: fmtInt(t.size), testid: "table-size" }),
        el("td", { className: "num", text: fmtBytes(t.memoryBytes) }),
        el("td", {
          className: "num",
          text: reads === null ? "–" : fmtRate(reads),
          testid: "table-reads-rate",
        }),
        el("td", { className: "num", text: writes === null ? "–" : fmtRate(writes) }),
        el("td", { className: "num", text: fmtInt(t.reads), testid: "table-reads" }),
        el("td", { className: "num", text: fmtInt(t.writes), testid: "table-writes" }),
      );
      row.setAttribute("data-size", isNum(t.size) ? String(t.size) : "");
      row.setAttribute("data-reads", isNum(t.reads) ? String(t.reads) : "");
      return row;
    });
    state.tablesPrev = seen;
    if (rows.length === 0) {
      const cell = el("td", { className: "meta", text: "no tables" });
      cell.colSpan = 10;
      rows.push(el("tr", null, cell));
    }
    body.replaceChildren(...rows);
    const total = isNum(view.total) ? view.total : items.length;
    const named = isNum(view.named) ? ` (${fmtInt(view.named)} named)` : "";
    const cut = view.truncated ? `, showing ${fmtInt(items.length)}` : "";
    setText($("tables-summary"), `${fmtInt(total)} tables${named}${cut}`, total);
  }

  async function loadTables() {
    if (state.tablesBusy) return;
    state.tablesBusy = true;
    try {
      renderTables(await getJson("tables"));
    } catch (error) {
      setText(
        $("tables-summary"),
        `cannot load: ${error && error.message ? error.message : error}`,
      );
    } finally {
      state.tablesBusy = false;
    }
  }

  // ---------------------------------------------------------------- pipelines

  /** A number cell (right-aligned); `testid` for the tests. */
  function numCell(text, testid) {
    return el("td", { className: "num", text, testid });
  }

  /** A rate cell: per second since the previous load, "–" before the second one. */
  function rateCell(rate, testid) {
    return numCell(rate === null ? "–" : fmtRate(rate), testid);
  }

  /** The row of one stage; `seen` collects its counters for the next load's rates. */
  function stageRow(s, time, seen) {
    const pid = String(s.pid ?? "");
    const prev = state.stagesPrev.get(pid);
    // A producer receives nothing, a consumer emits nothing: no rate to show.
    const rateIn = s.type === "producer" ? null : perSecond(prev, time, "eventsIn", s.eventsIn);
    const rateOut = s.type === "consumer" ? null : perSecond(prev, time, "eventsOut", s.eventsOut);
    seen.set(pid, { time, eventsIn: s.eventsIn, eventsOut: s.eventsOut });
    const label = String(s.label ?? s.name ?? pid);
    // A consumer has no buffer of its own; an unbounded one has no bound.
    const bound = s.type === "consumer" ? "–" : isNum(s.bufferSize) ? fmtInt(s.bufferSize) : "∞";
    const row = el(
      "tr",
      { testid: "stage-row" },
      el("td", { text: s.role ?? "–", testid: "stage-role" }),
      el(
        "td",
        { className: "ellipsis stage-label", title: `${label} ${pid}` },
        processLink(s.id, label, "stage-link"),
      ),
      el("td", { className: "meta", text: s.type ?? "" }),
      numCell(fmtInt(s.demand), "stage-demand"),
      numCell(fmtInt(s.pendingAsk)),
      numCell(`${fmtInt(s.buffered)} / ${bound}`, "stage-buffered"),
      rateCell(rateIn, "stage-in-rate"),
      rateCell(rateOut, "stage-out-rate"),
      numCell(fmtInt(s.eventsOut), "stage-events-out"),
      el("td", {
        className: `num${isNum(s.dropped) && s.dropped > 0 ? " dropped" : ""}`,
        text: fmtInt(s.dropped),
        testid: "stage-dropped",
      }),
    );
    row.setAttribute("data-role", typeof s.role === "string" ? s.role : "");
    row.setAttribute("data-events-out", isNum(s.eventsOut) ? String(s.eventsOut) : "");
    return row;
  }

  const STAGE_HEADERS = [
    "role",
    "stage",
    "type",
    "#demand",
    "#asked",
    "#buffered / bound",
    "#in/s",
    "#out/s",
    "#out",
    "#dropped",
  ];

  /** A table of stages (or a "none" row). */
  function stagesTable(stages, time, seen, testid) {
    const head = el(
      "tr",
      null,
      ...STAGE_HEADERS.map((h) =>
        h.startsWith("#") ? el("th", { className: "num", text: h.slice(1) }) : el("th", { text: h })
      ),
    );
    const rows = stages.map((s) => stageRow(s, time, seen));
    if (rows.length === 0) {
      const cell = el("td", { className: "meta", text: "no live stages" });
      cell.colSpan = STAGE_HEADERS.length;
      rows.push(el("tr", null, cell));
    }
    return el(
      "div",
      { className: "scroll" },
      el(
        "table",
        { className: "stages", testid },
        el("thead", null, head),
        el("tbody", null, ...rows),
      ),
    );
  }

  /** A labelled figure of a pipeline's head line. */
  function figure(label, text, testid) {
    return el(
      "span",
      { className: "figure" },
      el("span", { className: "meta", text: `${label} ` }),
      el("span", { className: "value", text, testid }),
    );
  }

  /** One pipeline: its head line (state, rates, in flight, batches) and its stages. */
  function pipelineBlock(p, time, seen, seenStages) {
    const name = String(p.name ?? "");
    const prev = state.pipelinesPrev.get(name);
    const acked = perSecond(prev, time, "acked", p.acked);
    const failed = perSecond(prev, time, "failed", p.failed);
    const batches = perSecond(prev, time, "batchesFlushed", p.batchesFlushed);
    seen.set(name, { time, acked: p.acked, failed: p.failed, batchesFlushed: p.batchesFlushed });
    const rate = (v) => (v === null ? "–" : fmtRate(v));
    const limit = p.rateLimit && isNum(p.rateLimit.allowed)
      ? figure("rate limit", `${fmtInt(p.rateLimit.allowed)} / ${fmtMs(p.rateLimit.interval)}`)
      : null;
    const head = el(
      "div",
      { className: "pipeline-head" },
      el("span", { className: "pipeline-name", text: name, title: name, testid: "pipeline-name" }),
      el("span", {
        className: `chip ${pick(p.state, PIPELINE_STATES, "pipeline-")}`,
        text: p.state ?? "",
        testid: "pipeline-state",
      }),
      figure("acked/s", rate(acked), "pipeline-acked-rate"),
      figure("failed/s", rate(failed), "pipeline-failed-rate"),
      figure("in flight", fmtInt(p.inFlight), "pipeline-inflight"),
      figure("batches/s", rate(batches), "pipeline-batches-rate"),
      figure("acked", fmtInt(p.acked), "pipeline-acked"),
      figure("failed", fmtInt(p.failed), "pipeline-failed"),
      figure("batches", fmtInt(p.batchesFlushed), "pipeline-batches"),
      limit,
      el(
        "span",
        { className: "meta" },
        "supervisor ",
        processLink(p.supervisorId, String(p.supervisor ?? ""), "pipeline-supervisor-link"),
      ),
    );
    const stages = Array.isArray(p.stages) ? p.stages : [];
    const block = el(
      "div",
      { className: "pipeline", testid: "pipeline" },
      head,
      stagesTable(stages, time, seenStages, "pipeline-stages"),
    );
    block.setAttribute("data-acked", isNum(p.acked) ? String(p.acked) : "");
    return block;
  }

  function renderPipelines(view) {
    const box = $("pipelines");
    if (!box) return;
    const items = view && Array.isArray(view.items) ? view.items : [];
    const loose = view && Array.isArray(view.stages) ? view.stages : [];
    const time = isNum(view.time) ? view.time : Date.now();
    const seen = new Map();
    const seenStages = new Map();
    const blocks = items.map((p) => pipelineBlock(p, time, seen, seenStages));
    if (loose.length > 0) {
      blocks.push(
        el(
          "div",
          { className: "pipeline", testid: "loose-stages" },
          el(
            "div",
            { className: "pipeline-head" },
            el("span", { className: "meta", text: "stages outside any pipeline" }),
          ),
          stagesTable(loose, time, seenStages, "other-stages"),
        ),
      );
    }
    state.pipelinesPrev = seen;
    state.stagesPrev = seenStages;
    if (blocks.length === 0) blocks.push(el("p", { className: "meta", text: "no pipelines" }));
    box.replaceChildren(...blocks);
    const total = isNum(view.total) ? view.total : items.length;
    const cut = view.truncated ? ", some left out" : "";
    const stages = loose.length > 0 ? `, ${fmtInt(loose.length)} other stages` : "";
    setText($("pipelines-summary"), `${fmtInt(total)} pipelines${stages}${cut}`, total);
  }

  async function loadPipelines() {
    if (state.pipelinesBusy) return;
    state.pipelinesBusy = true;
    try {
      renderPipelines(await getJson("pipelines"));
    } catch (error) {
      setText(
        $("pipelines-summary"),
        `cannot load: ${error && error.message ? error.message : error}`,
      );
    } finally {
      state.pipelinesBusy = false;
    }
  }

  // ---------------------------------------------------------------- supervision tree

  function nodeLabel(node) {
    return node.name ?? node.id ?? node.pid ?? "(unknown)";
  }

  function nodeLine(node) {
    const line = el("span", { className: "node" });
    const label = nodeLabel(node);
    line.append(
      el("span", {
        className: node.type === "supervisor" ? "node-sup" : "node-worker",
        text: label,
      }),
    );
    const id = pidToId(node.pid);
    if (node.pid && label !== node.pid) line.append(" ", processLink(id, node.pid, "tree-link"));
    else if (id !== undefined) line.append(" ", processLink(id, "open", "tree-link"));
    const facts = [];
    if (node.type) facts.push(node.type);
    if (node.strategy) facts.push(node.strategy);
    if (node.kind && node.kind !== "supervisor") facts.push(node.kind);
    if (node.restart) facts.push(node.restart);
    if (node.restartIntensity && isNum(node.restartIntensity.intensity)) {
      facts.push(`${node.restartIntensity.intensity} in ${fmtMs(node.restartIntensity.period)}`);
    }
    if (!node.pid) facts.push("not running");
    if (facts.length) line.append(" ", el("span", { className: "meta", text: facts.join(" · ") }));
    return line;
  }

  function renderNode(node, path, depth) {
    const key = `${path}/${nodeLabel(node)}`;
    const children = Array.isArray(node.children) ? node.children : [];
    const notes = [];
    if (node.omittedChildren > 0) notes.push(`… ${fmtInt(node.omittedChildren)} more children`);
    if (node.depthTruncated) notes.push("… deeper levels not shown");
    if (node.nodesTruncated && !(node.omittedChildren > 0)) notes.push("… children not listed");
    if (node.childrenUnavailable) notes.push(`children unavailable (${node.childrenUnavailable})`);
    if (children.length === 0 && notes.length === 0) return el("li", null, nodeLine(node));
    const details = el("details");
    const remembered = state.treeOpen.get(key);
    details.open = remembered === undefined ? depth < 3 : remembered;
    details.addEventListener("toggle", () => state.treeOpen.set(key, details.open));
    const list = el("ul");
    children.forEach((child, i) => list.append(renderNode(child, `${key}#${i}`, depth + 1)));
    for (const note of notes) list.append(el("li", { className: "meta", text: note }));
    details.append(el("summary", null, nodeLine(node)), list);
    return el("li", null, details);
  }

  async function loadTree(force) {
    if (state.treeBusy) return;
    state.treeBusy = true;
    const host = $("tree");
    try {
      const tree = await getJson("tree");
      // Its age changes on every walk; the tree itself may not.
      const json = JSON.stringify({ ...tree, snapshotAgeMs: 0 });
      if (!force && json === state.treeJson) return;
      state.treeJson = json;
      const roots = tree && Array.isArray(tree.roots) ? tree.roots : [];
      if (roots.length === 0) {
        host.replaceChildren(el("p", { className: "meta", text: "no supervisors" }));
        return;
      }
      const list = el("ul", { className: "tree-root" });
      roots.forEach((root, i) => list.append(renderNode(root, `#${i}`, 0)));
      const parts = [list];
      if (tree.truncated) {
        const omitted = isNum(tree.omittedRoots) && tree.omittedRoots > 0
          ? `, ${fmtInt(tree.omittedRoots)} more trees left out`
          : "";
        parts.push(el("p", {
          className: "meta",
          text: `showing the first ${fmtInt(tree.nodes)} nodes (at most ${
            fmtInt(tree.maxNodes)
          })${omitted}`,
        }));
      }
      host.replaceChildren(...parts);
    } catch (error) {
      host.replaceChildren(
        el("p", {
          className: "meta",
          text: `cannot load: ${error && error.message ? error.message : error}`,
        }),
      );
      state.treeJson = "";
    } finally {
      state.treeBusy = false;
    }
  }

  // ---------------------------------------------------------------- process detail

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

  function renderDetail(info) {
    const meta = info && typeof info.meta === "object" && info.meta ? info.meta : {};
    setText(
      $("detail-title"),
      meta.name ? `${meta.name} ${meta.pid ?? ""}` : `process ${meta.pid ?? state.detailId}`,
    );
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
    for (const [group, value] of entries) {
      if (value === null || typeof value !== "object") continue;
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
    state.detailBusy = true;
    const notice = $("detail-notice");
    try {
      const info = await getJson(`processes/${encodeURIComponent(id)}`);
      if (state.detailId !== id) return;
      notice.hidden = true;
      renderDetail(info);
    } catch (error) {
      if (state.detailId !== id) return;
      notice.hidden = false;
      if (error instanceof HttpError && error.status === 404) {
        setText(notice, "This process is not alive (it exited, or never existed).");
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

  // ---------------------------------------------------------------- events (SSE)

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

  // ---------------------------------------------------------------- routing and the loop

  function route() {
    const match = /^#\/processes\/([^/?#]+)$/.exec(location.hash);
    const overview = $("overview-view");
    const detail = $("detail-view");
    if (match) {
      let id;
      try {
        id = decodeURIComponent(match[1]);
      } catch {
        id = match[1];
      }
      if (state.detailId === undefined) state.overviewScroll = scrollY;
      state.detailId = id;
      overview.hidden = true;
      detail.hidden = false;
      setText($("detail-title"), `process ${id}`);
      $("detail-body").replaceChildren();
      $("detail-notice").hidden = true;
      scrollTo(0, 0);
      loadDetail();
    } else {
      const wasDetail = state.detailId !== undefined;
      state.detailId = undefined;
      detail.hidden = true;
      overview.hidden = false;
      resizeCharts();
      if (wasDetail) {
        loadProcesses();
        loadTables();
        loadPipelines();
        scrollTo(0, state.overviewScroll);
      }
    }
  }

  function tick() {
    if (state.paused) return;
    state.tick++;
    pollOverview();
    if (state.detailId === undefined) {
      if (state.tick % PROCESS_EVERY_TICKS === 0) loadProcesses();
      if (state.tick % TREE_EVERY_TICKS === 0) loadTree(false);
      if (state.tick % TABLES_EVERY_TICKS === 0) loadTables();
      if (state.tick % PIPELINES_EVERY_TICKS === 0) loadPipelines();
    } else if (state.tick % DETAIL_EVERY_TICKS === 0) {
      loadDetail();
    }
  }

  function setupControls() {
    const pause = $("pause");
    pause.addEventListener("click", () => {
      state.paused = !state.paused;
      pause.setAttribute("aria-pressed", String(state.paused));
      setText(pause, state.paused ? "resume" : "pause");
      if (!state.paused) {
        state.prev = undefined; // no rate across the pause
        tick();
      }
    });
    $("tree-refresh").addEventListener("click", () => loadTree(true));
    $("events-clear").addEventListener("click", () => $("events").replaceChildren());
    const list = $("events");
    list.append(el("li", { className: "meta placeholder", text: "waiting for events…" }));
  }

  function start() {
    setupCharts();
    setupProcessTable();
    setupControls();
    addEventListener("hashchange", route);
    route();
    pollOverview();
    loadProcesses();
    loadTree(true);
    loadTables();
    loadPipelines();
    startEvents();
    setInterval(tick, POLL_MS);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
