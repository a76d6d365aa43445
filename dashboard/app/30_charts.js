// beamlet dashboard: charts. Concatenated by scripts/build_dashboard.ts, in file-name order,
// into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

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
