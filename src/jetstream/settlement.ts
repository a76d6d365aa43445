/**
 * What a JetStream producer did with each message it fetched, reported to
 * an optional listener and counted.
 *
 * @module
 */

/**
 * One message settled: `"ack"` (the pipeline acked it as successful),
 * `"nak"` (failed: the server redelivers it, after `nakDelayMs` if set) or
 * `"released"` (fetched after the producer stopped pulling, or while its
 * process was gone: nak'ed without reaching the pipeline). `error` is set
 * when the client could not send the ack (the connection is closed): the
 * server then redelivers the message after `ack_wait`.
 *
 * @example An audit of acks per stream sequence
 * ```ts
 * import type { JetStreamSettlement } from "@beamlet/beamlet/jetstream";
 *
 * const acked = new Map<number, number>();
 * const onSettle = (settlement: JetStreamSettlement) => {
 *   if (settlement.outcome === "ack" && settlement.error === undefined) {
 *     acked.set(settlement.streamSequence, (acked.get(settlement.streamSequence) ?? 0) + 1);
 *   }
 * };
 * ```
 */
export interface JetStreamSettlement {
  /** The message's sequence in the stream. */
  readonly streamSequence: number;
  /** Its delivery count (1 the first time). */
  readonly redeliveryCount: number;
  /** What was sent to the server. */
  readonly outcome: "ack" | "nak" | "released";
  /** Why it could not be sent, if it could not. */
  readonly error?: unknown;
}

/**
 * The counters of a {@linkcode JetStreamProducer}, over every process that
 * ran its stage (monotonic).
 *
 * @example
 * ```ts
 * import type { JetStreamProducerStats } from "@beamlet/beamlet/jetstream";
 *
 * const settled = (stats: JetStreamProducerStats) => stats.acked + stats.naked + stats.released;
 * ```
 */
export interface JetStreamProducerStats {
  /** Messages fetched from the server. */
  readonly fetched: number;
  /** Messages emitted into the pipeline. */
  readonly emitted: number;
  /** Acks sent (successful messages). */
  readonly acked: number;
  /** Naks sent (failed messages). */
  readonly naked: number;
  /** Messages nak'ed without reaching the pipeline. */
  readonly released: number;
  /** Acks or naks the client could not send (the server redelivers those). */
  readonly ackErrors: number;
  /** Messages the pipeline acked again, or that this producer did not emit: ignored. */
  readonly ignored: number;
}
