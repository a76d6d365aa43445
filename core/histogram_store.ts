/**
 * The exports of the beamlet histogram store module, named like the methods
 * of the `HistogramStore` interface in `src/core/histogram_store.ts`. No
 * logic lives here; `init` places the store in its memory (region.ts), where
 * it may sit next to scheduler cores and other stores.
 */

export { init } from "./store_lifecycle";
export { instanceId } from "./region";
export { histogramCount, histogramCreate, histogramFree } from "./histogram_table";
export {
  histogramCountAtOrBelow, histogramMerge, histogramQuantile, histogramRecord, histogramReset,
  histogramStat,
} from "./histogram";
