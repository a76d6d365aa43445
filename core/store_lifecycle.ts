/**
 * `init` of a histogram store: places the store in the memory (region.ts)
 * and sets up its empty histogram directory. The host calls it once, right
 * after instantiating the module over a memory, and before any other export.
 */

import { HISTOGRAM_FREE_HEAD, HISTOGRAM_FREE_TAIL, HISTOGRAM_STORE_HEADER_SIZE, NIL, OK } from "./layout";
import { seti32 } from "./header";
import { placeInstance } from "./region";

/**
 * Places and sets up a histogram store: OK, or BAD_STATE (already placed, or
 * not a beamlet memory), OUT_OF_MEMORY.
 */
export function init(): i32 {
  const placed = placeInstance(HISTOGRAM_STORE_HEADER_SIZE);
  if (placed != OK) return placed;
  seti32(HISTOGRAM_FREE_HEAD, NIL);
  seti32(HISTOGRAM_FREE_TAIL, NIL);
  return OK;
}
