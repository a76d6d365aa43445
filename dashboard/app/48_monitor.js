// beamlet dashboard: the system monitor panel. Concatenated by scripts/build_dashboard.ts, in
// file-name order, into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

// From `/overview`'s `monitor` block: callbacks over the long-callback budget (recent ones,
// newest first), counts of long scheduler slices and host event-loop stalls, and the processes
// that spent the most time in their callbacks. A server without a monitor shows "–".

function renderMonitorCount(id, value) {
  setText($(id), isNum(value) ? fmtInt(value) : "–", isNum(value) ? value : "");
}

function renderMonitor(monitor) {
  const m = monitor && typeof monitor === "object" ? monitor : undefined;
  renderMonitorCount("monitor-long-callbacks", m && m.longCallbacks);
  renderMonitorCount("monitor-long-schedules", m && m.longSchedules);
  renderMonitorCount("monitor-stalls", m && m.eventLoopStalls);
  renderMonitorRecent(m ? (Array.isArray(m.recent) ? m.recent : []) : undefined);
  renderMonitorBusiest(m ? (Array.isArray(m.busiest) ? m.busiest : []) : undefined);
}

/** A process cell: its label (name, child id, or pid) linking to its detail, the pid as meta. */
function processCell(item, testid) {
  const label = displayName(item);
  const link = processLink(item.id, label, testid);
  link.title = String(item.pid ?? "");
  const cell = el("td", { className: "ellipsis" }, link);
  if (item.pid && label !== String(item.pid)) {
    cell.append(" ", el("span", { className: "meta", text: String(item.pid) }));
  }
  return cell;
}

function placeholderRow(colSpan, text) {
  const cell = el("td", { className: "meta", text });
  cell.colSpan = colSpan;
  return el("tr", null, cell);
}

function renderMonitorRecent(recent) {
  const body = $("monitor-recent");
  if (!body) return;
  if (recent === undefined) return body.replaceChildren(placeholderRow(4, "–"));
  if (recent.length === 0) return body.replaceChildren(placeholderRow(4, "none"));
  rememberLabels(recent);
  body.replaceChildren(
    ...recent.slice(0, 20).map((r) => {
      const shared = isNum(r.candidates) && r.candidates > 1;
      const duration = el("td", {
        className: "num",
        text: shared ? `${fmtMs(r.duration)} (${r.candidates} processes)` : fmtMs(r.duration),
        title: shared
          ? `a stretch of ${r.callbacks} callbacks shared by ${r.candidates} processes: ` +
            "this one ran the last; the slow one is pinned exactly from its next long callback"
          : r.exact === false
          ? "a run of this process's callbacks, not one callback alone"
          : "this one callback",
      });
      return el(
        "tr",
        { testid: "monitor-recent-row" },
        el("td", { className: "time", text: fmtClock(r.time) }),
        processCell(r, "monitor-link"),
        el("td", { className: "ellipsis", text: r.callback ?? "" }),
        duration,
      );
    }),
  );
}

function renderMonitorBusiest(busiest) {
  const body = $("monitor-busiest");
  if (!body) return;
  if (busiest === undefined) return body.replaceChildren(placeholderRow(3, "–"));
  if (busiest.length === 0) return body.replaceChildren(placeholderRow(3, "none"));
  rememberLabels(busiest);
  body.replaceChildren(
    ...busiest.slice(0, 10).map((b) =>
      el(
        "tr",
        { testid: "monitor-busiest-row" },
        processCell(b, "monitor-link"),
        el("td", { className: "num", text: fmtMs(b.busyMs) }),
        el("td", { className: "num", text: fmtInt(b.longCallbacks) }),
      )
    ),
  );
}
