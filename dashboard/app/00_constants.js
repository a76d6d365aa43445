// beamlet live dashboard: plain JavaScript, no framework, no build step besides
// concatenation after uPlot (which defines the global `uPlot`).
//
// Safety rules kept throughout: every value that comes from the server reaches
// the DOM through textContent / createElement (never through an HTML parser),
// only classes from fixed lists are derived from data, and every URL is
// relative to the page (served at `<base>/dashboard`, so `overview` means
// `<base>/overview`).
// Every file of dashboard/app/ is concatenated (in file-name order) into one
// strict-mode function scope by scripts/build_dashboard.ts.
// deno-lint-ignore-file no-unused-vars

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
// Not all of beamlet.slo: beamlet.slo.samples comes twice per SLO per evaluation. Kept as a
// JSON array (tests/http/dashboard_asset_test.ts checks each is a declared event).
// deno-fmt-ignore
const EVENT_PREFIXES = [
  "beamlet.slo.alert",
  "beamlet.slo.resolve",
  "beamlet.supervisor",
  "beamlet.process.exit",
  "beamlet.monitor"
];
/** Lines one event name may add to the events panel per second; the rest fold into one line. */
const EVENTS_PER_NAME_PER_S = 5;
/** A folded line keeps counting until its name has been quiet this long (ms). */
const FOLD_QUIET_MS = 5000;
/** The x-axis of every chart: the last five minutes (s). */
const CHART_WINDOW_S = 300;
/** How long the first paint waits for `overview/history` (ms). */
const HISTORY_WAIT_MS = 3000;
/** Pid → label entries remembered for the events panel, at most. */
const MAX_LABELS = 5000;
const SORTS = ["messageQueueLength", "reductions", "memoryBytes", "oldestMessageAgeMs"];
const STATUSES = ["running", "runnable", "waiting", "suspended", "exiting"];
const SLO_STATES = ["ok", "breached", "no_data"];
const TABLE_ACCESS = ["public", "protected", "private"];
const PIPELINE_STATES = ["running", "draining", "stopped"];
/** Event fields too noisy for the log (timestamps every event carries). */
const SKIPPED_FIELDS = ["monotonic_time", "monotonicTime", "system_time", "systemTime"];
