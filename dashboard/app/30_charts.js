// beamlet dashboard: charts. Concatenated by scripts/build_dashboard.ts, in file-name order,
// into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

function cssVar(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

const charts = [];

// The x-axis is always the last CHART_WINDOW_S seconds up to the newest point (or now):
// left to uPlot, a chart with one point (the first paint) is "flat data", which uPlot pads
// by the magnitude of the value itself — seconds since 1970 — and draws years of axis.
function xRange(chart) {
  const xs = chart.data[0];
  const newest = xs.length > 0 ? xs[xs.length - 1] : Date.now() / 1000;
  return [newest - CHART_WINDOW_S, newest];
}

/** Whether a chart has a value to draw (a point in some series). */
function chartHasData(chart) {
  for (let i = 1; i < chart.data.length; i++) {
    if (chart.data[i].some((v) => v !== null && v !== undefined)) return true;
  }
  return false;
}

/** The y-axis every chart of the dashboard draws: short numbers, the house grid. */
function valueAxis(fg, grid) {
  return {
    stroke: fg,
    size: 48,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    values: (_u, values) => values.map(fmtShort),
  };
}

function renderChartNote(chart) {
  const empty = !chartHasData(chart);
  chart.note.hidden = !empty;
  chart.box.setAttribute("data-empty", String(empty));
  chart.box.setAttribute("data-points", String(chart.data[0].length));
  const [lo, hi] = xRange(chart);
  chart.box.setAttribute("data-x-min", String(Math.round(lo)));
  chart.box.setAttribute("data-x-max", String(Math.round(hi)));
}

/**
 * A chart: `series` are `{ label, color, fill?, title? }` (title: what the series measures,
 * shown as a tooltip); `options.title` explains the chart as a whole.
 */
function makeChart(key, title, series, options) {
  const container = $("charts");
  const holder = el("div", { className: "plot" });
  const box = el("figure", { className: "chart", testid: `chart-${key}` });
  const caption = el("figcaption", { text: title, title: options.title });
  const note = el("p", { className: "chart-note meta", text: "collecting…", testid: "chart-note" });
  box.append(caption, note, holder);
  const explain = series.filter((s) => s.title);
  if (explain.length > 0) {
    const keyList = el("p", { className: "chart-key meta" });
    for (const s of explain) {
      const item = el("span", { className: "chart-key-item", title: s.title, text: s.label });
      item.style.borderColor = s.color;
      keyList.append(item);
    }
    box.append(keyList);
  }
  container.append(box);
  const data = [[]];
  for (let i = 0; i < series.length; i++) data.push([]);
  const chart = { key, box, holder, note, data, plot: undefined, format: options.format };
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
      scales: { x: { time: true, range: () => xRange(chart) }, y: yScale },
      axes: [
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
        valueAxis(fg, grid),
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          fill: s.fill,
          spanGaps: false,
          // uPlot's default: dots only while the points are sparse (a first point is seen).
          points: { size: 4 },
          value: (_u, v) => (isNum(v) ? options.format(v) : "–"),
        })),
      ],
    },
    data,
    holder,
  );
  charts.push(chart);
  renderChartNote(chart);
  return chart;
}

/** Appends one point (x in seconds); points older than the newest are dropped. */
function pushPoint(chart, x, values, redraw = true) {
  if (!chart) return;
  const xs = chart.data[0];
  if (xs.length > 0 && !(x > xs[xs.length - 1])) return;
  xs.push(x);
  for (let i = 0; i < values.length; i++) {
    chart.data[i + 1].push(isNum(values[i]) ? values[i] : null);
  }
  while (chart.data[0].length > MAX_POINTS) {
    for (const column of chart.data) column.shift();
  }
  if (redraw) redrawChart(chart);
}

function redrawChart(chart) {
  if (chart.plot) chart.plot.setData(chart.data);
  renderChartNote(chart);
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

/** What each call latency measures (card and chart tooltips). */
const LATENCY_TITLES = {
  queued: "Time a call waited in the server's mailbox, from being sent to handleCall starting " +
    "(the cost of a long queue). p99 over all servers.",
  handling: "Time the server spent handling a call, from handleCall starting to the reply " +
    "(beamlet.call.stop). p99 over all servers.",
  roundTrip: "What the caller waited: from call() to its promise settling with the reply " +
    "(queued + handling + delivery). p99 over all servers.",
};

function setupCharts() {
  throughputChart = makeChart(
    "throughput",
    "Throughput (messages/s)",
    [{ label: "msg/s", color: "#2f7ed8", fill: "rgba(47,126,216,0.12)" }],
    { format: fmtRate, title: "Messages handled per second, all processes" },
  );
  latencyChart = makeChart("latency", "Call latency p99 (ms)", [
    { label: "queued", color: "#ff7f0e", title: LATENCY_TITLES.queued },
    { label: "handling", color: "#2ca02c", title: LATENCY_TITLES.handling },
    { label: "round trip", color: "#d62728", title: LATENCY_TITLES.roundTrip },
  ], {
    format: fmtPlainMs,
    title: "p99 of the three parts of a call: queued in the mailbox, handling, and the " +
      "caller's round trip",
  });
  runQueueChart = makeChart("run-queue", "Run queue", [
    { label: "high", color: "#d62728" },
    { label: "normal", color: "#2f7ed8" },
    { label: "low", color: "#8c8c8c" },
  ], { format: fmtInt, title: "Processes waiting to run, by priority" });
  utilizationChart = makeChart(
    "utilization",
    "Scheduler utilization (%)",
    [{ label: "busy %", color: "#9467bd", fill: "rgba(148,103,189,0.12)" }],
    {
      format: (v) => v.toFixed(1),
      range: [0, 100],
      title: "Share of time the scheduler ran processes",
    },
  );
  if (typeof ResizeObserver === "function") {
    new ResizeObserver(() => resizeCharts()).observe($("charts"));
  } else {
    addEventListener("resize", resizeCharts);
  }
}

/** p99 of a `CallLatencySummary` (or a bare number, as history points give it), else null. */
function p99Of(summary) {
  if (isNum(summary)) return summary;
  return summary && isNum(summary.p99) ? summary.p99 : null;
}

/** The chart values of one overview, or of one history point (same fields where they meet). */
function chartValues(point) {
  const calls = point.calls && typeof point.calls === "object" ? point.calls : {};
  const handling = calls.handling !== undefined ? calls.handling : point.callLatency;
  return {
    throughput: isNum(point.throughput) ? point.throughput : null,
    latency: [p99Of(calls.queued), p99Of(handling), p99Of(calls.roundTrip)],
    runQueue: point.runQueue,
    utilization: isNum(point.utilization) ? point.utilization * 100 : null,
  };
}

/** A run queue `{ high, normal, low }` as the chart's three values (a bare count is "normal"). */
function runQueueValues(rq) {
  if (isNum(rq)) return [null, rq, null];
  if (!rq || typeof rq !== "object") return [null, null, null];
  return [rq.high, rq.normal, rq.low];
}

/** A run queue as one number: a count, or `{ high, normal, low }` summed. */
function runQueueTotal(rq) {
  if (isNum(rq)) return rq;
  if (!rq || typeof rq !== "object") return null;
  return (rq.high || 0) + (rq.normal || 0) + (rq.low || 0);
}

/** Adds one set of values at `x` seconds to every chart. */
function pushCharts(x, values, redraw = true) {
  pushPoint(throughputChart, x, [values.throughput], redraw);
  pushPoint(latencyChart, x, values.latency, redraw);
  pushPoint(runQueueChart, x, runQueueValues(values.runQueue), redraw);
  pushPoint(utilizationChart, x, [values.utilization], redraw);
}
