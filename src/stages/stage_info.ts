/**
 * What the stage directory reports of a running stage.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { StageType } from "./types.ts";

/**
 * A snapshot of one running stage: its labels, demand, buffer and totals.
 * Observability reads these (dashboard, metrics) through the stage directory.
 *
 * @example Summing buffered events
 * ```ts
 * import type { StageInfo } from "@beamlet/beamlet/stages";
 *
 * const buffered = (stages: readonly StageInfo[]) => stages.reduce((n, s) => n + s.buffered, 0);
 * ```
 */
export interface StageInfo {
  /** The stage. */
  readonly pid: Pid;
  /** Its name: its label, else its registered name. */
  readonly name: string | undefined;
  /** Its type. */
  readonly type: StageType;
  /** The pipeline it belongs to (a label). */
  readonly pipeline: string | undefined;
  /** Its role in the pipeline (a label): `producer`, `processor`, `batcher`, `batch_processor`. */
  readonly role: string | undefined;
  /** Outstanding demand of its consumers (0 for consumers). */
  readonly demand: number;
  /** Events it asked upstream and has not received (consumers). */
  readonly pendingAsk: number;
  /** Events in its buffer (and partition queues). */
  readonly buffered: number;
  /** Its buffer's bound (`Infinity` allowed; 0 for consumers). */
  readonly bufferSize: number;
  /** Events received (monotonic). */
  readonly eventsIn: number;
  /** Events emitted (monotonic, once per event even when broadcast). */
  readonly eventsOut: number;
  /** Events dropped by buffer overflow or discarded by a partition hash (monotonic). */
  readonly dropped: number;
  /** Consumers subscribed to it. */
  readonly subscribers: number;
  /** Producers it is subscribed to. */
  readonly subscriptions: number;
}
