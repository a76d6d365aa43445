/**
 * The host's memory for the overview and its history (internal): the JS
 * heap in use, as the runtime reports it (`src/_host.ts`: Deno's or Node's
 * and Bun's `memoryUsage().heapUsed`), else where the host says it in a
 * web-standard way (`performance.memory.usedJSHeapSize`, Chromium), else
 * `null`.
 *
 * @module
 */

import { hostHeapUsed } from "../_host.ts";

/** Bytes of JS heap in use, or `null` when the host does not say. */
export function hostMemoryBytes(): number | null {
  const heap = hostHeapUsed();
  if (heap !== undefined) return heap;
  try {
    const memory = (globalThis.performance as { memory?: { usedJSHeapSize?: unknown } } | undefined)
      ?.memory;
    const used = memory?.usedJSHeapSize;
    return typeof used === "number" && Number.isFinite(used) && used >= 0 ? used : null;
  } catch {
    return null;
  }
}
