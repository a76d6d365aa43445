// beamlet dashboard: SLOs and alerts. Concatenated by scripts/build_dashboard.ts, in file-name
// order, into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

// An SLO with a short window breaches only while BOTH windows burn above its threshold, and
// resolves as soon as the short one stops: so "ok" beside a long-window value over the
// threshold is right, and the rows below say so, showing both windows' burn and value.

/** "30 s", "5 min", "1 h" for a window in ms. */
function fmtWindow(ms) {
  if (!isNum(ms)) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${+s.toFixed(1)} s`;
  if (s < 7200) return `${+(s / 60).toFixed(1)} min`;
  if (s < 172_800) return `${+(s / 3600).toFixed(1)} h`;
  return `${+(s / 86400).toFixed(1)} d`;
}

function fmtBurn(v) {
  return isNum(v) ? (v < 10 ? v.toFixed(2) : v.toFixed(1)) : "–";
}

/** What the value measures: "p95", "p90 mailbox age", "errors". */
function sloMeasure(s) {
  if (s.kind === "error_rate") return "errors";
  const pct = isNum(s.objective) ? `p${+(s.objective * 100).toFixed(2)}` : "quantile";
  return s.kind === "mailbox_age" ? `${pct} mailbox age` : pct;
}

function sloValue(s, v) {
  if (!isNum(v)) return "–";
  return s.kind === "error_rate" ? `${(v * 100).toFixed(2)}%` : fmtMs(v);
}

/** "p95 1832 ms > 250 ms over 30 s" (no comparison without a value). */
function sloValueText(s) {
  const over = isNum(s.value) && isNum(s.threshold)
    ? (s.value > s.threshold ? " > " : " ≤ ")
    : " vs ";
  return `${sloMeasure(s)} ${sloValue(s, s.value)}${over}${sloValue(s, s.threshold)} over ${
    fmtWindow(s.window)
  }`;
}

/** "burn 2.78 over 30 s, 0.00 over 6 s (alerts when both > 1.0)" */
function sloBurnText(s) {
  const short = isNum(s.shortWindow) || isNum(s.shortBurnRate);
  const limit = isNum(s.burnRateThreshold) ? fmtBurn(s.burnRateThreshold) : undefined;
  let text = `burn ${fmtBurn(s.burnRate)}`;
  if (short) {
    text += ` over ${fmtWindow(s.window)}, ${fmtBurn(s.shortBurnRate)} over ${
      fmtWindow(s.shortWindow)
    }`;
    if (limit !== undefined) text += ` (alerts when both > ${limit})`;
  } else if (limit !== undefined) {
    text += ` (alerts at > ${limit})`;
  }
  return text;
}

/** Why the state is what it is, when the numbers alone could mislead. */
function sloWhy(s) {
  const limit = isNum(s.burnRateThreshold) ? s.burnRateThreshold : undefined;
  const shortWindow = fmtWindow(s.shortWindow);
  if (s.state === "ok" && limit !== undefined && isNum(s.burnRate) && s.burnRate > limit) {
    const value = isNum(s.shortValue) ? ` (${sloValue(s, s.shortValue)})` : "";
    return `ok because the last ${shortWindow} are within budget${value}; the ${
      fmtWindow(s.window)
    } window still holds the earlier burn`;
  }
  if (s.state === "breached") {
    return isNum(s.shortBurnRate)
      ? `error budget burning too fast over both ${fmtWindow(s.window)} and ${shortWindow}`
      : `error budget burning too fast over ${fmtWindow(s.window)}`;
  }
  if (s.state === "no_data") return "not enough samples in the window to judge";
  return "";
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
      const stateText = String(s.state).replace("_", " ");
      const summary = `${stateText} · ${sloValueText(s)} · ${sloBurnText(s)}`;
      const facts = [`${fmtInt(s.samples)} samples`];
      if (isNum(s.badSamples)) facts.push(`${fmtInt(s.badSamples)} bad`);
      if (isNum(s.shortWindow) && isNum(s.shortValue)) {
        facts.push(
          `${sloMeasure(s)} ${sloValue(s, s.shortValue)} over ${fmtWindow(s.shortWindow)}`,
        );
      }
      const why = sloWhy(s);
      const item = el(
        "li",
        { className: `slo ${pick(s.state, SLO_STATES, "slo-")}`, testid: "slo-row" },
        el(
          "div",
          { className: "slo-head" },
          el("span", { className: "dot" }),
          el("span", { className: "slo-name", text: s.name }),
          el("span", { className: "chip", text: stateText, testid: "slo-state" }),
        ),
        el("div", { className: "slo-summary", text: summary, testid: "slo-summary" }),
        el("div", { className: "meta", text: facts.join(" · ") }),
        why ? el("div", { className: "meta slo-why", text: why, testid: "slo-why" }) : null,
      );
      item.setAttribute("data-state", SLO_STATES.includes(s.state) ? s.state : "other");
      return item;
    }),
  );
}

function renderAlerts(alerts, slos) {
  const objectives = new Map();
  for (const s of slos || []) if (s && isNum(s.objective)) objectives.set(s.name, s.objective);
  const list = $("alerts");
  if (!list) return;
  if (alerts.length === 0) {
    list.replaceChildren(el("li", { className: "meta", text: "no alerts" }));
    return;
  }
  list.replaceChildren(
    ...alerts.slice().reverse().map((record) => {
      // A record names its SLO's quantile only through the SLO (when it is still declared).
      const a = isNum(record.objective) || !objectives.has(record.slo)
        ? record
        : { ...record, objective: objectives.get(record.slo) };
      const entered = String(a.state).replace("_", " ");
      let text = `→ ${entered} · ${sloBurnText(a)} · ${sloValueText(a)}`;
      if (
        a.type === "resolve" && a.state === "ok" && isNum(a.burnRateThreshold) &&
        isNum(a.burnRate) && a.burnRate > a.burnRateThreshold
      ) {
        text += ` · resolved by the ${fmtWindow(a.shortWindow)} window`;
      }
      return el(
        "li",
        { className: a.type === "alert" ? "alert" : "resolve", testid: "alert-row" },
        el("span", { className: "time", text: fmtClock(a.at) }),
        el("span", { className: "chip", text: a.type === "alert" ? "alert" : "resolve" }),
        el("span", { className: "slo-name", text: a.slo }),
        el("span", { className: "meta", text }),
      );
    }),
  );
}
