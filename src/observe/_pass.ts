/**
 * One pass of a walker in progress (internal): where it is in the table,
 * what it counted, and the rankings it is filling.
 *
 * @module
 */

import { PROCESS_ATTRIBUTES, type ProcessAttribute } from "../introspection/process_attribute.ts";
import type { Pid } from "../pid.ts";
import type { ProcessStatus } from "../process_info.ts";
import { Ranking } from "./_ranking.ts";
import type { ProcessTableSnapshot, WalkedProcess } from "./process_table_snapshot.ts";

/** A pass over the process table, fed one process at a time. */
export class Pass {
  /** Where the pass is in the table (stays valid while processes start and exit). */
  readonly iterator: Iterator<Pid>;
  /** The most processes this pass reads: a table that keeps growing cannot keep it going. */
  readonly limit: number;
  /** When it began (system clock). */
  readonly startedAt: number;
  /** Processes read so far. */
  visited = 0;
  /** Time spent in its chunks so far (system clock). */
  busyMs = 0;
  readonly #rankDepth: number;
  readonly #byStatus: Record<ProcessStatus, number> = {
    running: 0,
    runnable: 0,
    waiting: 0,
    suspended: 0,
    exiting: 0,
  };
  readonly #rankings: { attribute: ProcessAttribute; desc: Ranking; asc: Ranking }[];

  /** A pass starting now over `iterator`. */
  constructor(iterator: Iterator<Pid>, limit: number, startedAt: number, rankDepth: number) {
    this.iterator = iterator;
    this.limit = limit;
    this.startedAt = startedAt;
    this.#rankDepth = rankDepth;
    this.#rankings = PROCESS_ATTRIBUTES.map((attribute) => ({
      attribute,
      desc: new Ranking(attribute, "desc", rankDepth),
      asc: new Ranking(attribute, "asc", rankDepth),
    }));
  }

  /** Counts `entry` and offers it to every ranking. */
  add(entry: WalkedProcess): void {
    this.visited++;
    this.#byStatus[entry.summary.status]++;
    for (const { desc, asc } of this.#rankings) {
      desc.offer(entry);
      asc.offer(entry);
    }
  }

  /** The snapshot of the complete pass, numbered `pass`. */
  finish(pass: number, completedAt: number): ProcessTableSnapshot {
    const rankings = {} as Record<string, unknown>;
    for (const { attribute, desc, asc } of this.#rankings) {
      rankings[attribute] = Object.freeze({
        desc: Object.freeze(desc.drain()),
        asc: Object.freeze(asc.drain()),
      });
    }
    return Object.freeze({
      pass,
      startedAt: this.startedAt,
      completedAt,
      visited: this.visited,
      byStatus: Object.freeze({ ...this.#byStatus }),
      rankDepth: this.#rankDepth,
      rankings: Object.freeze(rankings) as ProcessTableSnapshot["rankings"],
    });
  }
}
