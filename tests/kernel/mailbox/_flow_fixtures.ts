/**
 * Fixtures of the flow-control tests (private: not a test file): a server
 * that can be held on a gate, counts what it handles and makes each message
 * cost virtual time, on a manually scheduled system.
 *
 * @module
 */

import { type GenServer, noreply, ok, reply } from "../../../src/gen_server.ts";
import { DownMessage } from "../../../src/system_messages.ts";
import type { Pid } from "../../../src/pid.ts";
import type { Context } from "../../../src/context.ts";
import type { System } from "../../../src/system.ts";
import { type Deferred, deferred, type ManualClock } from "../../_helpers.ts";

/** What a {@linkcode worker} did. */
export interface WorkLog {
  /** Casts and calls handled, in order (their payloads). */
  handled: unknown[];
  /** DOWN notices handled. */
  downs: number;
  /** The gate the worker waits on now, if any. */
  gate: Deferred<void> | undefined;
}

/** The message that makes a worker wait on a fresh gate. */
export const GATE = "gate";

/**
 * A server whose casts and calls each advance `clock` by `cost` ms (their
 * handling time) and are logged; {@linkcode GATE} holds it (an async
 * handler) until the test resolves `log.gate`. Its init monitors `watch`.
 */
export function worker(
  clock: ManualClock,
  log: WorkLog,
  cost = 0,
): GenServer<null, Pid[] | undefined> {
  const work = (message: unknown) => {
    clock.advance(cost);
    log.handled.push(message);
  };
  return {
    init: (watch: Pid[] | undefined, ctx: Context) => {
      for (const pid of watch ?? []) ctx.monitor(pid);
      return ok(null);
    },
    handleCast: (message: unknown, state: null) => {
      if (message === GATE) {
        log.gate = deferred();
        return log.gate.promise.then(() => noreply(state));
      }
      work(message);
      return noreply(state);
    },
    handleCall: (message: unknown, _from, state: null) => {
      work(message);
      return reply(message, state);
    },
    handleInfo: (message: unknown, state: null) => {
      if (message instanceof DownMessage) log.downs++;
      else work(message);
      return noreply(state);
    },
  };
}

/**
 * Runs the system until nothing is left to do but wait: a worker held on
 * its gate counts as waiting (`runUntilIdle` alone would wait for it).
 */
export function settle(system: System): Promise<void> {
  return system.runUntilIdle({ untilTimersOnly: true });
}

/** A fresh log. */
export function workLog(): WorkLog {
  return { handled: [], downs: 0, gate: undefined };
}

/** The smallest power of two at least `n` (the ring's largest capacity for bound `n`). */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
