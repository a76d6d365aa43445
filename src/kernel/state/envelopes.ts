/**
 * What travels through a process's mailbox (internal): a kind byte per slot
 * beside the payload, so casts and sends store the message itself.
 *
 * @module
 */

import type { ExitReason } from "../../exit_reason.ts";
import type { DownMessage } from "../../system_messages.ts";

export const K_INIT = 1;
export const K_CALL = 2;
export const K_CAST = 3;
export const K_INFO = 4;
export const K_STOP = 5;
export const K_DOWN = 6;
export const K_EXIT = 7;
export const K_TIMEOUT = 8;
/** Gets an actor scheduled when only held-back runtime messages remain. */
export const K_NOOP = 9;

/** `system.stop(target, reason)`. */
export interface StopRequest {
  reason: ExitReason;
}

/** A DOWN notice; `flushed` by `demonitor(ref, { flush: true })` while queued. */
export interface DownEnvelope {
  message: DownMessage;
  flushed: boolean;
}
