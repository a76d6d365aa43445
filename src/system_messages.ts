/**
 * The messages the runtime itself hands a process's `handleInfo`: a trapped
 * exit signal (`ExitMessage`), a monitor's `DownMessage`, and `"timeout"`.
 * Plain values below the kernel, so the kernel can build them and every
 * behaviour can read them.
 *
 * @module
 */

import type { ExitReason } from "./exit_reason.ts";
import type { Pid, Ref } from "./pid.ts";

/**
 * Messages the runtime itself sends to `handleInfo`.
 *
 * @example Telling them apart
 * ```ts
 * import { DownMessage, ExitMessage, type SystemMessage } from "@beamlet/beamlet";
 *
 * const describe = (message: SystemMessage) =>
 *   message instanceof ExitMessage
 *     ? `exit: ${message.reason}`
 *     : message instanceof DownMessage
 *     ? `down: ${message.reason}`
 *     : "timeout";
 * ```
 */
export type SystemMessage = ExitMessage | DownMessage | "timeout";

/**
 * A trapped exit signal: a linked process exited (or `exit(pid, reason)` was
 * called) while this process traps exits.
 *
 * @example Trapping a linked crash
 * ```ts
 * import { ExitMessage, noreply } from "@beamlet/beamlet";
 *
 * const handleInfo = (message: unknown, state: number) => {
 *   if (message instanceof ExitMessage) console.log(message.from, message.reason);
 *   return noreply(state);
 * };
 * ```
 */
export class ExitMessage {
  /** Always `"EXIT"`. */
  readonly type = "EXIT" as const;
  /** The process that sent the signal (`undefined`: sent from outside any process). */
  readonly from: Pid | undefined;
  /** The exit reason. */
  readonly reason: ExitReason;

  /** Built by the runtime. */
  constructor(from: Pid | undefined, reason: ExitReason) {
    this.from = from;
    this.reason = reason;
  }
}

/**
 * A monitored process exited (or was already dead: reason `"noproc"`).
 *
 * @example Watching a worker
 * ```ts
 * import { DownMessage, noreply } from "@beamlet/beamlet";
 *
 * const handleInfo = (message: unknown, state: number) => {
 *   if (message instanceof DownMessage) console.log(`${message.pid} exited: ${message.reason}`);
 *   return noreply(state);
 * };
 * ```
 */
export class DownMessage {
  /** Always `"DOWN"`. */
  readonly type = "DOWN" as const;
  /** The monitor, as `monitor` returned it. */
  readonly ref: Ref;
  /** The monitored process. */
  readonly pid: Pid;
  /** Its exit reason. */
  readonly reason: ExitReason;

  /** Built by the runtime. */
  constructor(ref: Ref, pid: Pid, reason: ExitReason) {
    this.ref = ref;
    this.pid = pid;
    this.reason = reason;
  }
}
