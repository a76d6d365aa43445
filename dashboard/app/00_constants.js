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
const EVENT_PREFIXES = ["beamlet.slo", "beamlet.supervisor", "beamlet.process.exit"];
const SORTS = ["messageQueueLength", "reductions", "memoryBytes", "oldestMessageAgeMs"];
const STATUSES = ["running", "runnable", "waiting", "suspended", "exiting"];
const SLO_STATES = ["ok", "breached", "no_data"];
const TABLE_ACCESS = ["public", "protected", "private"];
const PIPELINE_STATES = ["running", "draining", "stopped"];
/** Event fields too noisy for the log (timestamps every event carries). */
const SKIPPED_FIELDS = ["monotonic_time", "monotonicTime", "system_time", "systemTime"];
