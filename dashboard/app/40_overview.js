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
  const rqTotal = (rq.high || 0) + (rq.normal || 0) + (rq.low || 0);
  setText($("run-queue"), fmtInt(rqTotal), rqTotal);
  const util = isNum(scheduler.utilization) ? scheduler.utilization * 100 : null;
  setText($("utilization"), util === null ? "–" : util.toFixed(1), util === null ? "" : util);
  const latency = o.callLatency || null;
  setText($("latency-p99"), latency ? fmtPlainMs(latency.p99) : "–", latency ? latency.p99 : "");
  setText($("in-flight"), fmtInt(scheduler.inFlight), scheduler.inFlight);
  renderByStatus(o.byStatus);

  const x = time / 1000;
  pushPoint(throughputChart, x, [rate]);
  pushPoint(
    latencyChart,
    x,
    latency ? [latency.p50, latency.p95, latency.p99] : [null, null, null],
  );
  pushPoint(runQueueChart, x, [rq.high, rq.normal, rq.low]);
  pushPoint(utilizationChart, x, [util]);

  renderMailboxes(Array.isArray(o.topMailboxes) ? o.topMailboxes : []);
  renderSlos(Array.isArray(o.slos) ? o.slos : []);
  renderAlerts(Array.isArray(o.alerts) ? o.alerts : []);
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
    const label = m.name ? `${m.name} ${m.pid}` : String(m.pid);
    const bar = el("span", { className: "bar" });
    bar.style.width = `${Math.max(0.5, (length / max) * 100)}%`;
    return el(
      "tr",
      null,
      el("td", { className: "ellipsis" }, processLink(m.id, label, "mailbox-link")),
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

function sloValue(slo, v) {
  if (!isNum(v)) return "–";
  return slo.kind === "error_rate" ? `${(v * 100).toFixed(2)}%` : fmtMs(v);
}

function renderSlos(slos) {
  const list = $("slos");
  if (!list) return;
  if (slos.length === 0) {
    list.replaceChildren(el("li", { className: "meta", text: "no SLOs configured" }));
    return;
  }
  list.replaceChildren(
    ...slos.map((s) => {
      const item = el(
        "li",
        { className: `slo ${pick(s.state, SLO_STATES, "slo-")}` },
        el("span", { className: "dot" }),
        el("span", { className: "slo-name", text: s.name }),
        el("span", { className: "chip", text: String(s.state).replace("_", " ") }),
        el("span", {
          className: "meta",
          text: `${s.kind} · ${sloValue(s, s.value)} / ${sloValue(s, s.threshold)} · burn ${
            isNum(s.burnRate) ? s.burnRate.toFixed(2) : "–"
          } · ${fmtInt(s.samples)} samples`,
        }),
      );
      item.setAttribute("data-state", SLO_STATES.includes(s.state) ? s.state : "other");
      return item;
    }),
  );
}

function renderAlerts(alerts) {
  const list = $("alerts");
  if (!list) return;
  if (alerts.length === 0) {
    list.replaceChildren(el("li", { className: "meta", text: "no alerts" }));
    return;
  }
  list.replaceChildren(
    ...alerts.slice().reverse().map((a) =>
      el(
        "li",
        { className: a.type === "alert" ? "alert" : "resolve" },
        el("span", { className: "time", text: fmtClock(a.at) }),
        el("span", { className: "chip", text: a.type === "alert" ? "alert" : "resolve" }),
        el("span", { className: "slo-name", text: a.slo }),
        el("span", {
          className: "meta",
          text: `${String(a.state).replace("_", " ")} · ${sloValue(a, a.value)} · burn ${
            isNum(a.burnRate) ? a.burnRate.toFixed(2) : "–"
          }`,
        }),
      )
    ),
  );
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
