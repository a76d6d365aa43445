/**
 * Behaviours and tasks the scheduler tests start on other schedulers:
 * every scheduler of a test system loads this module.
 *
 * @module
 */

import { noreply, ok, reply } from "../../mod.ts";
import { defineBehaviour, defineTask } from "../../schedulers.ts";
import type { Pid } from "../../mod.ts";

/** A counter: `get`, `add` (cast), `{ add }` (info), `where` (its scheduler), `crash`. */
export const counter = defineBehaviour("test.counter", {
  init: (n: number) => ok(n),
  handleCall: (request: "get" | "where" | "crash" | "crash oddly", _from, n: number) => {
    if (request === "crash") throw new Error("asked to crash");
    // A reason that cannot cross schedulers: it has a function in it.
    if (request === "crash oddly") throw { code: 7, hint: () => "no" };
    return reply(request === "get" ? n : -1, n);
  },
  handleCast: (add: number, n: number) => noreply(n + add),
  handleInfo: (message: unknown, n: number) =>
    noreply(
      typeof message === "object" && message !== null && "add" in message
        ? n + (message as { add: number }).add
        : n,
    ),
});

/** Records every message it gets, in order; `log` returns them. */
export const recorder = defineBehaviour("test.recorder", {
  init: () => ok([] as unknown[]),
  handleCall: (_request: "log", _from, log: unknown[]) => reply(log, log),
  handleCast: (message: unknown, log: unknown[]) => noreply([...log, message]),
  handleInfo: (message: unknown, log: unknown[]) => noreply([...log, message]),
});

/** Casts `count` numbered messages to `to`, tagged with `tag`, when told `{ go }`. */
export const flooder = defineBehaviour("test.flooder", {
  init: () => ok(null),
  handleCall: (
    request: { to: Pid | string; tag: string; count: number },
    _from,
    state: null,
    ctx,
  ) => {
    for (let i = 0; i < request.count; i++) ctx.cast(request.to, [request.tag, i]);
    return reply(request.count, state);
  },
});

/** Calls `to` with `request` from its own scheduler and replies with the answer. */
export const asker = defineBehaviour("test.asker", {
  init: () => ok(null),
  handleCall: async (request: { to: Pid | string; request: unknown }, _from, state: null, ctx) =>
    reply(await ctx.call(request.to, request.request), state),
});

/** Busy-waits `ms` milliseconds and returns `ms` (a CPU job). */
export const spin = defineTask("test.spin", (ms: number): number => {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* the CPU is the point */ }
  return ms;
});

/** Adds two numbers. */
export const add = defineTask("test.add", (a: number, b: number): number => a + b);

/** Throws. */
export const fails = defineTask("test.fails", (): never => {
  throw new RangeError("task failed on purpose");
});
