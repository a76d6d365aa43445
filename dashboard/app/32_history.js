// beamlet dashboard: the charts' first paint. Concatenated by scripts/build_dashboard.ts, in
// file-name order, into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

// The charts are made only once `overview/history` answered (or HISTORY_WAIT_MS passed), so
// the first paint already holds the server's last five minutes; overviews polled meanwhile
// wait in `pendingPoints`.
let chartsReady = false;
const pendingPoints = [];

/** Adds an overview's values now, or once the charts exist. */
function addChartPoint(x, values) {
  if (chartsReady) pushCharts(x, values);
  else if (pendingPoints.length < MAX_POINTS) pendingPoints.push([x, values]);
}

/** `overview/history`'s points, `[]` when the server has none (or no such route) in time. */
async function fetchHistory() {
  let timer;
  const late = new Promise((resolve) => (timer = setTimeout(() => resolve(null), HISTORY_WAIT_MS)));
  try {
    const history = await Promise.race([getJson("overview/history"), late]);
    return history && Array.isArray(history.points) ? history.points : [];
  } catch {
    return []; // an older server: the charts fill as the overview is polled
  } finally {
    clearTimeout(timer);
  }
}

async function startCharts() {
  const points = await fetchHistory();
  setupCharts();
  const sorted = points.filter((p) => p && isNum(p.time)).sort((a, b) => a.time - b.time);
  for (const point of sorted) pushCharts(point.time / 1000, chartValues(point), false);
  chartsReady = true;
  for (const [x, values] of pendingPoints.splice(0)) pushCharts(x, values, false);
  for (const chart of charts) {
    chart.box.setAttribute("data-history", String(sorted.length));
    redrawChart(chart);
  }
}
