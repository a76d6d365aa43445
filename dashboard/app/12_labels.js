// beamlet dashboard: what a pid is shown as. Concatenated by scripts/build_dashboard.ts, in
// file-name order, into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

// The server gives `label` (registered name, else the supervisor child id such as
// "partition-0", else null); older servers only `name`. The labels seen are remembered
// (bounded) so that an event naming only a pid can show it too.
const labels = new Map();

/** What to show for a process record: its label, else its name, else its pid. */
function displayName(item) {
  if (!item || typeof item !== "object") return "";
  if (typeof item.label === "string" && item.label !== "") return item.label;
  if (typeof item.name === "string" && item.name !== "") return item.name;
  return item.pid === undefined || item.pid === null ? "" : String(item.pid);
}

/** Remembers `label` for `pid` (a pid string). */
function rememberLabel(pid, label) {
  if (typeof pid !== "string" || typeof label !== "string" || label === "") return;
  if (!labels.has(pid) && labels.size >= MAX_LABELS) labels.clear();
  labels.set(pid, label);
}

/** Remembers the label of every record of a list that has a pid. */
function rememberLabels(items) {
  if (!Array.isArray(items)) return;
  for (const item of items) {
    if (item && typeof item.pid === "string") {
      const label = typeof item.label === "string" && item.label !== ""
        ? item.label
        : typeof item.name === "string" && item.name !== ""
        ? item.name
        : undefined;
      if (label !== undefined) rememberLabel(item.pid, label);
    }
  }
}

/** The remembered label of a pid string, or undefined. */
function labelOfPid(pid) {
  return typeof pid === "string" ? labels.get(pid) : undefined;
}

/** A pid shown as "label #PID<…>" when a label is known, else the pid. */
function pidWithLabel(pid) {
  const label = labelOfPid(pid);
  return label === undefined || label === pid ? String(pid) : `${label} ${pid}`;
}
