// beamlet dashboard: routing and the loop. Concatenated by scripts/build_dashboard.ts, in file-name order,
// into one strict-mode function scope shared by every file of dashboard/app/.

function route() {
  const match = /^#\/processes\/([^/?#]+)$/.exec(location.hash);
  const overview = $("overview-view");
  const detail = $("detail-view");
  const metrics = $("metrics-view");
  const onMetrics = /^#\/metrics(?:\?|$)/.test(location.hash);
  metrics.hidden = !onMetrics;
  if (onMetrics) {
    if (state.detailId === undefined && !state.metricsShown) state.overviewScroll = scrollY;
    state.detailId = undefined;
    state.metricsShown = true;
    overview.hidden = true;
    detail.hidden = true;
    scrollTo(0, 0);
    showMetricsPage();
    return;
  }
  if (state.metricsShown) {
    state.metricsShown = false;
    state.wasMetrics = true;
    hideMetricsPage();
  }
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
    const wasDetail = state.detailId !== undefined || state.wasMetrics === true;
    state.wasMetrics = false;
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
  if (state.metricsShown) {
    tickMetricsPage();
  } else if (state.detailId === undefined) {
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
  $("events-clear").addEventListener("click", clearEvents);
  setupEventFilter();
  const list = $("events");
  list.append(el("li", { className: "meta placeholder", text: "waiting for events…" }));
}

function start() {
  startCharts(); // after `overview/history`: the first paint holds the last minutes
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
