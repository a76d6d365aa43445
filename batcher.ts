/**
 * Batching, as OTP practice does it with `send_after`: a {@linkcode Batcher}
 * is a process that accumulates items and flushes them every `interval` ms or
 * at `maxItems` items, whichever comes first — optionally coalescing items by
 * key (latest wins, or a `merge` function), retrying a flush that fails, and
 * flushing everything it accepted when it stops, also when its supervisor
 * stops it. Nothing accepted is dropped silently: every item is flushed, or
 * counted failed (and reported) or lost (killed); every refused item is
 * counted.
 *
 * | API | what |
 * | --- | --- |
 * | `Batcher.start(system, options)` | starts one; resolves with its handle |
 * | `Batcher.childSpec(options)` | a supervisor child, with its handle as `.batcher` |
 * | `b.add(item)` | adds; `false` when refused (bound, bad key, not running) |
 * | `b.addAndWait(item)` | resolves when its batch is flushed, rejects with a named error |
 * | `b.flush()` / `b.stop()` | flush now / flush everything and stop |
 * | `b.stats()` | `received`, `coalesced`, `flushed`, `flushes`, `failedFlushes`, `retries`, `pending`, `refused`, `failed`, `lost` |
 *
 * Telemetry: `beamlet.batcher.flush` per batch, `beamlet.batcher.refused`
 * per refused item (see `@beamlet/beamlet/telemetry`).
 *
 * @example A batcher under a supervisor
 * ```ts
 * import { Supervisor, System } from "@beamlet/beamlet";
 * import { Batcher } from "@beamlet/beamlet/batcher";
 *
 * const writes = Batcher.childSpec({
 *   id: "writes",
 *   maxItems: 100,
 *   interval: 50,
 *   key: (row: { id: number; total: number }) => row.id,
 *   flush: async (rows) => console.log("INSERT", rows.length, "rows"),
 *   retry: { attempts: 3, backoff: 100 },
 *   shutdown: 10_000,
 * });
 * const system = new System();
 * await Supervisor.start(system, [writes]);
 * writes.batcher.add({ id: 1, total: 10 });
 * writes.batcher.add({ id: 1, total: 12 }); // coalesced with the first
 * await system.stopAll(); // INSERT 1 rows
 * console.log(writes.batcher.stats().flushed); // 1
 * ```
 *
 * @module
 */

export { Batcher, type BatcherChildSpec } from "./src/batcher/batcher.ts";
export type {
  BatcherChildSpecOptions,
  BatcherOptions,
  BatcherStats,
  FlushInfo,
  FlushTrigger,
  RetryOptions,
} from "./src/batcher/options.ts";
export {
  BatcherError,
  BatcherFullError,
  BatcherItemError,
  BatcherStoppedError,
  BatchFlushError,
  FlushTimeoutError,
} from "./src/batcher/errors.ts";
