/**
 * The TypeScript histogram store: the model the WebAssembly store is tested
 * against, and the fallback where WebAssembly cannot be compiled from bytes.
 * It follows the {@linkcode HistogramStore} contract number for number, with
 * one `Float64Array` per histogram (`_reference_histograms.ts`).
 *
 * @module
 */

import { HistogramTable } from "./_reference_histograms.ts";
import type { HistogramStore } from "./histogram_store.ts";

/**
 * Histograms in plain TypeScript: same interface and same numbers as the
 * WebAssembly store.
 *
 * @example Record and read
 * ```ts
 * import { HistogramStat, ReferenceHistogramStore } from "@beamlet/beamlet/core";
 *
 * const store = new ReferenceHistogramStore();
 * const h = store.histogramCreate();
 * store.histogramRecord(h, 7);
 * console.log(store.histogramStat(h, HistogramStat.Min)); // 7
 * ```
 */
export class ReferenceHistogramStore implements HistogramStore {
  /** Which implementation this is. */
  readonly kind = "reference" as const;
  readonly #histograms = new HistogramTable();

  /** Allocates an empty histogram: its handle (> 0), or Limit / OutOfMemory. */
  histogramCreate(): number {
    return this.#histograms.create();
  }

  /** Frees a histogram and its memory: Ok, or Stale. */
  histogramFree(handle: number): number {
    return this.#histograms.free(handle);
  }

  /** Live histograms. */
  histogramCount(): number {
    return this.#histograms.count;
  }

  /** Records a value `>= 0`: Ok, or Stale / BadArgument (NaN, negative, infinite; counted in `Invalid`). */
  histogramRecord(handle: number, value: number): number {
    return this.#histograms.record(handle, value);
  }

  /** A field (`HistogramStat`) of a histogram, or Stale / BadArgument (unknown field). */
  histogramStat(handle: number, field: number): number {
    return this.#histograms.stat(handle, field);
  }

  /** The nearest-rank `q`-quantile at bucket resolution; NaN when empty; or Stale / BadArgument. */
  histogramQuantile(handle: number, q: number): number {
    return this.#histograms.quantile(handle, q);
  }

  /** Samples `<= x` at bucket resolution (rounds up within x's bucket), or Stale / BadArgument (NaN). */
  histogramCountAtOrBelow(handle: number, x: number): number {
    return this.#histograms.countAtOrBelow(handle, x);
  }

  /** Adds every sample and the invalid count of `source` into `target`: Ok, or Stale. */
  histogramMerge(target: number, source: number): number {
    return this.#histograms.merge(target, source);
  }

  /** Forgets every sample and the invalid count: Ok, or Stale. */
  histogramReset(handle: number): number {
    return this.#histograms.reset(handle);
  }
}
