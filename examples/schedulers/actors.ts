/**
 * The module every scheduler of the example loads (`SystemOptions.modules`):
 * what it defines by name can start, or run, on any of them.
 *
 * @module
 */

import { noreply, ok, reply } from "../../mod.ts";
import { defineBehaviour, defineTask } from "../../schedulers.ts";

/** A counter: `get` answers it, a cast adds to it. */
export const counter = defineBehaviour("example.counter", {
  init: (n: number) => ok(n),
  handleCall: (_request: "get", _from, n: number) => reply(n, n),
  handleCast: (by: number, n: number) => noreply(n + by),
});

/** Fibonacci, the slow way: CPU work for `Task.cpu`. */
export const fib = defineTask(
  "example.fib",
  (n: number): number => n < 2 ? n : fib.run(n - 1) + fib.run(n - 2),
);
