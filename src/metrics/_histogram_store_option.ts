/**
 * The `store` option of histograms and metrics (internal), with the `core`
 * option it replaces: a scheduler core holds no histograms any more, so a
 * `core` counts only when it is itself a histogram store.
 *
 * @module
 */

import type { HistogramStore } from "../core/histogram_store.ts";

/** The store `options` names (`store`, else a `core` that is a store), or undefined. */
export function storeOption(
  options: { readonly store?: HistogramStore; readonly core?: object },
  owner: string,
): HistogramStore | undefined {
  const { store, core } = options;
  if (store !== undefined) {
    if (!isHistogramStore(store)) {
      throw new TypeError(`${owner}: store must be a HistogramStore (see createHistogramStore)`);
    }
    return store;
  }
  return isHistogramStore(core) ? core : undefined;
}

function isHistogramStore(value: unknown): value is HistogramStore {
  return typeof value === "object" && value !== null &&
    typeof (value as HistogramStore).histogramCreate === "function" &&
    typeof (value as HistogramStore).histogramRecord === "function";
}
