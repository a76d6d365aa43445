/**
 * The core that holds every {@linkcode Histogram} created without a `core`
 * option: one per realm, made on first use so importing metrics costs nothing.
 *
 * @module
 */

import type { Core } from "../core/core.ts";
import { createCore } from "../core/create_core.ts";

let shared: Core | undefined;

/**
 * The shared histogram core, created by the first call.
 *
 * @example Two default histograms share one core
 * ```ts
 * import { defaultHistogramCore } from "./_default_histogram_store.ts";
 *
 * console.log(defaultHistogramCore() === defaultHistogramCore()); // true
 * ```
 */
export function defaultHistogramCore(): Core {
  shared ??= createCore();
  return shared;
}
