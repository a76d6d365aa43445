/**
 * Fault injection (internal; `TestSystem.crashAt` is its public face): the
 * process crashes with `reason` when it is about to handle its
 * `atMessage`-th message, counting from the next one it handles.
 *
 * @module
 */

import type { System } from "../system.ts";
import type { Target } from "../options.ts";
import { runtimeOf } from "../_runtime_access.ts";
import { resolveOrThrow } from "../kernel/mailbox/delivery.ts";

/** Arms a crash of `target` at its `atMessage`-th next message (a RangeError below 1). */
export function injectFault(
  system: System,
  target: Target,
  atMessage: number,
  reason: unknown,
): void {
  if (!Number.isInteger(atMessage) || atMessage < 1) {
    throw new RangeError(`injectFault: atMessage must be an integer >= 1, got ${atMessage}`);
  }
  const process = resolveOrThrow(runtimeOf(system), target);
  process.faultAt = process.handled + atMessage;
  process.faultReason = reason;
}
