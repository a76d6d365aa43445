// beamlet dashboard: pipelines. Concatenated by scripts/build_dashboard.ts, in file-name order,
// into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

/** A number cell (right-aligned); `testid` for the tests. */
function numCell(text, testid) {
  return el("td", { className: "num", text, testid });
}

/** A rate cell: per second since the previous load, "–" before the second one. */
function rateCell(rate, testid) {
  return numCell(rate === null ? "–" : fmtRate(rate), testid);
}

/** The row of one stage; `seen` collects its counters for the next load's rates. */
function stageRow(s, time, seen) {
  const pid = String(s.pid ?? "");
  const prev = state.stagesPrev.get(pid);
  // A producer receives nothing, a consumer emits nothing: no rate to show.
  const rateIn = s.type === "producer" ? null : perSecond(prev, time, "eventsIn", s.eventsIn);
  const rateOut = s.type === "consumer" ? null : perSecond(prev, time, "eventsOut", s.eventsOut);
  seen.set(pid, { time, eventsIn: s.eventsIn, eventsOut: s.eventsOut });
  const label = String(s.label ?? s.name ?? pid);
  // A consumer has no buffer of its own; an unbounded one has no bound.
  const bound = s.type === "consumer" ? "–" : isNum(s.bufferSize) ? fmtInt(s.bufferSize) : "∞";
  const row = el(
    "tr",
    { testid: "stage-row" },
    el("td", { text: s.role ?? "–", testid: "stage-role" }),
    el(
      "td",
      { className: "ellipsis stage-label", title: `${label} ${pid}` },
      processLink(s.id, label, "stage-link"),
    ),
    el("td", { className: "meta", text: s.type ?? "" }),
    numCell(fmtInt(s.demand), "stage-demand"),
    numCell(fmtInt(s.pendingAsk)),
    numCell(`${fmtInt(s.buffered)} / ${bound}`, "stage-buffered"),
    rateCell(rateIn, "stage-in-rate"),
    rateCell(rateOut, "stage-out-rate"),
    numCell(fmtInt(s.eventsOut), "stage-events-out"),
    el("td", {
      className: `num${isNum(s.dropped) && s.dropped > 0 ? " dropped" : ""}`,
      text: fmtInt(s.dropped),
      testid: "stage-dropped",
    }),
  );
  row.setAttribute("data-role", typeof s.role === "string" ? s.role : "");
  row.setAttribute("data-events-out", isNum(s.eventsOut) ? String(s.eventsOut) : "");
  return row;
}

const STAGE_HEADERS = [
  "role",
  "stage",
  "type",
  "#demand",
  "#asked",
  "#buffered / bound",
  "#in/s",
  "#out/s",
  "#out",
  "#dropped",
];

/** A table of stages (or a "none" row). */
function stagesTable(stages, time, seen, testid) {
  const head = el(
    "tr",
    null,
    ...STAGE_HEADERS.map((h) =>
      h.startsWith("#") ? el("th", { className: "num", text: h.slice(1) }) : el("th", { text: h })
    ),
  );
  const rows = stages.map((s) => stageRow(s, time, seen));
  if (rows.length === 0) {
    const cell = el("td", { className: "meta", text: "no live stages" });
    cell.colSpan = STAGE_HEADERS.length;
    rows.push(el("tr", null, cell));
  }
  return el(
    "div",
    { className: "scroll" },
    el(
      "table",
      { className: "stages", testid },
      el("thead", null, head),
      el("tbody", null, ...rows),
    ),
  );
}

/** A labelled figure of a pipeline's head line. */
function figure(label, text, testid) {
  return el(
    "span",
    { className: "figure" },
    el("span", { className: "meta", text: `${label} ` }),
    el("span", { className: "value", text, testid }),
  );
}

/** One pipeline: its head line (state, rates, in flight, batches) and its stages. */
function pipelineBlock(p, time, seen, seenStages) {
  const name = String(p.name ?? "");
  const prev = state.pipelinesPrev.get(name);
  const acked = perSecond(prev, time, "acked", p.acked);
  const failed = perSecond(prev, time, "failed", p.failed);
  const batches = perSecond(prev, time, "batchesFlushed", p.batchesFlushed);
  seen.set(name, { time, acked: p.acked, failed: p.failed, batchesFlushed: p.batchesFlushed });
  const rate = (v) => (v === null ? "–" : fmtRate(v));
  const limit = p.rateLimit && isNum(p.rateLimit.allowed)
    ? figure("rate limit", `${fmtInt(p.rateLimit.allowed)} / ${fmtMs(p.rateLimit.interval)}`)
    : null;
  const head = el(
    "div",
    { className: "pipeline-head" },
    el("span", { className: "pipeline-name", text: name, title: name, testid: "pipeline-name" }),
    el("span", {
      className: `chip ${pick(p.state, PIPELINE_STATES, "pipeline-")}`,
      text: p.state ?? "",
      testid: "pipeline-state",
    }),
    figure("acked/s", rate(acked), "pipeline-acked-rate"),
    figure("failed/s", rate(failed), "pipeline-failed-rate"),
    figure("in flight", fmtInt(p.inFlight), "pipeline-inflight"),
    figure("batches/s", rate(batches), "pipeline-batches-rate"),
    figure("acked", fmtInt(p.acked), "pipeline-acked"),
    figure("failed", fmtInt(p.failed), "pipeline-failed"),
    figure("batches", fmtInt(p.batchesFlushed), "pipeline-batches"),
    limit,
    el(
      "span",
      { className: "meta" },
      "supervisor ",
      processLink(p.supervisorId, String(p.supervisor ?? ""), "pipeline-supervisor-link"),
    ),
  );
  const stages = Array.isArray(p.stages) ? p.stages : [];
  const block = el(
    "div",
    { className: "pipeline", testid: "pipeline" },
    head,
    stagesTable(stages, time, seenStages, "pipeline-stages"),
  );
  block.setAttribute("data-acked", isNum(p.acked) ? String(p.acked) : "");
  return block;
}

function renderPipelines(view) {
  const box = $("pipelines");
  if (!box) return;
  const items = view && Array.isArray(view.items) ? view.items : [];
  const loose = view && Array.isArray(view.stages) ? view.stages : [];
  const time = isNum(view.time) ? view.time : Date.now();
  const seen = new Map();
  const seenStages = new Map();
  const blocks = items.map((p) => pipelineBlock(p, time, seen, seenStages));
  if (loose.length > 0) {
    blocks.push(
      el(
        "div",
        { className: "pipeline", testid: "loose-stages" },
        el(
          "div",
          { className: "pipeline-head" },
          el("span", { className: "meta", text: "stages outside any pipeline" }),
        ),
        stagesTable(loose, time, seenStages, "other-stages"),
      ),
    );
  }
  state.pipelinesPrev = seen;
  state.stagesPrev = seenStages;
  if (blocks.length === 0) blocks.push(el("p", { className: "meta", text: "no pipelines" }));
  box.replaceChildren(...blocks);
  const total = isNum(view.total) ? view.total : items.length;
  const cut = view.truncated ? ", some left out" : "";
  const stages = loose.length > 0 ? `, ${fmtInt(loose.length)} other stages` : "";
  setText($("pipelines-summary"), `${fmtInt(total)} pipelines${stages}${cut}`, total);
}

async function loadPipelines() {
  if (state.pipelinesBusy) return;
  state.pipelinesBusy = true;
  try {
    renderPipelines(await getJson("pipelines"));
  } catch (error) {
    setText(
      $("pipelines-summary"),
      `cannot load: ${error && error.message ? error.message : error}`,
    );
  } finally {
    state.pipelinesBusy = false;
  }
}
