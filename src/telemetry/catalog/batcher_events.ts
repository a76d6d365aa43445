/**
 * The events of the Batcher (`@beamlet/beamlet/batcher`): every batch's
 * outcome, and every item refused.
 *
 * @module
 */

import { defineEvent, type EventDefinition } from "../define_event.ts";

/**
 * Measurements of `beamlet.batcher.flush`.
 *
 * @example
 * ```ts
 * import type { BatcherFlushMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: BatcherFlushMeasurements = { items: 100, duration: 12.5, attempts: 1 };
 * ```
 */
export type BatcherFlushMeasurements = {
  /** Items in the batch. */
  readonly items: number;
  /** From the start of its first attempt to the end of its last, backoffs included, ms. */
  readonly duration: number;
  /** Attempts made (1 when the first succeeded). */
  readonly attempts: number;
};

/**
 * Metadata of `beamlet.batcher.flush`.
 *
 * @example
 * ```ts
 * import type { BatcherFlushMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const line = (meta: BatcherFlushMetadata) => `${meta.batcher} ${meta.trigger} ${meta.ok}`;
 * ```
 */
export type BatcherFlushMetadata = {
  /** The batcher (its name, or its pid printed). */
  readonly batcher: string;
  /** What started the batch's flush. */
  readonly trigger: "size" | "interval" | "manual" | "shutdown";
  /** Whether the batch was flushed (false: its last attempt failed; the items are counted failed). */
  readonly ok: boolean;
};

/**
 * `beamlet.batcher.flush`: one per batch, when it is flushed or its last
 * attempt has failed.
 *
 * @example Batch sizes per batcher
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { BATCHER_FLUSH } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("batch-sizes", BATCHER_FLUSH, (_e, m, meta) => {
 *   if (!meta.ok) console.warn(`${meta.batcher}: ${m.items} items failed`);
 * });
 * ```
 */
export const BATCHER_FLUSH: EventDefinition<BatcherFlushMeasurements, BatcherFlushMetadata> =
  defineEvent(["beamlet", "batcher", "flush"], {
    description: "A Batcher's batch was flushed, or its last attempt failed: one event per batch.",
    measurements: { items: "count", duration: "millisecond", attempts: "count" },
    metadata: {
      batcher: "the batcher's name, or its pid printed",
      trigger: "what started the flush (size, interval, manual, shutdown)",
      ok: "true when flushed, false when the last attempt failed",
    },
  });

/**
 * Measurements of `beamlet.batcher.refused`.
 *
 * @example
 * ```ts
 * import type { BatcherRefusedMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: BatcherRefusedMeasurements = { count: 1, pending: 10_000 };
 * ```
 */
export type BatcherRefusedMeasurements = {
  /** Always 1. */
  readonly count: number;
  /** Items pending at the time. */
  readonly pending: number;
};

/**
 * Metadata of `beamlet.batcher.refused`.
 *
 * @example
 * ```ts
 * import type { BatcherRefusedMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const full = (meta: BatcherRefusedMetadata) => meta.reason === "full";
 * ```
 */
export type BatcherRefusedMetadata = {
  /** The batcher (its name, or its pid printed). */
  readonly batcher: string;
  /** Why: at its `maxPending` bound, its `key` or `merge` threw, or not running. */
  readonly reason: "full" | "key" | "merge" | "stopped";
};

/**
 * `beamlet.batcher.refused`: an item was refused by a Batcher (counted in
 * its `stats().refused`).
 *
 * @example Counting refusals
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { BATCHER_REFUSED } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * let refused = 0;
 * system.telemetry.attach("refusals", BATCHER_REFUSED, (_e, m) => void (refused += m.count));
 * ```
 */
export const BATCHER_REFUSED: EventDefinition<
  BatcherRefusedMeasurements,
  BatcherRefusedMetadata
> = defineEvent(["beamlet", "batcher", "refused"], {
  description: "A Batcher refused an item: its bound, a throwing key or merge, or not running.",
  measurements: { count: "count", pending: "count" },
  metadata: {
    batcher: "the batcher's name, or its pid printed",
    reason: "full, key, merge or stopped",
  },
});
