/**
 * The latency of a call, split in three: how long it waited in the server's
 * mailbox, how long the server took to answer it, and what its caller saw.
 *
 * A long mailbox inflates the latency of everyone queued behind it: when
 * `queued` is much larger than `handling`, the server is not slow, it is
 * busy — callers wait for the calls ahead of theirs, not for their own.
 *
 * @module
 */

import type { Pid } from "../../pid.ts";
import { defineEvent, type EventDefinition } from "../define_event.ts";

/**
 * Measurements of `beamlet.call.latency`, all in milliseconds on the
 * system's clock (on a virtual clock, virtual milliseconds).
 *
 * @example
 * ```ts
 * import type { CallLatencyMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const waitedMostly = (m: CallLatencyMeasurements) => m.queued > m.handling;
 * ```
 */
export type CallLatencyMeasurements = {
  /** The system's clock when the caller was answered. */
  readonly monotonic_time: number;
  /** From the call entering the server's mailbox to its `handleCall` starting. */
  readonly queued: number;
  /**
   * From `handleCall` starting to the reply being given: its return value,
   * the deferred `reply(from, …)`, or the settling of a Promise (an async
   * `handleCall`, or a Promise given as the reply).
   */
  readonly handling: number;
  /** From `call()` being made to the caller being answered: `queued + handling`, and more. */
  readonly round_trip: number;
};

/**
 * Metadata of `beamlet.call.latency`.
 *
 * @example
 * ```ts
 * import type { CallLatencyMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const who = (meta: CallLatencyMetadata) => meta.name ?? String(meta.pid);
 * ```
 */
export type CallLatencyMetadata = {
  /** The server that answered. */
  readonly pid: Pid;
  /** Its registered name, if it has one. */
  readonly name: string | undefined;
  /** The calling process, undefined for a call made from outside any process. */
  readonly caller: Pid | undefined;
  /**
   * Whether the reply was given through `reply(from, …)` (a deferred reply,
   * OTP's `gen_server:reply/2`) rather than returned by `handleCall`.
   */
  readonly deferred: boolean;
};

/**
 * `beamlet.call.latency`: a call's reply reached its waiting caller. Once per
 * answered call, with the call's time split into `queued` (in the server's
 * mailbox), `handling` (in its `handleCall`, up to the reply) and
 * `round_trip` (what the caller waited). Calls that time out, are aborted,
 * expire in the mailbox, are refused by it or whose server exits are not
 * told here (they have their own events or errors).
 *
 * With no handler attached, a call reads no clock for it. The clock is read
 * when the call is made, when its `handleCall` starts and when it is
 * answered (the first of those readings is shared with the call's deadline).
 *
 * @example Telling a busy server from a slow one
 * ```ts
 * import { ok, reply, System } from "@beamlet/beamlet";
 * import { CALL_LATENCY } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("latency", CALL_LATENCY, (_e, m, meta) => {
 *   if (m.queued > 10 * m.handling) console.log(`${meta.name} is busy, not slow`);
 * });
 * const pid = await system.start({
 *   init: () => ok(0),
 *   handleCall: (_req: "get", _from, n) => reply(n, n),
 * }, undefined, { name: "counter" });
 * await system.call(pid, "get");
 * await system.shutdown();
 * ```
 */
export const CALL_LATENCY: EventDefinition<CallLatencyMeasurements, CallLatencyMetadata> =
  defineEvent(
    ["beamlet", "call", "latency"],
    {
      description:
        "A call was answered: the time it waited in the server's mailbox (queued), the time the server took to reply (handling), and what its caller waited (round_trip).",
      measurements: {
        monotonic_time: "millisecond",
        queued: "millisecond",
        handling: "millisecond",
        round_trip: "millisecond",
      },
      metadata: {
        pid: "the server that answered",
        name: "its registered name, or undefined",
        caller: "the calling process, or undefined (a call from outside any process)",
        deferred: "true when the reply was given through reply(from, …), not returned",
      },
    },
  );
