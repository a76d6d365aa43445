/**
 * Memories for WebAssembly cores. Every WebAssembly instance of the core
 * imports its memory; pass one memory to several {@linkcode createCore} calls
 * (or to Workers, when it is shared) and they all live in it side by side.
 *
 * How instances share a memory: a 16-byte directory at the start of the
 * memory holds a top pointer; each instance claims *chunks* above it with an
 * atomic compare-and-swap (growing the memory first, so a claimed chunk is
 * always backed) and keeps its header and every block it allocates inside its
 * own chunks. Nobody reserves a region up front, so instances grow
 * independently until the memory's maximum; the limits:
 *
 * - all instances share the memory's maximum (at most 4 GiB): one that grows
 *   can leave another `OutOfMemory` — never corrupt it;
 * - chunks are never given back: an instance's footprint is its peak, and a
 *   dropped instance's chunks stay claimed until the memory is dropped (a
 *   WebAssembly memory never shrinks anyway);
 * - one instance is driven by one thread at a time; only the directory is
 *   touched concurrently;
 * - a memory must hold beamlet instances only: an instance refuses a memory
 *   whose directory holds something else ({@linkcode CoreError} with
 *   `codeName` `"BadState"`), but cannot detect other writes into its chunks.
 *
 * The layouts are drawn in `core/region.ts` and the generated `core/layout.ts`.
 *
 * @module
 */

import { MAX_MEMORY_PAGES } from "./_layout.ts";

/**
 * Options of {@linkcode createCoreMemory}.
 *
 * @example A shared memory of at most 1 GiB
 * ```ts
 * import type { CoreMemoryOptions } from "@beamlet/beamlet/core";
 *
 * const options: CoreMemoryOptions = { shared: true, maximumPages: 16384 };
 * ```
 */
export interface CoreMemoryOptions {
  /**
   * `true`: a shared memory (its buffer a `SharedArrayBuffer`) that Workers
   * can be handed; `false`: an unshared one; `"auto"` (default): shared where
   * the host allows it, else unshared.
   */
  readonly shared?: boolean | "auto";
  /** Pages (64 KiB) to start with: an integer in `1..maximumPages` (default 1). */
  readonly initialPages?: number;
  /**
   * Most pages the memory may grow to: an integer in `1..65536` (default
   * 65536, 4 GiB). A shared memory reserves this much address space up front
   * on most hosts.
   */
  readonly maximumPages?: number;
}

function pagesOf(value: unknown, fallback: number, low: number, name: string): number {
  const pages = value ?? fallback;
  if (
    typeof pages !== "number" || !Number.isInteger(pages) || pages < low ||
    pages > MAX_MEMORY_PAGES
  ) {
    throw new RangeError(
      `createCoreMemory: ${name} must be an integer in ${low}..${MAX_MEMORY_PAGES}, got ${
        String(pages)
      }`,
    );
  }
  return pages;
}

/**
 * A `WebAssembly.Memory` that WebAssembly cores can be placed in, several of
 * them side by side.
 *
 * @throws {TypeError} when `shared` is not a boolean or `"auto"`, or is `true`
 *   on a host that cannot create a shared memory.
 * @throws {RangeError} when a page count is not an integer in range.
 *
 * @example Two scheduler cores in one memory
 * ```ts
 * import { createCore, createCoreMemory } from "@beamlet/beamlet/core";
 *
 * const memory = createCoreMemory();
 * const a = createCore({ implementation: "wasm", memory });
 * const b = createCore({ implementation: "wasm", memory });
 * a.spawn(4, 100, 0, 1);
 * console.log(a.actorCount(), b.actorCount()); // 1 0
 * ```
 *
 * @example One memory for several Workers
 * ```ts
 * import { createCoreMemory } from "@beamlet/beamlet/core";
 *
 * const memory = createCoreMemory({ shared: true, maximumPages: 16384 });
 * // worker.postMessage(memory): each Worker calls createCore({ memory })
 * ```
 */
export function createCoreMemory(options: CoreMemoryOptions = {}): WebAssembly.Memory {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("createCoreMemory: options must be an object");
  }
  const shared = options.shared ?? "auto";
  if (shared !== true && shared !== false && shared !== "auto") {
    throw new TypeError(
      `createCoreMemory: shared must be true, false or "auto", got ${String(shared)}`,
    );
  }
  const maximum = pagesOf(options.maximumPages, MAX_MEMORY_PAGES, 1, "maximumPages");
  const initial = pagesOf(options.initialPages, 1, 1, "initialPages");
  if (initial > maximum) {
    throw new RangeError(
      `createCoreMemory: initialPages (${initial}) must not exceed maximumPages (${maximum})`,
    );
  }
  if (shared !== false) {
    try {
      const memory = new WebAssembly.Memory({ initial, maximum, shared: true });
      if (typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer) {
        return memory;
      }
      if (shared === true) throw new Error("the memory's buffer is not a SharedArrayBuffer");
    } catch (error) {
      if (shared === true) {
        throw new TypeError("createCoreMemory: this host cannot create a shared memory", {
          cause: error,
        });
      }
    }
  }
  return new WebAssembly.Memory({ initial, maximum });
}
