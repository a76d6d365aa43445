// beamlet dashboard: the Metrics page (`#/metrics`). Concatenated by
// scripts/build_dashboard.ts, in file-name order, into one strict-mode
// function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

/** Called by the router when `#/metrics` is shown. */
function showMetricsPage() {}

/** Called by the router when another view is shown. */
function hideMetricsPage() {}

/** Called every tick while `#/metrics` is shown. */
function tickMetricsPage() {}
