/**
 * One call latency over a sliding window (internal): the samples of the
 * last `window` to `2 × window` ms, in two generations of histograms that
 * rotate as the clock passes — so the overview's p99 says how calls fare
 * now, not since the system started.
 *
 * @module
 */

import { ReferenceHistogramStore } from "../core/reference_histogram_store.ts";
import { Histogram } from "../metrics/histogram.ts";
import type { CallLatencySummary } from "./view_types.ts";

/** Samples of the last `window`..`2 × window` ms of one latency. */
export class LatencyWindow {
  readonly #window: number;
  /** One store for the three, so they merge. */
  readonly #store = new ReferenceHistogramStore();
  #current = new Histogram({ store: this.#store });
  #previous = new Histogram({ store: this.#store });
  readonly #scratch = new Histogram({ store: this.#store });
  /** When `#current` began (NaN before the first sample or read). */
  #start = Number.NaN;

  /** `window`: ms of the system clock (> 0). */
  constructor(window: number) {
    this.#window = window;
  }

  /** Records one sample taken at `now` (ms of the system clock). */
  record(value: number, now: number): void {
    this.#rotate(now);
    this.#current.record(value);
  }

  /** Count, p50, p95, p99 and max over the window as of `now`, or `null` without samples. */
  summary(now: number): CallLatencySummary | null {
    this.#rotate(now);
    const all = this.#scratch;
    all.reset();
    all.merge(this.#previous);
    all.merge(this.#current);
    if (all.count === 0) return null;
    return {
      count: all.count,
      p50: all.quantile(0.5),
      p95: all.quantile(0.95),
      p99: all.quantile(0.99),
      max: all.max,
    };
  }

  /** Releases the histograms. */
  free(): void {
    this.#current.free();
    this.#previous.free();
    this.#scratch.free();
  }

  #rotate(now: number): void {
    if (!Number.isFinite(now)) return;
    if (Number.isNaN(this.#start)) {
      this.#start = now;
      return;
    }
    const age = now - this.#start;
    if (age < this.#window) return;
    if (age >= 2 * this.#window) {
      this.#current.reset();
      this.#previous.reset();
      this.#start = now;
      return;
    }
    const older = this.#previous;
    older.reset();
    this.#previous = this.#current;
    this.#current = older;
    this.#start += this.#window;
  }
}
