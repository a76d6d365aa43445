// beamlet dashboard: state. Concatenated by scripts/build_dashboard.ts, in file-name order,
// into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

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
  metricsShown: false, // `#/metrics` is shown (75_metrics_page.js)
  wasMetrics: false, // the route left `#/metrics` (reload the overview's panels)
  overviewScroll: 0,
  events: undefined,
};
