/**
 * The port through which the kernel runs a process's code (internal to the
 * kernel; the type is public): a behaviour. GenServer is one implementation
 * (`src/_gen_server_behaviour.ts`); a state machine, a stage or a table
 * owner is another, and none of them needs an edit in `src/kernel/`.
 *
 * The kernel calls `init` once, then `handle` with each message and its
 * kind, then `terminate`; each returns an outcome (or a Promise of one) in
 * the runtime's result vocabulary — `ok` / `ignore` / `stop` from `init`,
 * `reply` / `noreply` / `stop` (with `continue`, `timeout`, `hibernate`)
 * from `handle` — and the kernel applies it: the new state, the reply, the
 * next step. A behaviour keeps its own logic (states, postponed events,
 * timeouts of its own) in its state.
 *
 * @module
 */

import type { Context } from "../../context.ts";
import type { ExitReason } from "../../exit_reason.ts";
import type { From } from "../../from.ts";

/**
 * What a message handed to {@linkcode Behaviour.handle} is (internal name;
 * the port spells the union out): a `call` (answered with a reply), a
 * `cast`, an `info` (a plain message, an exit signal or DOWN notice), a
 * `continue` (a `continue` its last outcome asked for, before any message)
 * or a `timeout` (the idle `timeout` its last outcome set ran out).
 */
export type HandleKind = "call" | "cast" | "info" | "continue" | "timeout";

/**
 * A behaviour: the port the kernel runs any process through. Start one with
 * `system.startBehaviour(behaviour, arg)`; `system.start(server)` runs a
 * GenServer through its own implementation of this port.
 *
 * Every method runs inside the kernel's containment: a throw crashes the
 * process alone (its reason is what was thrown), a bad outcome crashes it
 * with a `BadReturnValueError`.
 *
 * @example A behaviour that counts what it is told
 * ```ts
 * import { type Behaviour, noreply, ok, reply, System } from "@beamlet/beamlet";
 *
 * const counter: Behaviour = {
 *   callbackNames: {
 *     init: "init",
 *     call: "handle",
 *     cast: "handle",
 *     info: "handle",
 *     continue: "handle",
 *     timeout: "handle",
 *     terminate: "terminate",
 *   },
 *   init: (start) => ok(start),
 *   handles: (kind) => kind === "call" || kind === "cast",
 *   handle: (kind, message, _from, n) =>
 *     kind === "call" ? reply(n, n) : noreply((n as number) + (message as number)),
 *   terminates: () => false,
 *   terminate: () => undefined,
 *   formatState: (n) => ({ count: n }),
 * };
 * const system = new System();
 * const pid = await system.startBehaviour(counter, 0);
 * system.cast(pid, 2);
 * console.log(await system.call(pid, "get")); // 2
 * ```
 */
export interface Behaviour {
  /**
   * The name of the callback each step runs, for crash reports, telemetry
   * and `processInfo().currentCallback` (a GenServer's are `handleCall`,
   * `handleCast`, `handleInfo`, ...).
   */
  readonly callbackNames: Readonly<
    Record<"call" | "cast" | "info" | "continue" | "timeout" | "init" | "terminate", string>
  >;
  /** Starts the process: `ok(state)`, `ignore()` or `stop(reason)`, or a Promise of one. */
  init(arg: unknown, ctx: Context): unknown;
  /**
   * Whether a message of `kind` is handled at all: a message of a kind it
   * does not handle is dropped (as a GenServer without `handleInfo` drops
   * plain messages). Asked before each `info` and `timeout`.
   */
  handles(kind: "call" | "cast" | "info" | "continue" | "timeout"): boolean;
  /**
   * Handles one message: `reply(value, state)` (a call only),
   * `noreply(state)` or `stop(reason, state)`, or a Promise of one. `from`
   * is the caller of a `call` (for `reply(from, value)` later), else
   * `undefined`.
   */
  handle(
    kind: "call" | "cast" | "info" | "continue" | "timeout",
    message: unknown,
    from: From | undefined,
    state: unknown,
    ctx: Context,
  ): unknown;
  /** Whether there is a terminate step (asked once, when the process stops). */
  terminates(): boolean;
  /** Runs when the process stops (not when it is killed); a Promise is waited for. */
  terminate(reason: ExitReason, state: unknown, ctx: Context): unknown;
  /** What introspection shows of its state (`system.formatState(pid)`). */
  formatState(state: unknown): unknown;
}
