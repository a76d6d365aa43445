/**
 * A gen_statem-style behaviour built on beamlet's behaviour port alone (no
 * edit to the kernel): named states, state enter calls, event timeouts and
 * postponed events.
 *
 * - `handleEvent(event, state, data)` answers each event (a call, a cast, a
 *   plain message, or an event timeout) with a transition: the next state,
 *   new data, actions (replies, an event timeout), `postpone`, or `stop`.
 * - `enter(state, previous, data)` runs on every state change (and for the
 *   initial state): it may change the data and set actions, not the state.
 * - An event timeout fires when no other event arrives for its time, and is
 *   cancelled by any event (the kernel's idle `timeout` does exactly that).
 * - A postponed event is kept, and retried, in order, after the next state
 *   change, before any new event (through the kernel's `continue`).
 *
 * @module
 */

import {
  type Behaviour,
  type Context,
  type ExitReason,
  type From,
  noreply,
  ok,
  stop,
} from "../../mod.ts";

/** One event: what `handleEvent` gets. */
export type Event =
  | { readonly type: "call"; readonly content: unknown; readonly from: From }
  | { readonly type: "cast"; readonly content: unknown }
  | { readonly type: "info"; readonly content: unknown }
  | { readonly type: "timeout"; readonly content: unknown };

/** Something a transition or an enter call asks for besides the state. */
export type Action =
  | { readonly reply: From; readonly value: unknown }
  | { readonly eventTimeout: number; readonly content: unknown };

/** What `handleEvent` answers. */
export type Transition<S extends string, D> =
  | { readonly next?: S; readonly data?: D; readonly actions?: readonly Action[] }
  | { readonly postpone: true }
  | { readonly stop: ExitReason; readonly data?: D };

/** A state machine's definition. */
export interface StateMachine<S extends string, D, A = void> {
  /** The initial state and data. */
  init(arg: A, ctx: Context): { state: S; data: D; actions?: readonly Action[] };
  /** Handles one event in `state`. */
  handleEvent(event: Event, state: S, data: D, ctx: Context): Transition<S, D>;
  /** A state enter call: runs on every state change, and for the initial state. */
  enter?(
    state: S,
    previous: S | undefined,
    data: D,
    ctx: Context,
  ): { data?: D; actions?: readonly Action[] } | void;
  /** Runs when the machine stops. */
  terminate?(reason: ExitReason, state: S, data: D): void;
}

/** The behaviour's state: the machine's, and the events it keeps. */
interface Running<S extends string, D> {
  state: S;
  data: D;
  /** Postponed in the current state. */
  postponed: Event[];
  /** Postponed events to retry (after a state change), before any new event. */
  retry: Event[];
  /** The event timeout set last and its content (undefined: none). */
  timeout: { ms: number; content: unknown } | undefined;
}

const NAMES: Behaviour["callbackNames"] = {
  init: "init",
  call: "handleEvent",
  cast: "handleEvent",
  info: "handleEvent",
  continue: "handleEvent",
  timeout: "handleEvent",
  terminate: "terminate",
};

/**
 * The behaviour that runs `machine`: start it with
 * `system.startBehaviour(stateMachine(machine), arg)`.
 */
export function stateMachine<S extends string, D, A = void>(
  machine: StateMachine<S, D, A>,
): Behaviour {
  return {
    callbackNames: NAMES,
    init(arg, ctx) {
      const { state, data, actions } = machine.init(arg as A, ctx);
      const running: Running<S, D> = { state, data, postponed: [], retry: [], timeout: undefined };
      apply(running, actions ?? [], ctx);
      enter(machine, running, undefined, ctx);
      return ok(running, options(running));
    },
    handles: () => true,
    handle(kind, message, from, state, ctx) {
      const running = state as Running<S, D>;
      let event: Event;
      if (kind === "continue") {
        event = running.retry.shift()!;
      } else if (kind === "timeout") {
        const content = running.timeout?.content;
        running.timeout = undefined;
        event = { type: "timeout", content };
      } else {
        running.timeout = undefined; // any event cancels the event timeout
        event = kind === "call"
          ? { type: "call", content: message, from: from! }
          : { type: kind === "cast" ? "cast" : "info", content: message };
      }
      const transition = machine.handleEvent(event, running.state, running.data, ctx);
      if ("postpone" in transition) {
        running.postponed.push(event);
        return noreply(running, options(running));
      }
      if ("stop" in transition) {
        if (transition.data !== undefined) running.data = transition.data;
        return stop(transition.stop, running);
      }
      if (transition.data !== undefined) running.data = transition.data;
      apply(running, transition.actions ?? [], ctx);
      const next = transition.next;
      if (next !== undefined && next !== running.state) {
        const previous = running.state;
        running.state = next;
        // Postponed events are retried in the new state, oldest first, before anything new.
        running.retry.push(...running.postponed);
        running.postponed = [];
        enter(machine, running, previous, ctx);
      }
      return noreply(running, options(running));
    },
    terminates: () => machine.terminate !== undefined,
    terminate(reason, state) {
      const running = state as Running<S, D> | undefined;
      if (running !== undefined) machine.terminate?.(reason, running.state, running.data);
    },
    formatState(state) {
      const running = state as Running<S, D>;
      return { state: running.state, data: running.data, postponed: running.postponed.length };
    },
  };
}

function enter<S extends string, D, A>(
  machine: StateMachine<S, D, A>,
  running: Running<S, D>,
  previous: S | undefined,
  ctx: Context,
): void {
  const entered = machine.enter?.(running.state, previous, running.data, ctx);
  if (!entered) return;
  if (entered.data !== undefined) running.data = entered.data;
  apply(running, entered.actions ?? [], ctx);
}

function apply<S extends string, D>(
  running: Running<S, D>,
  actions: readonly Action[],
  ctx: Context,
): void {
  for (const action of actions) {
    if ("reply" in action) ctx.reply(action.reply, action.value);
    else running.timeout = { ms: action.eventTimeout, content: action.content };
  }
}

/** What the kernel should do next: retry postponed events first, else arm the event timeout. */
function options<S extends string, D>(
  running: Running<S, D>,
): { continue?: true; timeout?: number } {
  if (running.retry.length > 0) return { continue: true };
  return running.timeout === undefined ? {} : { timeout: running.timeout.ms };
}
