/**
 * The classic gen_statem example, a code lock, as a {@linkcode stateMachine}:
 * digits pressed while `locked` open it when they spell the code; it locks
 * itself again after `openMs` without an event; someone who asks to `pass`
 * while it is locked waits (the event is postponed) until it opens.
 *
 * @module
 */

import type { Action, StateMachine } from "./state_machine.ts";

/** The lock's states. */
export type LockState = "locked" | "open";

/** The lock's data. */
export interface LockData {
  readonly code: string;
  readonly openMs: number;
  /** Digits pressed since it last locked. */
  readonly pressed: string;
  /** Every state entered, in order (the state enter calls). */
  readonly log: readonly string[];
}

/** A code lock opened by `code`, open for `openMs` at a time. */
export const codeLock: StateMachine<LockState, LockData, { code: string; openMs: number }> = {
  init: ({ code, openMs }) => ({ state: "locked", data: { code, openMs, pressed: "", log: [] } }),

  enter(state, previous, data) {
    const log = [...data.log, `${previous ?? "start"} -> ${state}`];
    if (state === "open") {
      const actions: Action[] = [{ eventTimeout: data.openMs, content: "lock" }];
      return { data: { ...data, log, pressed: "" }, actions };
    }
    return { data: { ...data, log, pressed: "" } };
  },

  handleEvent(event, state, data) {
    if (event.type === "call" && event.content === "state") {
      // Any event cancels an event timeout: an open door sets its own again.
      const reply: Action = { reply: event.from, value: state };
      const relock: Action = { eventTimeout: data.openMs, content: "lock" };
      return { actions: state === "open" ? [reply, relock] : [reply] };
    }
    switch (state) {
      case "locked":
        if (event.type === "cast" && typeof event.content === "string") {
          const pressed = (data.pressed + event.content).slice(-data.code.length);
          return pressed === data.code ? { next: "open", data } : { data: { ...data, pressed } };
        }
        if (event.type === "call" && event.content === "pass") return { postpone: true };
        return {};
      case "open":
        if (event.type === "timeout") return { next: "locked" };
        if (event.type === "call" && event.content === "pass") {
          // Passing keeps the door open for another openMs.
          return {
            actions: [
              { reply: event.from, value: "welcome" },
              { eventTimeout: data.openMs, content: "lock" },
            ],
          };
        }
        if (event.type === "cast" && event.content === "lock") return { next: "locked" };
        return { actions: [{ eventTimeout: data.openMs, content: "lock" }] };
    }
  },
};
