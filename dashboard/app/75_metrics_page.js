// beamlet dashboard: the Metrics page (`#/metrics`), after LiveDashboard's: every metric of
// the app's `Metrics` (GET metrics/definitions), grouped by name prefix in collapsible groups,
// charted live by type from successive GET metrics/values?name= reads — counters and sums as a
// rate per second, last values as they are, summaries and distributions as p50/p95/p99 — with a
// select per tag key. Only cards in an open group and in view poll, at most
// METRICS_REQUESTS_PER_TICK requests a tick, least recently read first.
// `#/metrics?name=<metric>` shows that one metric (an unknown one says so).
// Concatenated by scripts/build_dashboard.ts, in file-name order, into one strict-mode
// function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

const METRICS_REQUESTS_PER_TICK = 4;
/** Lines one chart draws at most; the table under it lists the rest (up to METRICS_ROWS). */
const METRICS_MAX_LINES = 6;
const METRICS_ROWS = 20;
/** Values one tag select offers at most. */
const METRICS_MAX_TAG_VALUES = 200;
const METRICS_DEFS_RETRY_TICKS = 5;
const METRIC_TYPES = ["counter", "sum", "last_value", "summary", "distribution"];
const METRIC_LINE_COLORS = ["#2f7ed8", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

const metricsPage = {
  shown: false,
  definitions: undefined, // the items of metrics/definitions, once loaded
  loading: false,
  failedAt: -Infinity, // state.tick of the last failed definitions load
  focus: null, // the metric name of `#/metrics?name=`, or null
  cards: new Map(), // metric name → card
  groupOpen: new Map(), // prefix → open (remembered across renders)
  visibility: undefined, // IntersectionObserver
  resize: undefined, // ResizeObserver
};

/** The metric name asked for in `#/metrics?name=…`, or null. */
function metricsFocus() {
  const at = location.hash.indexOf("?");
  if (at < 0) return null;
  try {
    const name = new URLSearchParams(location.hash.slice(at + 1)).get("name");
    return name === null || name === "" ? null : name;
  } catch {
    return null;
  }
}

/** A metric's group: its first two name segments ("beamlet.call", "demo.session"). */
function metricPrefix(name) {
  const parts = String(name).split(".");
  return parts.length > 2 ? parts.slice(0, 2).join(".") : parts[0];
}

/** The type as the page knows it ("lastValue" → "last_value"), else "other". */
function metricType(type) {
  const t = type === "lastValue" ? "last_value" : type;
  return METRIC_TYPES.includes(t) ? t : "other";
}

function metricFormat(unit) {
  if (unit === "millisecond" || unit === "ms") return fmtPlainMs;
  if (unit === "byte" || unit === "bytes") return fmtBytes;
  return (v) => (Math.abs(v) < 10 && !Number.isInteger(v) ? v.toFixed(2) : fmtShort(v));
}

function metricUnitLabel(def) {
  const type = metricType(def.type);
  const unit = typeof def.unit === "string" && def.unit !== "unit" ? def.unit : "";
  if (type === "counter") return "per second";
  if (type === "sum") return unit ? `${unit} per second` : "per second";
  return unit;
}

function metricsNotice(text) {
  const notice = $("metrics-notice");
  if (!notice) return;
  notice.hidden = !text;
  setText(notice, text || "");
}

/** Called by the router when `#/metrics` is shown (and again when its query changes). */
function showMetricsPage() {
  metricsPage.shown = true;
  const focus = metricsFocus();
  const changed = focus !== metricsPage.focus;
  metricsPage.focus = focus;
  if (metricsPage.definitions === undefined) {
    loadMetricDefinitions();
  } else if (changed || $("metrics-body").childElementCount === 0) {
    renderMetricsPage();
  } else {
    resizeMetricCharts();
  }
  pollMetricCards();
}

/** Called by the router when another view is shown. */
function hideMetricsPage() {
  metricsPage.shown = false;
}

/** Called every tick while `#/metrics` is shown. */
function tickMetricsPage() {
  if (!metricsPage.shown) return;
  if (metricsPage.definitions === undefined) {
    if (state.tick - metricsPage.failedAt >= METRICS_DEFS_RETRY_TICKS) loadMetricDefinitions();
    return;
  }
  pollMetricCards();
}

async function loadMetricDefinitions() {
  if (metricsPage.loading) return;
  metricsPage.loading = true;
  try {
    const body = await getJson("metrics/definitions");
    const items = body && Array.isArray(body.items) ? body.items : [];
    metricsPage.definitions = items.filter((d) => d && typeof d.name === "string");
    metricsNotice("");
    renderMetricsPage();
    pollMetricCards();
  } catch (error) {
    metricsPage.failedAt = state.tick;
    if (error instanceof HttpError && error.status === 404) {
      metricsNotice("This server does not list its metrics (no metrics/definitions route).");
    } else if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
      metricsNotice(`Not authorized to read the metrics (${error.status}): ${error.message}`);
    } else {
      metricsNotice(`Cannot load the metrics: ${error && error.message ? error.message : error}`);
    }
  } finally {
    metricsPage.loading = false;
  }
}

function destroyMetricCards() {
  for (const card of metricsPage.cards.values()) {
    if (card.plot) card.plot.destroy();
  }
  metricsPage.cards.clear();
  if (metricsPage.visibility) metricsPage.visibility.disconnect();
}

function renderMetricsPage() {
  const body = $("metrics-body");
  destroyMetricCards();
  const all = metricsPage.definitions || [];
  const focus = metricsPage.focus;
  const defs = focus === null ? all : all.filter((d) => d.name === focus);
  const parts = [];
  if (focus !== null) {
    parts.push(
      el(
        "p",
        { className: "metrics-focus" },
        el("a", { href: "#/metrics", text: "← all metrics", testid: "metrics-all" }),
      ),
    );
    if (defs.length === 0) {
      metricsNotice(`Unknown metric "${truncate(focus, 200)}": the app defines no such metric.`);
      body.replaceChildren(...parts);
      return;
    }
  }
  metricsNotice("");
  if (all.length === 0) {
    body.replaceChildren(el("p", { className: "meta", text: "This app defines no metrics." }));
    return;
  }
  const groups = new Map();
  for (const def of defs) {
    const prefix = metricPrefix(def.name);
    if (!groups.has(prefix)) groups.set(prefix, []);
    groups.get(prefix).push(def);
  }
  // The user's own metrics first, then beamlet's; by name within each.
  const prefixes = [...groups.keys()].sort((a, b) => {
    const ba = a === "beamlet" || a.startsWith("beamlet.");
    const bb = b === "beamlet" || b.startsWith("beamlet.");
    return ba === bb ? a.localeCompare(b) : ba ? 1 : -1;
  });
  const few = defs.length <= 12;
  metricsPage.visibility = typeof IntersectionObserver === "function"
    ? new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const card = metricsPage.cards.get(entry.target.getAttribute("data-metric"));
        if (card) card.visible = entry.isIntersecting;
      }
    })
    : undefined;
  for (const prefix of prefixes) {
    const list = groups.get(prefix).sort((a, b) => a.name.localeCompare(b.name));
    const remembered = metricsPage.groupOpen.get(prefix);
    const builtin = prefix === "beamlet" || prefix.startsWith("beamlet.");
    const open = remembered !== undefined ? remembered : focus !== null || few || !builtin;
    parts.push(metricGroup(prefix, list, open));
  }
  body.replaceChildren(...parts);
  for (const card of metricsPage.cards.values()) {
    if (card.group.open) ensureMetricChart(card);
  }
  if (!metricsPage.resize && typeof ResizeObserver === "function") {
    metricsPage.resize = new ResizeObserver(() => resizeMetricCharts());
    metricsPage.resize.observe(body);
  }
}

function metricGroup(prefix, defs, open) {
  const details = el("details", { className: "metric-group", testid: "metric-group" });
  details.setAttribute("data-prefix", prefix);
  details.open = open;
  const summary = el(
    "summary",
    null,
    el("span", { className: "metric-group-name", text: prefix }),
    " ",
    el("span", {
      className: "meta",
      text: `${defs.length} metric${defs.length === 1 ? "" : "s"}`,
    }),
  );
  const grid = el("div", { className: "metric-cards" });
  details.append(summary, grid);
  for (const def of defs) {
    const card = metricCard(def, details);
    grid.append(card.box);
  }
  details.addEventListener("toggle", () => {
    metricsPage.groupOpen.set(prefix, details.open);
    if (!details.open) return;
    for (const card of metricsPage.cards.values()) {
      if (card.group === details) ensureMetricChart(card);
    }
    pollMetricCards();
  });
  return details;
}

function metricCard(def, group) {
  const type = metricType(def.type);
  const tags = Array.isArray(def.tags) ? def.tags.filter((t) => typeof t === "string") : [];
  const box = el("figure", { className: "chart metric-card", testid: "metric-card" });
  box.setAttribute("data-metric", def.name);
  box.setAttribute("data-type", type);
  const unitLabel = metricUnitLabel(def);
  const caption = el(
    "figcaption",
    null,
    el("a", {
      href: `#/metrics?name=${encodeURIComponent(def.name)}`,
      text: def.name,
      testid: "metric-name",
    }),
    " ",
    el("span", {
      className: "meta",
      text: `${type.replace("_", " ")}${unitLabel ? ` · ${unitLabel}` : ""}`,
    }),
  );
  box.append(caption);
  if (typeof def.description === "string" && def.description) {
    box.append(el("p", { className: "meta metric-description", text: def.description }));
  }
  if (typeof def.prometheusName === "string" && def.prometheusName) {
    box.append(
      el("p", { className: "meta metric-prom", text: `Prometheus: ${def.prometheusName}` }),
    );
  }
  const card = {
    def,
    type,
    tags,
    group,
    box,
    holder: el("div", { className: "plot" }),
    status: el("p", { className: "meta metric-status", text: "waiting for values…" }),
    rows: el("tbody"),
    selects: new Map(), // tag key → <select>
    tagValues: new Map(), // tag key → Set of values seen
    plot: undefined,
    linesKey: undefined, // the lines the plot was made for
    times: [],
    lines: new Map(), // line key → { label, values: number[] aligned with times }
    previous: new Map(), // series key → { time, total } (counters and sums)
    latest: [], // the last read's rows
    visible: typeof IntersectionObserver !== "function",
    busy: false,
    readAt: -Infinity,
    missing: false,
  };
  card.status.setAttribute("data-testid", "metric-status");
  if (tags.length > 0) {
    const bar = el("div", { className: "metric-tags" });
    for (const key of tags) {
      const select = el("select", { testid: "metric-tag" });
      select.setAttribute("data-tag", key);
      select.setAttribute("aria-label", `tag ${key}`);
      select.append(new Option(`${key}: all`, ""));
      select.addEventListener("change", () => redrawMetricCard(card));
      card.selects.set(key, select);
      card.tagValues.set(key, new Set());
      bar.append(el("label", null, select));
    }
    box.append(bar);
  }
  const table = el("table", { className: "metric-rows" });
  table.setAttribute("data-testid", "metric-rows");
  box.append(card.holder, card.status, el("div", { className: "scroll" }, table));
  table.append(card.rows);
  metricsPage.cards.set(def.name, card);
  if (metricsPage.visibility) metricsPage.visibility.observe(box);
  return card;
}

/** The tag set of one series as one key ("" when untagged). */
function seriesKey(tags) {
  if (!tags || typeof tags !== "object") return "";
  return Object.keys(tags).sort().map((k) => `${k}=${tags[k]}`).join(",");
}

function seriesLabel(tags) {
  const key = seriesKey(tags);
  return key === "" ? "all" : key;
}

function matchesSelection(card, tags) {
  for (const [key, select] of card.selects) {
    if (select.value !== "" && String((tags || {})[key]) !== select.value) return false;
  }
  return true;
}

/** Reads due cards: in an open group, in view, not in flight; least recently read first. */
function pollMetricCards() {
  if (!metricsPage.shown || metricsPage.definitions === undefined) return;
  const due = [];
  for (const card of metricsPage.cards.values()) {
    if (card.busy || card.missing || !card.group.open || !card.visible) continue;
    due.push(card);
  }
  due.sort((a, b) => a.readAt - b.readAt);
  for (const card of due.slice(0, METRICS_REQUESTS_PER_TICK)) readMetricCard(card);
}

async function readMetricCard(card) {
  card.busy = true;
  card.readAt = performance.now();
  try {
    const body = await getJson(`metrics/values?name=${encodeURIComponent(card.def.name)}`);
    if (metricsPage.cards.get(card.def.name) !== card) return; // re-rendered meanwhile
    takeMetricValues(card, body || {});
  } catch (error) {
    if (metricsPage.cards.get(card.def.name) !== card) return;
    card.status.hidden = false;
    if (error instanceof HttpError && error.status === 404) {
      card.missing = true;
      setText(card.status, `The server does not know this metric (404): ${error.message}`);
      card.status.classList.add("metric-error");
    } else {
      setText(card.status, `cannot read: ${error && error.message ? error.message : error}`);
    }
  } finally {
    card.busy = false;
  }
}

/** Takes one read: remembers tag values, computes rates, appends a point to each line. */
function takeMetricValues(card, body) {
  const series = Array.isArray(body.series)
    ? body.series.filter((s) => s && typeof s === "object")
    : [];
  const time = isNum(body.time) && body.time > 1e11 ? body.time : Date.now();
  const rows = [];
  for (const s of series) {
    const tags = s.tags && typeof s.tags === "object" ? s.tags : {};
    for (const [key, select] of card.selects) {
      const seen = card.tagValues.get(key);
      const value = tags[key];
      if (value === undefined || value === null) continue;
      const text = String(value);
      if (!seen.has(text) && seen.size < METRICS_MAX_TAG_VALUES) {
        seen.add(text);
        select.append(new Option(`${key}: ${truncate(text, 80)}`, text));
      }
    }
    const key = seriesKey(tags);
    const row = { key, tags, series: s, rate: null };
    if (card.type === "counter" || card.type === "sum") {
      const total = isNum(s.value)
        ? s.value
        : isNum(s.sum)
        ? s.sum
        : isNum(s.count)
        ? s.count
        : null;
      const before = card.previous.get(key);
      if (total !== null) {
        if (before && time > before.time && total >= before.total) {
          row.rate = (total - before.total) / ((time - before.time) / 1000);
        }
        card.previous.set(key, { time, total });
      }
      row.total = total;
    }
    rows.push(row);
  }
  card.latest = rows;
  card.truncated = body.truncated === true;
  card.totalSeries = body.totalSeries;
  // One point per line; lines are kept per series (and per quantile for histograms).
  card.times.push(time / 1000);
  const n = card.times.length;
  const seenLines = new Set();
  for (const row of rows) {
    for (const [suffix, value] of metricLineValues(card, row)) {
      const lineKey = suffix ? `${row.key}|${suffix}` : row.key;
      seenLines.add(lineKey);
      let line = card.lines.get(lineKey);
      if (!line) {
        line = { row: row.key, tags: row.tags, suffix, values: new Array(n - 1).fill(null) };
        card.lines.set(lineKey, line);
      }
      line.values.push(isNum(value) ? value : null);
    }
  }
  for (const [lineKey, line] of card.lines) {
    if (!seenLines.has(lineKey)) line.values.push(null);
  }
  if (card.times.length > MAX_POINTS) {
    card.times.shift();
    for (const line of card.lines.values()) line.values.shift();
  }
  // Lines of series gone for a whole window are forgotten.
  for (const [lineKey, line] of card.lines) {
    if (line.values.every((v) => v === null)) card.lines.delete(lineKey);
  }
  redrawMetricCard(card);
}

/** [suffix, value] pairs of one series' row for the chart. */
function metricLineValues(card, row) {
  const s = row.series;
  if (card.type === "counter" || card.type === "sum") return [["", row.rate]];
  if (card.type === "summary" || card.type === "distribution") {
    return [["p50", s.p50], ["p95", s.p95], ["p99", s.p99]];
  }
  return [["", isNum(s.value) ? s.value : null]];
}

function redrawMetricCard(card) {
  const matching = card.latest.filter((row) => matchesSelection(card, row.tags));
  renderMetricRows(card, matching);
  const lines = [...card.lines.entries()].filter(([, line]) => matchesSelection(card, line.tags));
  const histogram = card.type === "summary" || card.type === "distribution";
  const rowKeys = [...new Set(lines.map(([, line]) => line.row))].sort();
  // Quantiles of one series, or p99 of each series when several match.
  let chosen;
  if (histogram && rowKeys.length > 1) {
    chosen = lines.filter(([, line]) => line.suffix === "p99");
  } else {
    chosen = lines;
  }
  chosen.sort((a, b) => a[0].localeCompare(b[0]));
  const shown = chosen.slice(0, METRICS_MAX_LINES);
  const notes = [];
  if (matching.length === 0) {
    notes.push(card.latest.length === 0 ? "no values yet" : "no series matches these tags");
  }
  if ((card.type === "counter" || card.type === "sum") && card.times.length < 2) {
    notes.push("rate after two reads");
  }
  if (histogram && rowKeys.length > 1) notes.push("p99 of each series: pick tags for p50/p95");
  if (chosen.length > shown.length) {
    notes.push(`charting ${shown.length} of ${chosen.length} series: pick tags to narrow`);
  }
  if (card.truncated) {
    notes.push(
      isNum(card.totalSeries)
        ? `the server listed ${card.latest.length} of ${card.totalSeries} series`
        : "the server listed only the first series",
    );
  }
  card.status.classList.remove("metric-error");
  setText(card.status, notes.join(" · "));
  card.status.hidden = notes.length === 0;
  ensureMetricChart(card, shown);
}

function lineLabel(card, line) {
  const base = seriesLabel(line.tags);
  if (!line.suffix) return base;
  return base === "all" ? line.suffix : `${line.suffix} ${base}`;
}

/** Creates (or re-creates, when the set of lines changed) the card's uPlot, then sets its data. */
function ensureMetricChart(card, shown) {
  if (!card.group.open) return;
  if (typeof uPlot !== "function") {
    if (card.holder.childElementCount === 0) {
      card.holder.append(el("p", { className: "meta", text: "charts unavailable" }));
    }
    return;
  }
  const lines = shown || [];
  const key = JSON.stringify(lines.map(([k]) => k));
  const format = card.type === "counter" ? fmtRate : metricFormat(card.def.unit);
  if (!card.plot || key !== card.linesKey) {
    if (card.plot) card.plot.destroy();
    card.linesKey = key;
    const fg = cssVar("--muted", "#666");
    const grid = cssVar("--grid", "rgba(128,128,128,0.15)");
    card.plot = new uPlot(
      {
        width: Math.max(200, card.holder.clientWidth || 300),
        height: 150,
        cursor: { drag: { x: false, y: false }, points: { size: 5 } },
        legend: { show: true, live: true },
        scales: {
          // Without points yet: the last five minutes, never a bogus axis; then at least a
          // minute. From the card's own times: with one point, uPlot would offer a range of
          // 1000 days after it.
          x: {
            time: true,
            range: () => {
              const times = card.times;
              if (times.length === 0) {
                const now = Date.now() / 1000;
                return [now - 300, now];
              }
              const max = times[times.length - 1];
              return [Math.min(times[0], max - 60), max];
            },
          },
          y: { range: (_u, _min, max) => [0, isNum(max) && max > 0 ? max * 1.1 : 1] },
        },
        axes: [
          {
            stroke: fg,
            space: 60,
            grid: { stroke: grid, width: 1 },
            ticks: { stroke: grid, width: 1 },
            values: (_u, values) => values.map((v) => fmtClock(v * 1000)),
          },
          valueAxis(fg, grid),
        ],
        series: [
          {},
          ...lines.map(([, line], i) => ({
            label: truncate(lineLabel(card, line), 60),
            stroke: METRIC_LINE_COLORS[i % METRIC_LINE_COLORS.length],
            width: 1.5,
            // uPlot draws the points while they are sparse (the first reads), not after.
            value: (_u, v) => (isNum(v) ? format(v) : "–"),
          })),
        ],
      },
      [[]],
      card.holder,
    );
  }
  const data = [card.times.slice()];
  for (const [, line] of lines) data.push(line.values.slice());
  card.plot.setData(data);
}

function renderMetricRows(card, matching) {
  const histogram = card.type === "summary" || card.type === "distribution";
  const format = metricFormat(card.def.unit);
  const head = el("tr");
  const columns = ["series"];
  if (card.type === "counter") columns.push("per second", "total");
  else if (card.type === "sum") columns.push("per second", "total");
  else if (histogram) columns.push("count", "p50", "p95", "p99", "max");
  else columns.push("value");
  columns.forEach((c, i) => head.append(el("th", { className: i > 0 ? "num" : "", text: c })));
  const out = [head];
  for (const row of matching.slice(0, METRICS_ROWS)) {
    const s = row.series;
    const tr = el("tr", { testid: "metric-row" });
    tr.append(el("td", { className: "ellipsis", text: seriesLabel(row.tags), title: row.key }));
    const cells = [];
    if (card.type === "counter") cells.push(fmtRate(row.rate), fmtInt(row.total));
    else if (card.type === "sum") {
      cells.push(
        isNum(row.rate) ? format(row.rate) : "–",
        isNum(row.total) ? format(row.total) : "–",
      );
    } else if (histogram) {
      cells.push(
        fmtInt(s.count),
        ...["p50", "p95", "p99", "max"].map((q) => (isNum(s[q]) ? format(s[q]) : "–")),
      );
    } else cells.push(isNum(s.value) ? format(s.value) : "–");
    for (const text of cells) tr.append(el("td", { className: "num", text }));
    const raw = card.type === "counter" || card.type === "sum"
      ? row.total
      : histogram
      ? s.count
      : s.value;
    if (isNum(raw)) tr.setAttribute("data-value", String(raw));
    out.push(tr);
  }
  if (matching.length > METRICS_ROWS) {
    out.push(
      el(
        "tr",
        null,
        el("td", { className: "meta", text: `… ${matching.length - METRICS_ROWS} more series` }),
      ),
    );
  }
  card.rows.replaceChildren(...out);
}

function resizeMetricCharts() {
  for (const card of metricsPage.cards.values()) {
    const width = card.holder.clientWidth;
    if (card.plot && width > 0 && Math.abs(width - card.plot.width) > 1) {
      card.plot.setSize({ width, height: 150 });
    }
  }
}
