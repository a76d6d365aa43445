// beamlet dashboard: the schedulers panel. Concatenated by scripts/build_dashboard.ts, in
// file-name order, into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

// From `/overview`'s `schedulers` list (`system.schedulers()`): each scheduler's index, status,
// live processes and CPU tasks, and the error of one that failed or went down. Scheduler 0 is
// the thread the app runs on; every other panel shows its processes only. A server that does
// not send the list shows "–".

const SCHEDULER_STATUSES = ["starting", "running", "failed", "down"];
/** The most of an error message shown in a row (the server bounds it already). */
const SCHEDULER_ERROR_CHARS = 300;

/** The list last rendered, as JSON: an unchanged list is not rebuilt every second. */
let schedulersRendered = "";

function renderSchedulers(schedulers) {
  const body = $("scheduler-rows");
  if (!body) return;
  const list = Array.isArray(schedulers)
    ? schedulers.filter((s) => s && typeof s === "object")
    : undefined;
  const json = list === undefined ? "" : JSON.stringify(list);
  if (json === schedulersRendered && body.childElementCount > 0) return;
  schedulersRendered = json;
  const note = $("schedulers-note");
  if (list === undefined || list.length === 0) {
    setText($("schedulers-summary"), "");
    if (note) note.hidden = true;
    return body.replaceChildren(placeholderRow(5, list === undefined ? "–" : "none"));
  }
  const running = list.filter((s) => s.status === "running").length;
  setText(
    $("schedulers-summary"),
    running === list.length ? `${fmtInt(running)} running` : `${running} of ${list.length} running`,
    running,
  );
  if (note) note.hidden = list.length < 2;
  body.replaceChildren(...list.slice(0, 256).map(schedulerRow));
}

function schedulerRow(s) {
  const status = typeof s.status === "string" ? s.status : "unknown";
  const index = isNum(s.index) ? String(s.index) : "?";
  const name = el("td", { className: "scheduler-index", text: `scheduler ${index}` });
  if (s.index === 0) name.append(" ", el("span", { className: "meta", text: "this thread" }));
  const error = typeof s.error === "string" && s.error !== ""
    ? el("td", {
      className: "scheduler-error",
      text: truncate(s.error, SCHEDULER_ERROR_CHARS),
      title: s.error,
      testid: "scheduler-error",
    })
    : el("td", { className: "meta", text: "" });
  const row = el(
    "tr",
    { testid: "scheduler-row" },
    name,
    el(
      "td",
      null,
      el("span", {
        className: `chip ${pick(status, SCHEDULER_STATUSES, "scheduler-")}`,
        text: status,
        testid: "scheduler-status",
      }),
    ),
    el("td", { className: "num", text: fmtInt(s.processes), testid: "scheduler-processes" }),
    el("td", { className: "num", text: fmtInt(s.tasks), testid: "scheduler-tasks" }),
    error,
  );
  row.setAttribute("data-index", index);
  row.setAttribute("data-status", pick(status, SCHEDULER_STATUSES, ""));
  return row;
}
