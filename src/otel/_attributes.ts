/**
 * Span names and attributes, after OpenTelemetry's messaging semantic
 * conventions (`messaging.*`) plus beamlet's own (`beamlet.*`).
 *
 * @module
 */

import type { Attributes } from "@opentelemetry/api";
import type { TracedKind, TracedProcess } from "../tracing/message_tracer.ts";

/** The destination in span names: the registered name, else the pid. */
export function destinationName(target: TracedProcess): string {
  return target.name ?? String(target.pid);
}

/** Operation names of the handling side, by message kind (`handleCall`, ...). */
export const HANDLE_OPERATIONS: Readonly<Record<TracedKind, string>> = {
  call: "handleCall",
  cast: "handleCast",
  info: "handleInfo",
};

/** Operation names of the sending side, by message kind (`info` is a plain `send`). */
export const SEND_OPERATIONS: Readonly<Record<TracedKind, string>> = {
  call: "call",
  cast: "cast",
  info: "send",
};

/**
 * The attributes every span about a message to `target` carries.
 * An unregistered process is an anonymous destination: its pid is not a
 * stable name.
 */
export function messagingAttributes(
  target: TracedProcess,
  operationType: "send" | "process" | "receive",
  operationName: string,
): Attributes {
  return {
    "messaging.system": "beamlet",
    "messaging.operation.type": operationType,
    "messaging.operation.name": operationName,
    "messaging.destination.name": destinationName(target),
    "messaging.destination.anonymous": target.name === undefined,
    "beamlet.pid": String(target.pid),
  };
}

/** Milliseconds the message waited in the mailbox, as the runtime measured it. */
export const QUEUE_TIME_ATTRIBUTE = "beamlet.queue_time_ms";
