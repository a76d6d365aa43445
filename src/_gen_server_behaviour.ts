/**
 * GenServer as a behaviour (internal): the implementation of the kernel's
 * behaviour port that runs a GenServer's callbacks — `handleCall`,
 * `handleCast`, `handleInfo` (plain messages and the idle `"timeout"`),
 * `handleContinue`, `terminate` — with OTP's defaults for the ones it lacks.
 *
 * @module
 */

import type { Context } from "./context.ts";
import type { ExitReason } from "./exit_reason.ts";
import type { From } from "./from.ts";
import type { GenServer } from "./gen_server.ts";
import type { Behaviour, HandleKind } from "./kernel/state/behaviour.ts";

const NAMES: Behaviour["callbackNames"] = {
  init: "init",
  call: "handleCall",
  cast: "handleCast",
  info: "handleInfo",
  continue: "handleContinue",
  timeout: "handleInfo",
  terminate: "terminate",
};

/** Runs one GenServer definition; every callback is read when it is needed (a getter runs then). */
class GenServerBehaviour implements Behaviour {
  readonly callbackNames = NAMES;
  readonly #server: GenServer<unknown, unknown>;

  constructor(server: GenServer<unknown, unknown>) {
    this.#server = server;
  }

  init(arg: unknown, ctx: Context): unknown {
    return this.#server.init(arg, ctx);
  }

  handles(kind: HandleKind): boolean {
    // Elixir's default handle_info drops what it does not expect.
    return (kind !== "info" && kind !== "timeout") || Boolean(this.#server.handleInfo);
  }

  handle(
    kind: HandleKind,
    message: unknown,
    from: From | undefined,
    state: unknown,
    ctx: Context,
  ): unknown {
    const server = this.#server;
    switch (kind) {
      case "cast":
        if (!server.handleCast) throw new TypeError("this server has no handleCast callback");
        return server.handleCast(message, state, ctx);
      case "info":
      case "timeout":
        return server.handleInfo!(message, state, ctx);
      case "call":
        if (!server.handleCall) throw new TypeError("this server has no handleCall callback");
        return server.handleCall(message, from!, state, ctx);
      case "continue":
        if (!server.handleContinue) throw new TypeError("no handleContinue callback");
        return server.handleContinue(message, state, ctx);
    }
  }

  terminates(): boolean {
    return typeof this.#server.terminate === "function";
  }

  terminate(reason: ExitReason, state: unknown, ctx: Context): unknown {
    return this.#server.terminate!(reason, state, ctx);
  }

  formatState(state: unknown): unknown {
    const formatStatus = this.#server.formatStatus;
    return typeof formatStatus === "function" ? formatStatus.call(this.#server, state) : state;
  }

  /** Whether `formatState` runs the server's `formatStatus` (read now: a getter runs now). */
  formatsStatus(): boolean {
    return typeof this.#server.formatStatus === "function";
  }
}

/**
 * Whether `behaviour` shows a formatted state: anything but a GenServer
 * without `formatStatus` (a behaviour's own `formatState` formats by
 * definition). Throws what a `formatStatus` getter throws.
 */
export function formatsState(behaviour: Behaviour): boolean {
  return behaviour instanceof GenServerBehaviour ? behaviour.formatsStatus() : true;
}

// One behaviour per definition, shared by every process started from it:
// starting a process allocates no adapter.
const behaviours = new WeakMap<object, Behaviour>();

/** The behaviour that runs `server` (anything but an object is left for `start` to refuse). */
export function genServerBehaviour(server: unknown): unknown {
  if (typeof server !== "object" || server === null) return server;
  let behaviour = behaviours.get(server);
  if (behaviour === undefined) {
    behaviour = new GenServerBehaviour(server as GenServer<unknown, unknown>);
    behaviours.set(server, behaviour);
  }
  return behaviour;
}
