// beamlet dashboard: tables. Concatenated by scripts/build_dashboard.ts, in file-name order,
// into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

/** Operations per second of one counter since the previous load, or null. */
function perSecond(prev, time, key, value) {
  if (!prev || !isNum(prev[key]) || !isNum(value)) return null;
  const dt = (time - prev.time) / 1000;
  const delta = value - prev[key];
  return dt > 0 && delta >= 0 ? delta / dt : null;
}

function renderTables(view) {
  const body = $("table-rows");
  if (!body) return;
  const items = view && Array.isArray(view.items) ? view.items : [];
  const time = isNum(view.time) ? view.time : Date.now();
  const seen = new Map();
  const rows = items.map((t) => {
    const id = String(t.id);
    const prev = state.tablesPrev.get(id);
    const reads = perSecond(prev, time, "reads", t.reads);
    const writes = perSecond(prev, time, "writes", t.writes);
    seen.set(id, { time, reads: t.reads, writes: t.writes });
    const label = String(t.label ?? t.name ?? `#Table<${id}>`);
    const row = el(
      "tr",
      { testid: "table-row" },
      el("td", {
        className: `ellipsis table-label${t.name === null ? " meta" : ""}`,
        text: label,
        title: label,
        testid: "table-name",
      }),
      el("td", { text: t.type ?? "" }),
      el(
        "td",
        null,
        el("span", {
          className: `chip ${pick(t.access, TABLE_ACCESS, "access-")}`,
          text: t.access ?? "",
        }),
      ),
      el(
        "td",
        { className: "ellipsis" },
        processLink(
          t.ownerId,
          t.ownerName ? `${t.ownerName} ${t.owner}` : pidWithLabel(String(t.owner ?? "")),
          "table-owner-link",
        ),
      ),
      el("td", { className: "num", text: fmtInt(t.size), testid: "table-size" }),
      el("td", { className: "num", text: fmtBytes(t.memoryBytes) }),
      el("td", {
        className: "num",
        text: reads === null ? "–" : fmtRate(reads),
        testid: "table-reads-rate",
      }),
      el("td", { className: "num", text: writes === null ? "–" : fmtRate(writes) }),
      el("td", { className: "num", text: fmtInt(t.reads), testid: "table-reads" }),
      el("td", { className: "num", text: fmtInt(t.writes), testid: "table-writes" }),
    );
    row.setAttribute("data-size", isNum(t.size) ? String(t.size) : "");
    row.setAttribute("data-reads", isNum(t.reads) ? String(t.reads) : "");
    return row;
  });
  state.tablesPrev = seen;
  if (rows.length === 0) {
    const cell = el("td", { className: "meta", text: "no tables" });
    cell.colSpan = 10;
    rows.push(el("tr", null, cell));
  }
  body.replaceChildren(...rows);
  const total = isNum(view.total) ? view.total : items.length;
  const named = isNum(view.named) ? ` (${fmtInt(view.named)} named)` : "";
  const cut = view.truncated ? `, showing ${fmtInt(items.length)}` : "";
  setText($("tables-summary"), `${fmtInt(total)} tables${named}${cut}`, total);
}

async function loadTables() {
  if (state.tablesBusy) return;
  state.tablesBusy = true;
  try {
    renderTables(await getJson("tables"));
  } catch (error) {
    setText(
      $("tables-summary"),
      `cannot load: ${error && error.message ? error.message : error}`,
    );
  } finally {
    state.tablesBusy = false;
  }
}
