/**
 * Per-server call latency (internal): for each server that answered calls,
 * its queued, handling and round-trip times in three small sketches
 * (`_latency_sketch.ts`, about 3 KiB a server). At most
 * {@linkcode MAX_SERVERS} servers are kept; the least recently answering one
 * makes room for a new one (its arrays are reused).
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import {
  SKETCH_BUCKETS,
  SKETCH_STATS,
  sketchCount,
  sketchMax,
  sketchQuantile,
  sketchRecord,
} from "./_latency_sketch.ts";
import type { CallLatencies, CallLatencySummary } from "./view_types.ts";

/** Servers kept, at most (default). */
export const MAX_SERVERS = 1024;

/** Sketch index of each measurement. */
const QUEUED = 0;
const HANDLING = 1;
const ROUND_TRIP = 2;

/** One server's three sketches. */
class ServerEntry {
  readonly counts = new Uint32Array(3 * SKETCH_BUCKETS);
  readonly stats = new Float64Array(3 * SKETCH_STATS);
}

/** The latencies of the servers that answered calls lately, bounded. */
export class ServerLatencies {
  /** By pid serial, least recently used first (a Map keeps insertion order). */
  readonly #entries = new Map<number, ServerEntry>();
  readonly #max: number;
  #lastKey = -1;

  /** Keeps at most `max` servers (an integer >= 1). */
  constructor(max: number = MAX_SERVERS) {
    this.#max = max;
  }

  /** Servers kept now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Records one answered call of the server with pid serial `serial`. */
  record(serial: number, queued: number, handling: number, roundTrip: number): void {
    const entry = this.#touch(serial);
    sketchRecord(entry.counts, entry.stats, QUEUED, queued);
    sketchRecord(entry.counts, entry.stats, HANDLING, handling);
    sketchRecord(entry.counts, entry.stats, ROUND_TRIP, roundTrip);
  }

  /** The three summaries of `pid` (each `null` when it answered no call lately). */
  of(pid: Pid): CallLatencies {
    const entry = this.#entries.get(pid.serial);
    if (entry === undefined) return { queued: null, handling: null, roundTrip: null };
    return {
      queued: summary(entry, QUEUED),
      handling: summary(entry, HANDLING),
      roundTrip: summary(entry, ROUND_TRIP),
    };
  }

  /** Forgets every server. */
  clear(): void {
    this.#entries.clear();
    this.#lastKey = -1;
  }

  /** The entry of `serial`, made most recently used (made, or taken from the least recent one). */
  #touch(serial: number): ServerEntry {
    const entries = this.#entries;
    let entry = entries.get(serial);
    if (entry !== undefined) {
      // A server answering call after call stays where it is: no Map churn.
      if (this.#lastKey !== serial) {
        entries.delete(serial);
        entries.set(serial, entry);
        this.#lastKey = serial;
      }
      return entry;
    }
    if (entries.size >= this.#max) {
      const [oldest, reused] = entries.entries().next().value as [number, ServerEntry];
      entries.delete(oldest);
      reused.counts.fill(0);
      reused.stats.fill(0);
      entry = reused;
    } else {
      entry = new ServerEntry();
    }
    entries.set(serial, entry);
    this.#lastKey = serial;
    return entry;
  }
}

function summary(entry: ServerEntry, n: number): CallLatencySummary | null {
  const { counts, stats } = entry;
  const count = sketchCount(stats, n);
  if (count === 0) return null;
  return {
    count,
    p50: sketchQuantile(counts, stats, n, 0.5),
    p95: sketchQuantile(counts, stats, n, 0.95),
    p99: sketchQuantile(counts, stats, n, 0.99),
    max: sketchMax(stats, n),
  };
}
