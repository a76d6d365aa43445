// beamlet dashboard: overview. Concatenated by scripts/build_dashboard.ts, in file-name order,
// into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

function renderOverview(o) {
  const time = isNum(o.time) ? o.time : Date.now();
  const scheduler = o.scheduler || {};
  const messages = scheduler.messages;
  let rate = null;
  if (state.prev && isNum(messages) && isNum(state.prev.messages)) {
    const dt = (time - state.prev.time) / 1000;
    const delta = messages - state.prev.messages;
    if (dt > 0 && delta >= 0) rate = delta / dt;
  }
  state.prev = { time, messages };

  const breached = Array.isArray(o.slos) && o.slos.some((s) => s && s.state === "breached");
  setStatus(breached ? "degraded" : "ok", breached ? "degraded" : "ok");
  showNotice("");
  setText($("uptime"), fmtDuration(o.uptimeMs), o.uptimeMs);
  setText($("connection"), `updated ${fmtClock(Date.now())}`);

  setText($("throughput"), fmtRate(rate), rate === null ? "" : rate);
  setText($("messages-total"), fmtInt(messages), messages);
  setText($("process-count"), fmtInt(o.processes), o.processes);
  const rq = scheduler.runQueue || {};
  const rqTotal = runQueueTotal(rq) ?? 0;
  setText($("run-queue"), fmtInt(rqTotal), rqTotal);
  const util = isNum(scheduler.utilization) ? scheduler.utilization * 100 : null;
  setText($("utilization"), util === null ? "–" : util.toFixed(1), util === null ? "" : util);
  const values = chartValues({
    throughput: rate,
    calls: o.calls,
    callLatency: o.callLatency,
    runQueue: rq,
    utilization: scheduler.utilization,
  });
  const [queued, handling, roundTrip] = values.latency;
  setLatencyCard("latency-queued-p99", queued);
  setLatencyCard("latency-handling-p99", handling);
  setLatencyCard("latency-round-trip-p99", roundTrip);
  setText($("in-flight"), fmtInt(scheduler.inFlight), scheduler.inFlight);
  renderByStatus(o.byStatus);

  addChartPoint(time / 1000, values);

  const top = Array.isArray(o.topMailboxes) ? o.topMailboxes : [];
  rememberLabels(top);
  renderMailboxes(top);
  const slos = Array.isArray(o.slos) ? o.slos : [];
  renderSlos(slos);
  renderAlerts(Array.isArray(o.alerts) ? o.alerts : [], slos);
  renderMonitor(o.monitor);
  renderSchedulers(o.schedulers);
  renderCluster(o.cluster);
}

function setLatencyCard(id, p99) {
  setText($(id), isNum(p99) ? fmtPlainMs(p99) : "–", isNum(p99) ? p99 : "");
}

function renderByStatus(byStatus) {
  const host = $("by-status");
  if (!host || !byStatus || typeof byStatus !== "object") return;
  const parts = [];
  for (const status of STATUSES) {
    if (!isNum(byStatus[status])) continue;
    parts.push(
      el(
        "span",
        { className: `chip ${pick(status, STATUSES, "status-")}` },
        `${status} ${fmtInt(byStatus[status])}`,
      ),
    );
  }
  host.replaceChildren(...parts);
}

function renderMailboxes(top) {
  const body = $("mailboxes");
  if (!body) return;
  const max = Math.max(
    1,
    ...top.map((m) => (m && isNum(m.messageQueueLength) ? m.messageQueueLength : 0)),
  );
  const rows = top.slice(0, 10).map((m) => {
    const length = isNum(m.messageQueueLength) ? m.messageQueueLength : 0;
    const label = displayName(m);
    const bar = el("span", { className: "bar" });
    bar.style.width = `${Math.max(0.5, (length / max) * 100)}%`;
    const link = processLink(m.id, label, "mailbox-link");
    link.title = String(m.pid);
    const cell = el("td", { className: "ellipsis" }, link);
    if (label !== String(m.pid)) cell.append(" ", el("span", { className: "meta", text: m.pid }));
    return el(
      "tr",
      null,
      cell,
      el("td", { className: "num", text: fmtInt(length) }),
      el("td", { className: "bar-col" }, bar),
    );
  });
  if (rows.length === 0) {
    const cell = el("td", { className: "meta", text: "no processes" });
    cell.colSpan = 3;
    rows.push(el("tr", null, cell));
  }
  body.replaceChildren(...rows);
}

async function pollOverview() {
  if (state.overviewBusy) return;
  state.overviewBusy = true;
  try {
    renderOverview(await getJson("overview"));
  } catch (error) {
    reportFailure(error);
  } finally {
    state.overviewBusy = false;
  }
}
