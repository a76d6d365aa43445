/**
 * One SLO at run time: its sliding window, how events and samples enter it,
 * and what an evaluation finds. The monitor owns the state transitions.
 *
 * @module
 */

import type { Measurements, Metadata, TelemetryEvent } from "../telemetry/types.ts";
import type { System } from "../system.ts";
import type { CheckedSlo } from "./_check.ts";
import { SlidingWindow } from "./_sliding_window.ts";
import type { SloState } from "./types.ts";

/** @internal What one evaluation of an SLO finds. */
export interface Evaluation {
  readonly state: SloState;
  readonly burnRate: number;
  readonly shortBurnRate: number | undefined;
  readonly value: number;
  /** The value over the short window (`undefined` without one). */
  readonly shortValue: number | undefined;
  readonly samples: number;
  readonly bad: number;
}

// Burn rates within this relative margin of the threshold are on budget, not over:
// 1 - 0.9 is 0.09999999999999998, so 10 bad samples in 100 would burn at 1.0000000000000002.
const TOLERANCE = 1e-9;

/** @internal See the module doc. */
export class SloTracker {
  readonly slo: CheckedSlo;
  readonly #window: SlidingWindow;
  ignored = 0;
  /** Good and bad samples since the start, and up to the last `beamlet.slo.samples` report. */
  readonly totals = { good: 0, bad: 0, reportedGood: 0, reportedBad: 0 };
  state: SloState = "no_data";
  since: number;
  evaluatedAt: number | undefined = undefined;
  last: Evaluation = {
    state: "no_data",
    burnRate: 0,
    shortBurnRate: undefined,
    value: NaN,
    shortValue: undefined,
    samples: 0,
    bad: 0,
  };

  constructor(slo: CheckedSlo, now: number) {
    this.slo = slo;
    this.since = now;
    this.#window = new SlidingWindow(slo.buckets, slo.slotMs, slo.kind !== "error_rate");
  }

  /**
   * Takes one telemetry event. Never throws: the emitter must not see an
   * SLO's trouble, and a throwing handler would be detached.
   */
  onEvent(
    now: number,
    event: TelemetryEvent,
    measurements: Measurements,
    metadata: Metadata,
  ): void {
    const { slo } = this;
    try {
      if (slo.filter !== undefined && slo.filter(metadata) !== true) return;
      if (slo.kind === "error_rate") {
        this.#record(now, event[event.length - 1] === "exception", 0);
        return;
      }
      const value = measurements[slo.measurement!];
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        this.ignored++;
        return;
      }
      this.#record(now, value > slo.threshold, value);
    } catch {
      this.ignored++;
    }
  }

  /** Samples the mailbox of a `mailbox_age` SLO's target; no sample while it is not alive. */
  sampleMailbox(system: System, now: number): void {
    try {
      const age = system.processInfo(this.slo.target!)?.oldestMessageAgeMs;
      if (typeof age !== "number" || !(age >= 0)) return;
      this.#record(now, age > this.slo.threshold, age);
    } catch {
      // A malformed via registry, or no room for a histogram: no sample this time.
    }
  }

  /** The window as of `now`: burn rates, value, state. */
  evaluate(now: number): Evaluation {
    const { slo } = this;
    const allowed = 1 - slo.objective;
    const { samples, bad } = this.#window.tally(now);
    const burnRate = samples === 0 ? 0 : bad / samples / allowed;
    let shortBurnRate: number | undefined;
    let shortValue: number | undefined;
    if (slo.shortSlots > 0) {
      const short = this.#window.tally(now, slo.shortSlots);
      shortBurnRate = short.samples === 0 ? 0 : short.bad / short.samples / allowed;
      shortValue = slo.kind === "error_rate"
        ? (short.samples === 0 ? NaN : short.bad / short.samples)
        : this.#quantile(now, slo.shortSlots);
    }
    const value = slo.kind === "error_rate"
      ? (samples === 0 ? NaN : bad / samples)
      : this.#quantile(now, slo.buckets);
    const over = slo.burnRateThreshold * (1 + TOLERANCE);
    const state: SloState = samples < slo.minSamples
      ? "no_data"
      : burnRate > over && (shortBurnRate === undefined || shortBurnRate > over)
      ? "breached"
      : "ok";
    return { state, burnRate, shortBurnRate, value, shortValue, samples, bad };
  }

  #record(now: number, bad: boolean, value: number): void {
    this.#window.record(now, bad, value);
    if (bad) this.totals.bad++;
    else this.totals.good++;
  }

  #quantile(now: number, slots: number): number {
    try {
      return this.#window.quantile(now, this.slo.objective, slots);
    } catch {
      return NaN; // no room for the scratch histogram: the counts still decide the state
    }
  }

  /** Releases the window's histograms. */
  free(): void {
    this.#window.free();
  }
}
