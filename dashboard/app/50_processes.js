// beamlet dashboard: processes. Concatenated by scripts/build_dashboard.ts, in file-name order,
// into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

function renderSortHeaders() {
  for (const th of document.querySelectorAll("th[data-sort]")) {
    const sorted = th.getAttribute("data-sort") === state.sort;
    th.classList.toggle("sorted", sorted);
    th.classList.toggle("asc", sorted && state.order === "asc");
    th.setAttribute(
      "aria-sort",
      sorted ? (state.order === "asc" ? "ascending" : "descending") : "none",
    );
  }
}

/** Its registered name, else its child id under its supervisor (shown as such), else empty. */
function nameCell(p) {
  const name = typeof p.name === "string" && p.name !== "" ? p.name : undefined;
  const label = typeof p.label === "string" && p.label !== "" ? p.label : undefined;
  if (name !== undefined) {
    return el("td", { className: "ellipsis", text: name, testid: "process-name" });
  }
  if (label === undefined) return el("td", { className: "ellipsis", testid: "process-name" });
  return el("td", {
    className: "ellipsis child-id",
    text: label,
    title: "its child id under its supervisor (it has no registered name)",
    testid: "process-name",
  });
}

function renderProcesses(page) {
  const body = $("process-rows");
  if (!body) return;
  const items = Array.isArray(page.items) ? page.items : [];
  state.total = isNum(page.total) ? page.total : items.length;
  // Sorted pages go as deep as the server ranks (`ranked`), not to the last process.
  state.reachable = isNum(page.ranked) ? Math.min(state.total, page.ranked) : state.total;
  rememberLabels(items);
  const rows = items.map((p) => {
    const status = el("span", {
      className: `chip ${pick(p.status, STATUSES, "status-")}`,
      text: p.status,
    });
    return el(
      "tr",
      null,
      el("td", null, processLink(p.id, String(p.pid), "process-link")),
      nameCell(p),
      el("td", null, status),
      el("td", { className: "num", text: fmtInt(p.messageQueueLength) }),
      el("td", { className: "num", text: fmtInt(p.reductions) }),
      el("td", { className: "num", text: fmtBytes(p.memoryBytes) }),
      el("td", { className: "num", text: fmtMs(p.oldestMessageAgeMs) }),
      el("td", { className: "ellipsis", text: p.currentCallback ?? "" }),
    );
  });
  if (rows.length === 0) {
    const cell = el("td", { className: "meta", text: "no processes" });
    cell.colSpan = 8;
    rows.push(el("tr", null, cell));
  }
  body.replaceChildren(...rows);
  const first = items.length === 0 ? 0 : state.offset + 1;
  const ranked = state.reachable < state.total ? ` (top ${fmtInt(state.reachable)} ranked)` : "";
  setText(
    $("process-range"),
    `${fmtInt(first)}–${fmtInt(state.offset + items.length)} of ${fmtInt(state.total)}${ranked}`,
  );
  $("page-prev").disabled = state.offset === 0;
  $("page-next").disabled = state.offset + PAGE_SIZE >= state.reachable;
  renderSortHeaders();
}

async function loadProcesses() {
  if (state.processesBusy) return;
  state.processesBusy = true;
  try {
    const query = new URLSearchParams({
      sort: state.sort,
      order: state.order,
      offset: String(state.offset),
      limit: String(PAGE_SIZE),
    });
    const page = await getJson(`processes?${query}`);
    const reachable = isNum(page.total) && isNum(page.ranked)
      ? Math.min(page.total, page.ranked)
      : page.total;
    if (state.offset > 0 && isNum(reachable) && state.offset >= reachable) {
      // The page emptied (processes exited): go to the last one that has rows.
      state.offset = Math.max(0, Math.floor((reachable - 1) / PAGE_SIZE) * PAGE_SIZE);
      state.processesBusy = false;
      return loadProcesses();
    }
    renderProcesses(page);
  } catch (error) {
    setText($("process-range"), `cannot load: ${error && error.message ? error.message : error}`);
  } finally {
    state.processesBusy = false;
  }
}

function setupProcessTable() {
  for (const th of document.querySelectorAll("th[data-sort]")) {
    const activate = () => {
      const sort = th.getAttribute("data-sort");
      if (!SORTS.includes(sort)) return;
      if (state.sort === sort) state.order = state.order === "desc" ? "asc" : "desc";
      else {
        state.sort = sort;
        state.order = "desc";
      }
      state.offset = 0;
      renderSortHeaders();
      loadProcesses();
    };
    th.addEventListener("click", activate);
    th.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        activate();
      }
    });
  }
  $("page-prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE);
    loadProcesses();
  });
  $("page-next").addEventListener("click", () => {
    if (state.offset + PAGE_SIZE < state.total) state.offset += PAGE_SIZE;
    loadProcesses();
  });
  renderSortHeaders();
}
