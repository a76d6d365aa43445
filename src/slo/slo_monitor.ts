/**
 * Service level objectives over a system's telemetry: declared budgets
 * evaluated on sliding windows of the system clock, with alert and resolve
 * telemetry events and a status that is plain data.
 *
 * @module
 */

import type { HandlerId, Measurements, Metadata, TelemetryEvent } from "../telemetry/types.ts";
import type { Ref } from "../pid.ts";
import type { System } from "../system.ts";
import { type CheckedSlo, checkOptions, checkSlos } from "./_check.ts";
import { AlertHistory } from "./_alert_history.ts";
import { type Evaluation, SloTracker } from "./_slo_tracker.ts";
import { SLO_ALERT, SLO_RESOLVE, SLO_SAMPLES } from "../telemetry/catalog/slo_events.ts";
import type {
  SloAlertRecord,
  SloDeclaration,
  SloMonitorOptions,
  SloState,
  SloStatus,
} from "./types.ts";

let monitors = 0;

/**
 * Watches a system's SLOs. Built with its declarations, it attaches one
 * telemetry handler per event-based SLO (`latency`, `error_rate`) and
 * evaluates every SLO each `evaluationInterval` ms of the system clock
 * (a `mailbox_age` SLO takes its sample then), until `stop()`.
 *
 * An evaluation computes each SLO's burn rate over its window: the bad
 * fraction of its samples divided by the fraction its objective allows
 * (`1 - quantile`, or `1 - objective`) — 1 spends the error budget exactly
 * as fast as the window allows. With at least `minSamples` samples, a burn
 * rate above `burnRateThreshold` (default 1; with `shortWindow`, in both
 * windows) is `"breached"`, otherwise `"ok"`; fewer samples is `"no_data"`.
 * For a latency SLO, a burn rate above 1 is the same as the window's
 * `quantile` above `threshold` (counted exactly; `value` is the quantile from
 * a sketch within 1%).
 *
 * Entering `"breached"` executes {@linkcode SLO_ALERT_EVENT} once, leaving
 * it {@linkcode SLO_RESOLVE_EVENT} once; both are kept in a bounded history
 * (`alerts()`). Every evaluation also executes `beamlet.slo.samples` twice
 * per SLO (the good and the bad samples counted since the previous one),
 * which `beamletMetrics()` sums into `beamlet_slo_samples_count_total` for
 * Prometheus burn-rate rules (`@beamlet/beamlet/ops`). Declarations are checked at construction
 * ({@linkcode InvalidSloError}, {@linkcode DuplicateSloError}); a bad event
 * later (measurement missing, not finite or negative; a filter that throws)
 * is counted in `ignored`, never thrown into `telemetry.execute`.
 *
 * @example p95 of calls to "cache" below 5 ms over 5 minutes, paged on breach
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { SLO_ALERT_EVENT, SloMonitor } from "@beamlet/beamlet/slo";
 *
 * const system = new System();
 * system.telemetry.attach("pager", SLO_ALERT_EVENT, (_e, m, meta) => {
 *   console.log(`${String(meta.slo)}: p95 ${m.value} ms > ${m.threshold} ms`);
 * });
 * const monitor = new SloMonitor(system, {
 *   slos: [{
 *     name: "cache-p95",
 *     kind: "latency",
 *     event: ["beamlet", "call", "stop"],
 *     filter: { name: "cache" },
 *     quantile: 0.95,
 *     threshold: 5,
 *     window: 300_000,
 *   }, {
 *     name: "cache-queue",
 *     kind: "mailbox_age",
 *     target: "cache",
 *     threshold: 1000,
 *     window: 60_000,
 *   }],
 *   evaluationInterval: 1000,
 * });
 * console.log(monitor.status().map((s) => `${s.name}: ${s.state}`)); // ["cache-p95: no_data", ...]
 * monitor.stop();
 * ```
 */
export class SloMonitor {
  readonly #system: System;
  readonly #trackers: SloTracker[];
  readonly #history: AlertHistory;
  readonly #interval: number;
  readonly #handlerIds: HandlerId[] = [];
  #timer: Ref | undefined;
  #stopped = false;
  #evaluating = false;

  /**
   * Checks the declarations, attaches the handlers and arms the first
   * evaluation.
   *
   * @throws {InvalidSloError} for a malformed declaration or option.
   * @throws {DuplicateSloError} when two SLOs share a name.
   * @throws {TypeError} when `system` is not a system.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { SloMonitor } from "@beamlet/beamlet/slo";
   *
   * const system = new System();
   * const monitor = new SloMonitor(system, {
   *   slos: [{
   *     name: "calls-fail-rarely",
   *     kind: "error_rate",
   *     prefix: ["beamlet", "call"],
   *     objective: 0.999,
   *     window: 600_000,
   *   }],
   * });
   * monitor.stop();
   * ```
   */
  constructor(
    system: System,
    options: SloMonitorOptions & { readonly slos: readonly SloDeclaration[] },
  ) {
    if (
      typeof system !== "object" || system === null || typeof system.setTimer !== "function" ||
      typeof system.telemetry?.attachMany !== "function"
    ) {
      throw new TypeError("SloMonitor: system must be a System");
    }
    if (typeof options !== "object" || options === null) {
      throw new TypeError("SloMonitor: options must be an object with an slos array");
    }
    const slos = checkSlos(options.slos);
    const { evaluationInterval, historySize } = checkOptions(options);
    this.#system = system;
    this.#interval = evaluationInterval;
    this.#history = new AlertHistory(historySize);
    const now = system.now();
    this.#trackers = slos.map((slo) => new SloTracker(slo, now));
    const serial = ++monitors;
    try {
      for (const tracker of this.#trackers) {
        if (tracker.slo.events.length === 0) continue;
        const id = `beamlet.slo#${serial}/${tracker.slo.name}`;
        system.telemetry.attachMany(
          id,
          tracker.slo.events.map((e) => e.event),
          (event: TelemetryEvent, measurements: Measurements, metadata: Metadata) =>
            tracker.onEvent(system.now(), event, measurements, metadata),
        );
        this.#handlerIds.push(id);
      }
    } catch (error) {
      this.stop();
      throw error;
    }
    this.#arm();
  }

  /**
   * Evaluates every SLO now (sampling `mailbox_age` targets), executes the
   * alert and resolve events of the state changes, and answers the status.
   * The periodic evaluation calls this; call it yourself to evaluate between
   * ticks. After `stop()` (or from an alert handler, while an evaluation is
   * running) it evaluates nothing and answers the last status.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { SloMonitor } from "@beamlet/beamlet/slo";
   *
   * const system = new System();
   * const monitor = new SloMonitor(system, {
   *   slos: [{ name: "q", kind: "mailbox_age", target: "cache", threshold: 1000, window: 60_000 }],
   * });
   * console.log(monitor.evaluate()[0].samples); // 0: no process named "cache"
   * monitor.stop();
   * ```
   */
  evaluate(): SloStatus[] {
    if (this.#stopped || this.#evaluating) return this.status();
    this.#evaluating = true;
    try {
      const now = this.#system.now();
      for (const tracker of this.#trackers) {
        if (this.#stopped) break; // an alert handler stopped the monitor
        if (tracker.slo.kind === "mailbox_age") tracker.sampleMailbox(this.#system, now);
        const evaluation = tracker.evaluate(now);
        const previous = tracker.state;
        tracker.last = evaluation;
        tracker.evaluatedAt = now;
        this.#reportSamples(tracker);
        if (evaluation.state === previous) continue;
        tracker.state = evaluation.state;
        tracker.since = now;
        if (evaluation.state === "breached") this.#announce("alert", tracker, evaluation, now);
        else if (previous === "breached") this.#announce("resolve", tracker, evaluation, now);
      }
    } finally {
      this.#evaluating = false;
    }
    return this.status();
  }

  /**
   * Every SLO as of the last evaluation, in declaration order: plain data
   * (see {@linkcode SloStatus}). It evaluates nothing.
   *
   * @example Serving SLOs as JSON
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { SloMonitor } from "@beamlet/beamlet/slo";
   *
   * const system = new System();
   * const monitor = new SloMonitor(system, {
   *   slos: [{ name: "q", kind: "mailbox_age", target: "cache", threshold: 1000, window: 60_000 }],
   * });
   * const body = JSON.stringify(monitor.status());
   * monitor.stop();
   * ```
   */
  status(): SloStatus[] {
    const history = this.#history.list();
    return this.#trackers.map((tracker): SloStatus => {
      const { slo, last } = tracker;
      return {
        name: slo.name,
        kind: slo.kind,
        state: tracker.state,
        burnRate: last.burnRate,
        shortBurnRate: last.shortBurnRate,
        burnRateThreshold: slo.burnRateThreshold,
        value: last.value,
        shortValue: last.shortValue,
        threshold: slo.threshold,
        objective: slo.objective,
        window: slo.window,
        shortWindow: shortWindowOf(slo),
        samples: last.samples,
        badSamples: last.bad,
        ignored: tracker.ignored,
        since: tracker.since,
        evaluatedAt: tracker.evaluatedAt,
        recentAlerts: history.filter((record) => record.slo === slo.name),
      };
    });
  }

  /**
   * The newest `limit` alert and resolve records (default: all kept, at most
   * `historySize`), oldest first.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { SloMonitor } from "@beamlet/beamlet/slo";
   *
   * const system = new System();
   * const monitor = new SloMonitor(system, { slos: [], historySize: 10 });
   * console.log(monitor.alerts(5)); // []
   * monitor.stop();
   * ```
   */
  alerts(limit?: number): SloAlertRecord[] {
    return this.#history.list(limit);
  }

  /**
   * Whether `stop()` was called.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { SloMonitor } from "@beamlet/beamlet/slo";
   *
   * const monitor = new SloMonitor(new System(), { slos: [] });
   * monitor.stop();
   * console.log(monitor.stopped); // true
   * ```
   */
  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * Detaches the handlers, cancels the pending evaluation and releases the
   * windows: nothing of the monitor is left in the system. `status()` and
   * `alerts()` keep answering the last evaluation. Idempotent.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { SloMonitor } from "@beamlet/beamlet/slo";
   *
   * const system = new System();
   * const monitor = new SloMonitor(system, {
   *   slos: [{ name: "p99", kind: "latency", event: ["beamlet", "call", "stop"], quantile: 0.99, threshold: 10, window: 60_000 }],
   * });
   * monitor.stop();
   * console.log(system.telemetry.listHandlers().length); // 0
   * ```
   */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer !== undefined) this.#system.cancelTimer(this.#timer);
    this.#timer = undefined;
    for (const id of this.#handlerIds) this.#system.telemetry.detach(id);
    this.#handlerIds.length = 0;
    for (const tracker of this.#trackers) tracker.free();
  }

  #arm(): void {
    this.#timer = this.#system.setTimer(this.#interval, () => {
      this.#timer = undefined;
      if (this.#stopped) return;
      this.#arm();
      this.evaluate();
    });
  }

  /** `beamlet.slo.samples`, good then bad, since the previous report (0 included). */
  #reportSamples(tracker: SloTracker): void {
    const { totals, slo } = tracker;
    const good = totals.good - totals.reportedGood;
    const bad = totals.bad - totals.reportedBad;
    totals.reportedGood = totals.good;
    totals.reportedBad = totals.bad;
    const telemetry = this.#system.telemetry;
    telemetry.execute(SLO_SAMPLES, { count: good }, {
      slo: slo.name,
      kind: slo.kind,
      outcome: "good",
    });
    telemetry.execute(SLO_SAMPLES, { count: bad }, {
      slo: slo.name,
      kind: slo.kind,
      outcome: "bad",
    });
  }

  #announce(
    type: "alert" | "resolve",
    tracker: SloTracker,
    evaluation: Evaluation,
    now: number,
  ): void {
    const { slo } = tracker;
    const state: SloState = evaluation.state;
    const record: SloAlertRecord = Object.freeze({
      type,
      slo: slo.name,
      kind: slo.kind,
      at: now,
      state,
      burnRate: evaluation.burnRate,
      shortBurnRate: evaluation.shortBurnRate,
      burnRateThreshold: slo.burnRateThreshold,
      value: evaluation.value,
      shortValue: evaluation.shortValue,
      threshold: slo.threshold,
      window: slo.window,
      shortWindow: shortWindowOf(slo),
    });
    this.#history.push(record);
    this.#system.telemetry.execute(
      type === "alert" ? SLO_ALERT : SLO_RESOLVE,
      {
        burn_rate: evaluation.burnRate,
        value: evaluation.value,
        threshold: slo.threshold,
        samples: evaluation.samples,
      },
      { slo: slo.name, kind: slo.kind, window: slo.window, state },
    );
  }
}

/** The short window as evaluated (whole sub-windows), `undefined` without one. */
function shortWindowOf(slo: CheckedSlo): number | undefined {
  return slo.shortSlots > 0 ? slo.shortSlots * slo.slotMs : undefined;
}

/**
 * Starts an {@linkcode SloMonitor} over `slos`: the same as
 * `new SloMonitor(system, { ...options, slos })`.
 *
 * @example
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { monitorSlos } from "@beamlet/beamlet/slo";
 *
 * const system = new System();
 * const monitor = monitorSlos(system, [
 *   { name: "queue", kind: "mailbox_age", target: "cache", threshold: 1000, window: 60_000 },
 * ], { evaluationInterval: 5000 });
 * monitor.stop();
 * ```
 */
export function monitorSlos(
  system: System,
  slos: readonly SloDeclaration[],
  options: SloMonitorOptions = {},
): SloMonitor {
  return new SloMonitor(system, { ...options, slos });
}
