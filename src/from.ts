/**
 * The address of a caller waiting for a reply.
 *
 * @module
 */

import type { Pid } from "./pid.ts";

/**
 * Who is waiting for the reply to a `call`: `handleCall` gets it, and may
 * answer later (or from another process) with `reply(from, value)`. Replying
 * twice, or after the caller gave up (timeout), does nothing.
 *
 * @example A deferred reply
 * ```ts
 * import { type From, noreply, System } from "@beamlet/beamlet";
 *
 * const waiting: From<string>[] = [];
 * const system = new System();
 * const pid = await system.start({
 *   init: () => ({ type: "ok", state: null }),
 *   handleCall: (_request, from: From<string>, state) => {
 *     waiting.push(from);
 *     return noreply(state);
 *   },
 * });
 * const answer = system.call(pid, "wait");
 * setTimeout(() => system.reply(waiting[0], "done"), 10);
 * console.log(await answer); // "done"
 * ```
 */
export class From<R = unknown> {
  /** The calling process; `undefined` when the call came from outside any process. */
  readonly pid: Pid | undefined;
  /** Identifies the call, with `node`. */
  readonly callId: number;
  /** The node (system) the call was made on: where its reply goes. */
  readonly node: string;
  /** Type-level only: the reply type this caller expects. */
  declare readonly __reply?: R;

  /** Built by the runtime for each call. */
  constructor(pid: Pid | undefined, callId: number, node: string) {
    this.pid = pid;
    this.callId = callId;
    this.node = node;
  }

  /** `{ pid, callId, node }`, the pid in its string form: a From can cross a wire. */
  toJSON(): { pid: string | undefined; callId: number; node: string } {
    return { pid: this.pid?.toString(), callId: this.callId, node: this.node };
  }
}
