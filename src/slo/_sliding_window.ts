/**
 * A window sliding on a clock, cut in equal sub-windows (slots) in a ring:
 *
 * ```
 * time ──▶     slot epoch = floor(now / slotMs)
 * ┌──────┬──────┬──────┬──────┐
 * │ e=8  │ e=9  │ e=6  │ e=7  │   ring[epoch % buckets]
 * └──────┴──────┴──────┴──────┘
 *   now in epoch 9: live slots are epochs 6..9; a slot whose epoch is
 *   older is stale and reset before it is written again.
 * ```
 *
 * Each slot counts good and bad samples and, if asked, keeps a
 * `Histogram` of their values (32 KiB each, in the window's histogram store,
 * made on the slot's first sample). Nothing runs on a timer: a slot is recycled when a
 * sample lands in it, and a read skips stale slots.
 *
 * @module
 */

import { createHistogramStore } from "../core/create_histogram_store.ts";
import type { HistogramStore } from "../core/histogram_store.ts";
import { Histogram } from "../metrics/histogram.ts";

interface Slot {
  epoch: number;
  good: number;
  bad: number;
  histogram: Histogram | undefined;
}

/** @internal Good/bad counts over the last `slots` sub-windows. */
export interface Tally {
  samples: number;
  bad: number;
}

/** @internal See the module doc. */
export class SlidingWindow {
  readonly #slotMs: number;
  readonly #ring: Slot[];
  readonly #withHistograms: boolean;
  #scratch: Histogram | undefined;
  /** Holds the slots' histograms and the scratch one, so they can be merged. */
  #store: HistogramStore | undefined;

  /** Histograms are made on a slot's first sample, so an idle SLO holds none. */
  constructor(buckets: number, slotMs: number, withHistograms: boolean) {
    this.#slotMs = slotMs;
    this.#withHistograms = withHistograms;
    this.#ring = Array.from({ length: buckets }, () => ({
      epoch: -Infinity,
      good: 0,
      bad: 0,
      histogram: undefined,
    }));
  }

  /** Counts a sample at time `now`; its `value` goes into the slot's histogram, if kept. */
  record(now: number, bad: boolean, value: number): void {
    const epoch = this.#epoch(now);
    const slot = this.#ring[epoch % this.#ring.length];
    if (slot.epoch !== epoch) {
      slot.epoch = epoch;
      slot.good = 0;
      slot.bad = 0;
      slot.histogram?.reset();
    }
    if (this.#withHistograms) (slot.histogram ??= this.#histogram()).record(value);
    if (bad) slot.bad++;
    else slot.good++;
  }

  /** Counts over the newest `slots` sub-windows as of `now` (all of them by default). */
  tally(now: number, slots: number = this.#ring.length): Tally {
    const newest = this.#epoch(now);
    const tally: Tally = { samples: 0, bad: 0 };
    for (const slot of this.#ring) {
      if (slot.epoch <= newest - slots || slot.epoch > newest) continue;
      tally.samples += slot.good + slot.bad;
      tally.bad += slot.bad;
    }
    return tally;
  }

  /**
   * The `q` quantile of the values of the newest `slots` sub-windows as of `now` (all of them
   * by default); NaN when empty or without histograms.
   */
  quantile(now: number, q: number, slots: number = this.#ring.length): number {
    if (!this.#withHistograms) return NaN;
    const newest = this.#epoch(now);
    const scratch = (this.#scratch ??= this.#histogram());
    scratch.reset();
    for (const slot of this.#ring) {
      if (slot.epoch <= newest - slots || slot.epoch > newest) continue;
      if (slot.histogram !== undefined && slot.good + slot.bad > 0) scratch.merge(slot.histogram);
    }
    return scratch.count === 0 ? NaN : scratch.quantile(q);
  }

  /** Releases the histograms (WASM memory); the window must not be used after. */
  free(): void {
    for (const slot of this.#ring) {
      slot.histogram?.free();
      slot.histogram = undefined;
    }
    this.#scratch?.free();
    this.#scratch = undefined;
  }

  #histogram(): Histogram {
    return new Histogram({ store: this.#store ??= createHistogramStore() });
  }

  #epoch(now: number): number {
    // Clocks may start below 0 (performance.now() never does, a test clock might).
    return Math.max(0, Math.floor(now / this.#slotMs));
  }
}
