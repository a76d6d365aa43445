// beamlet dashboard: process detail. Concatenated by scripts/build_dashboard.ts, in file-name order,
// into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

function words(key) {
  return String(key).replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

function renderValue(key, value, depth) {
  if (value === null || value === undefined) return el("span", { className: "meta", text: "–" });
  if (typeof value === "number") {
    if (/bytes$/i.test(key)) return el("span", { text: fmtBytes(value) });
    if (/ms$/i.test(key)) return el("span", { text: fmtMs(value) });
    return el("span", {
      text: fmtInt(value) === "–" ? String(value) : value.toLocaleString("en-US"),
    });
  }
  if (typeof value === "string") {
    const id = pidToId(value);
    return id !== undefined
      ? processLink(id, value, "detail-link")
      : el("span", { text: truncate(value, 500) });
  }
  if (typeof value === "boolean") return el("span", { text: value ? "yes" : "no" });
  if (Array.isArray(value)) {
    if (value.length === 0) return el("span", { className: "meta", text: "none" });
    const list = el("ul", { className: "values" });
    for (const item of value.slice(0, 200)) {
      list.append(el("li", null, renderValue(key, item, depth + 1)));
    }
    if (value.length > 200) {
      list.append(el("li", { className: "meta", text: `… ${value.length - 200} more` }));
    }
    return list;
  }
  if (typeof value === "object" && depth < 4) return renderFields(value, depth + 1);
  return el("span", { text: truncate(JSON.stringify(value) ?? String(value), 500) });
}

function renderFields(object, depth) {
  const entries = Object.entries(object);
  if (entries.length === 0) return el("p", { className: "meta", text: "–" });
  const dl = el("dl", { className: "fields" });
  for (const [key, value] of entries) {
    // A number's unit is in its formatted value: "uptimeMs" reads "uptime".
    const label = typeof value === "number" ? words(key).replace(/ (ms|bytes)$/, "") : words(key);
    dl.append(el("dt", { text: label }), el("dd", null, renderValue(key, value, depth)));
  }
  return dl;
}

function renderDetail(info) {
  const meta = info && typeof info.meta === "object" && info.meta ? info.meta : {};
  setText(
    $("detail-title"),
    meta.name ? `${meta.name} ${meta.pid ?? ""}` : `process ${meta.pid ?? state.detailId}`,
  );
  const body = $("detail-body");
  const sections = [];
  const entries = Object.entries(info || {});
  // Top-level scalars (the route id, ...) go together in a first card.
  const scalars = entries.filter(([, value]) => value === null || typeof value !== "object");
  if (scalars.length > 0) {
    const section = el("section", { className: "panel" }, el("h3", { text: "process" }));
    section.append(renderFields(Object.fromEntries(scalars), 0));
    sections.push(section);
  }
  for (const [group, value] of entries) {
    if (value === null || typeof value !== "object") continue;
    const section = el("section", { className: "panel" }, el("h3", { text: words(group) }));
    section.append(
      value && typeof value === "object" && !Array.isArray(value)
        ? renderFields(value, 0)
        : renderValue(group, value, 0),
    );
    sections.push(section);
  }
  body.replaceChildren(...sections);
}

async function loadDetail() {
  const id = state.detailId;
  if (id === undefined || state.detailBusy) return;
  state.detailBusy = true;
  const notice = $("detail-notice");
  try {
    const info = await getJson(`processes/${encodeURIComponent(id)}`);
    if (state.detailId !== id) return;
    notice.hidden = true;
    renderDetail(info);
  } catch (error) {
    if (state.detailId !== id) return;
    notice.hidden = false;
    if (error instanceof HttpError && error.status === 404) {
      setText(notice, "This process is not alive (it exited, or never existed).");
    } else {
      setText(
        notice,
        `Cannot load the process: ${error && error.message ? error.message : error}`,
      );
    }
  } finally {
    state.detailBusy = false;
  }
}
