/**
 * Acking (internal): the messages of one acknowledger go in one `ack` call,
 * each message once, as successful or failed. An acknowledger that throws
 * or rejects is reported, never retried (a message is acked at most once).
 *
 * @module
 */

import type { Acknowledger, PipelineMessage } from "./message.ts";

/** Where acking reports to: counters, telemetry, failures of `ack` itself. */
export interface AckSink {
  /** One `ack` call was made with these counts. */
  acked(successful: number, failed: number): void;
  /** An `ack` call threw or rejected. */
  ackFailed(error: unknown): void;
}

interface Group {
  readonly successful: PipelineMessage[];
  readonly failed: PipelineMessage[];
}

function callAck(
  acknowledger: Acknowledger,
  successful: readonly PipelineMessage[],
  failed: readonly PipelineMessage[],
  sink: AckSink,
): void {
  sink.acked(successful.length, failed.length);
  try {
    const result = acknowledger.ack(successful, failed);
    if (result !== undefined && result !== null && typeof result.then === "function") {
      result.then(undefined, (error: unknown) => sink.ackFailed(error));
    }
  } catch (error) {
    sink.ackFailed(error);
  }
}

/** Acks `successful` and `failed`, grouped by acknowledger, first come first acked. */
export function ackMessages(
  successful: readonly PipelineMessage[],
  failed: readonly PipelineMessage[],
  sink: AckSink,
): void {
  if (successful.length === 0 && failed.length === 0) return;
  const first = (successful.length > 0 ? successful[0] : failed[0]).acknowledger;
  if (
    successful.every((m) => m.acknowledger === first) &&
    failed.every((m) => m.acknowledger === first)
  ) {
    callAck(first, successful, failed, sink);
    return;
  }
  const groups = new Map<Acknowledger, Group>();
  const groupOf = (acknowledger: Acknowledger): Group => {
    let group = groups.get(acknowledger);
    if (group === undefined) groups.set(acknowledger, group = { successful: [], failed: [] });
    return group;
  };
  for (const m of successful) groupOf(m.acknowledger).successful.push(m);
  for (const m of failed) groupOf(m.acknowledger).failed.push(m);
  for (const [acknowledger, group] of groups) {
    callAck(acknowledger, group.successful, group.failed, sink);
  }
}
