/**
 * The shape check of a handler's result (internal).
 *
 * @module
 */

import type { PipelineMessage } from "./message.ts";

/** Whether `value` has the shape of a message (internal checks of handler results). */
export function isPipelineMessage(value: unknown): value is PipelineMessage {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Partial<PipelineMessage>;
  try {
    const acknowledger = m.acknowledger;
    const status = m.status;
    return typeof acknowledger === "object" && acknowledger !== null &&
      typeof acknowledger.ack === "function" && typeof m.batcher === "string" &&
      (status === "ok" ||
        (typeof status === "object" && status !== null && "failed" in status));
  } catch {
    return false;
  }
}
