/**
 * The events of the ETS-like tables (`@beamlet/beamlet/tables`): the size,
 * memory estimate, owner and activity of every named table, executed at
 * most once a second.
 *
 * @module
 */

import type { Pid } from "../../pid.ts";
import { defineEvent, type EventDefinition } from "../define_event.ts";

/**
 * Measurements of `beamlet.table.stats`. `reads` and `writes` count the
 * operations since the previous stats event of the same table (since its
 * creation for its first), so summing them gives a monotonic total
 * (a Prometheus counter) that `rate()` reads.
 *
 * @example
 * ```ts
 * import type { TableStatsMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: TableStatsMeasurements = { size: 12, memory: 1536, reads: 400, writes: 3 };
 * ```
 */
export type TableStatsMeasurements = {
  /** Rows in the table. */
  readonly size: number;
  /** Bytes the table holds, estimated. */
  readonly memory: number;
  /** Reads since the previous stats event of this table. */
  readonly reads: number;
  /** Writes since the previous stats event of this table. */
  readonly writes: number;
};

/**
 * Metadata of `beamlet.table.stats`.
 *
 * @example
 * ```ts
 * import type { TableStatsMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const line = (meta: TableStatsMetadata) => `${meta.table} (${meta.type}, ${meta.access})`;
 * ```
 */
export type TableStatsMetadata = {
  /** The table's name. */
  readonly table: string;
  /** Its type. */
  readonly type: "set" | "ordered_set" | "bag" | "duplicate_bag";
  /** Who may read and write it. */
  readonly access: "public" | "protected" | "private";
  /** Its owner process. */
  readonly owner: Pid;
};

/**
 * `beamlet.table.stats`: one per named table, at most once a second, at
 * the end of a scheduler slice (with `beamlet.system.table_size`). Once a
 * named table is deleted, one last event reports it with size 0 and memory
 * 0, so gauges over it do not keep its last values.
 *
 * @example Logging the busiest table
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { TABLE_STATS } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("tables", TABLE_STATS, (_e, m, meta) => {
 *   if (m.reads > 1000) console.log(meta.table, m.size, m.reads);
 * });
 * await system.shutdown();
 * ```
 */
export const TABLE_STATS: EventDefinition<TableStatsMeasurements, TableStatsMetadata> = defineEvent(
  ["beamlet", "table", "stats"],
  {
    description:
      "The size, memory estimate and activity of a named table, at most once a second per table.",
    measurements: { size: "count", memory: "number", reads: "count", writes: "count" },
    metadata: {
      table: "the table's name",
      type: "its type (set, ordered_set, bag, duplicate_bag)",
      access: "its access (public, protected, private)",
      owner: "its owner process",
    },
  },
);
