/**
 * The emitter of `beamlet.table.stats` (internal): once per system, while
 * anyone listens to that event, it rides on `beamlet.system.table_size`
 * (executed at the end of a scheduler slice, at most once a second) and
 * executes one stats event per named table. `reads` and `writes` are what
 * the table counted since its previous event, so a sum of them is a
 * monotonic counter. A named table that went away is reported once more
 * with size and memory 0 (and the operations it counted since its last
 * event), so gauges over it fall to 0 instead of keeping its last values.
 * Nobody listening costs nothing: the table-size handler is attached only
 * while `beamlet.table.stats` has handlers. With no scheduler slice (an
 * idle system) there is no event either.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { System } from "../system.ts";
import { TABLE_SIZE } from "../telemetry/catalog/runtime_events.ts";
import {
  TABLE_STATS,
  type TableStatsMeasurements,
  type TableStatsMetadata,
} from "../telemetry/catalog/table_events.ts";
import type { Telemetry } from "../telemetry/telemetry.ts";

/** What the stats read of a table's `info()` (a `TableInfo` has all of it). */
export interface TableStatsInfo {
  readonly type: TableStatsMetadata["type"];
  readonly access: TableStatsMetadata["access"];
  readonly owner: Pid;
  readonly size: number;
  readonly memory: number;
  readonly reads: number;
  readonly writes: number;
}

/** A live table as the stats see it (a `Table` is one). */
export interface TableStatsSource {
  readonly name: string | undefined;
  info(): TableStatsInfo;
}

/** The handler id of the table-size handler, one per system's telemetry. */
const HANDLER_ID = Symbol("beamlet.table.stats");

/** Telemetries the emitter is installed on: once each. */
const installed = new WeakSet<Telemetry>();

/** A named table as last reported. */
interface Reported {
  readonly table: TableStatsSource;
  readonly metadata: TableStatsMetadata;
}

/**
 * Installs the stats emitter of `system`'s tables: `tables()` lists its live
 * tables (in any order; unnamed ones are skipped). Idempotent per system;
 * call it when the system's first table is created.
 */
export function attachTableStats(
  system: System,
  tables: () => Iterable<TableStatsSource>,
): void {
  const telemetry = system.telemetry;
  if (installed.has(telemetry)) return;
  installed.add(telemetry);
  const emitter = new TableStatsEmitter(telemetry, tables);
  let attached = false;
  const sync = () => {
    const wanted = telemetry.hasHandlers(TABLE_STATS);
    if (wanted === attached) return;
    // Set first: attaching and detaching call this listener again.
    attached = wanted;
    if (wanted) telemetry.attach(HANDLER_ID, TABLE_SIZE, () => emitter.emit());
    else telemetry.detach(HANDLER_ID);
  };
  telemetry.onChange(sync);
  sync();
}

/** Executes the stats of every named table; remembers what it reported. */
class TableStatsEmitter {
  readonly #telemetry: Telemetry;
  readonly #tables: () => Iterable<TableStatsSource>;
  /** The totals each table had at its previous event. */
  readonly #totals = new WeakMap<TableStatsSource, { reads: number; writes: number }>();
  /** The named tables reported last time, by name. */
  #reported = new Map<string, Reported>();

  constructor(telemetry: Telemetry, tables: () => Iterable<TableStatsSource>) {
    this.#telemetry = telemetry;
    this.#tables = tables;
  }

  emit(): void {
    const reported = new Map<string, Reported>();
    let complete = true;
    try {
      for (const table of this.#tables()) {
        const name = table.name;
        if (typeof name !== "string" || reported.has(name)) continue;
        const stats = this.#read(table);
        if (stats === undefined) continue;
        reported.set(name, { table, metadata: stats.metadata });
        this.#telemetry.execute(TABLE_STATS, stats.measurements, stats.metadata);
      }
    } catch {
      // A listing that throws ends the round; a throwing handler would be detached for good.
      complete = false;
    }
    for (const [name, last] of this.#reported) {
      if (reported.has(name)) continue;
      // Not reached in a cut round: not known to be gone.
      if (!complete) {
        reported.set(name, last);
        continue;
      }
      // Gone: its last operations (a deleted table still answers info), size and memory 0.
      const final = this.#read(last.table)?.measurements;
      this.#telemetry.execute(TABLE_STATS, {
        size: 0,
        memory: 0,
        reads: final?.reads ?? 0,
        writes: final?.writes ?? 0,
      }, last.metadata);
    }
    this.#reported = reported;
  }

  /** One table's event, or undefined when it cannot be read (deleted meanwhile). */
  #read(
    table: TableStatsSource,
  ): { measurements: TableStatsMeasurements; metadata: TableStatsMetadata } | undefined {
    let info: TableStatsInfo;
    try {
      info = table.info();
    } catch {
      return undefined;
    }
    const previous = this.#totals.get(table);
    const reads = info.reads - (previous?.reads ?? 0);
    const writes = info.writes - (previous?.writes ?? 0);
    this.#totals.set(table, { reads: info.reads, writes: info.writes });
    return {
      measurements: {
        size: info.size,
        memory: info.memory,
        reads: reads > 0 ? reads : 0,
        writes: writes > 0 ? writes : 0,
      },
      metadata: {
        table: table.name as string,
        type: info.type,
        access: info.access,
        owner: info.owner,
      },
    };
  }
}
