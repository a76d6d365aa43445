/**
 * The events of stages (`@beamlet/beamlet/stages`): each stage's demand,
 * buffer and throughput, at most once a second while it is active, and
 * every drop.
 *
 * @module
 */

import type { Pid } from "../../pid.ts";
import { defineEvent, type EventDefinition } from "../define_event.ts";

/**
 * Measurements of `beamlet.stage.stats`. `eventsIn`, `eventsOut` and
 * `dropped` count since the previous stats event of the same stage, so
 * summing them gives monotonic totals; the others are gauges.
 *
 * @example
 * ```ts
 * import type { StageStatsMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: StageStatsMeasurements = { demand: 10, pendingAsk: 0, buffered: 3, eventsIn: 0, eventsOut: 250, dropped: 0 };
 * ```
 */
export type StageStatsMeasurements = {
  /** Outstanding demand of its consumers (producers; 0 for consumers). */
  readonly demand: number;
  /** Events it asked upstream and has not received (consumers). */
  readonly pendingAsk: number;
  /** Events in its buffer (and partition queues). */
  readonly buffered: number;
  /** Events received since the previous stats event. */
  readonly eventsIn: number;
  /** Events emitted since the previous stats event. */
  readonly eventsOut: number;
  /** Events dropped since the previous stats event. */
  readonly dropped: number;
};

/**
 * Metadata of `beamlet.stage.stats`.
 *
 * @example
 * ```ts
 * import type { StageStatsMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const label = (meta: StageStatsMetadata) => `${meta.pipeline ?? "-"}/${meta.name ?? meta.pid}`;
 * ```
 */
export type StageStatsMetadata = {
  /** The stage. */
  readonly pid: Pid;
  /** Its name (its label, else its registered name). */
  readonly name: string | undefined;
  /** Its type. */
  readonly type: "producer" | "consumer" | "producer_consumer";
  /** The pipeline it belongs to, if any. */
  readonly pipeline: string | undefined;
  /** Its role in the pipeline, if any. */
  readonly role: string | undefined;
};

/**
 * `beamlet.stage.stats`: one per active stage, at most once a second, from
 * a timer of the stage's own that is armed only when the stage did
 * something while someone listens; the last one comes about a second after
 * its activity ends.
 *
 * @example Watching buffers fill
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { STAGE_STATS } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("stages", STAGE_STATS, (_e, m, meta) => {
 *   if (m.buffered > 1000) console.log(meta.name, "buffers", m.buffered);
 * });
 * await system.shutdown();
 * ```
 */
export const STAGE_STATS: EventDefinition<StageStatsMeasurements, StageStatsMetadata> = defineEvent(
  ["beamlet", "stage", "stats"],
  {
    description:
      "A stage's demand, pending asks, buffer and events in/out/dropped since its previous stats, at most once a second while active.",
    measurements: {
      demand: "count",
      pendingAsk: "count",
      buffered: "count",
      eventsIn: "count",
      eventsOut: "count",
      dropped: "count",
    },
    metadata: {
      pid: "the stage",
      name: "its name (label or registered name), if any",
      type: "producer, consumer or producer_consumer",
      pipeline: "the pipeline it belongs to, if any",
      role: "its role in the pipeline, if any",
    },
  },
);

/**
 * Measurements of `beamlet.stage.dropped`.
 *
 * @example
 * ```ts
 * import type { StageDroppedMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: StageDroppedMeasurements = { count: 12 };
 * ```
 */
export type StageDroppedMeasurements = {
  /** Events dropped at once. */
  readonly count: number;
};

/**
 * Metadata of `beamlet.stage.dropped`.
 *
 * @example
 * ```ts
 * import type { StageDroppedMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const full = (meta: StageDroppedMetadata) => meta.reason === "buffer_full";
 * ```
 */
export type StageDroppedMetadata = {
  /** The producer that dropped them. */
  readonly pid: Pid;
  /** Its name, if any. */
  readonly name: string | undefined;
  /** Its pipeline, if any. */
  readonly pipeline: string | undefined;
  /** `buffer_full` (overflow policy) or `no_partition` (the partition hash returned undefined). */
  readonly reason: "buffer_full" | "no_partition";
};

/**
 * `beamlet.stage.dropped`: a producer dropped events, because its buffer
 * (or a partition queue) was full or its partition hash discarded them.
 *
 * @example Counting drops
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { STAGE_DROPPED } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * let dropped = 0;
 * system.telemetry.attach("drops", STAGE_DROPPED, (_e, m) => void (dropped += m.count));
 * await system.shutdown();
 * ```
 */
export const STAGE_DROPPED: EventDefinition<StageDroppedMeasurements, StageDroppedMetadata> =
  defineEvent(["beamlet", "stage", "dropped"], {
    description:
      "A producer dropped events: its buffer was full, or its partition hash discarded them.",
    measurements: { count: "count" },
    metadata: {
      pid: "the producer",
      name: "its name, if any",
      pipeline: "its pipeline, if any",
      reason: "buffer_full or no_partition",
    },
  });
