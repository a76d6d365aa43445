/**
 * Yielding to the host event loop with the cheapest macrotask it has
 * (internal): `setImmediate` (Node, Bun, Deno), else a `MessageChannel`
 * message (browsers, workers), else `setTimeout(0)`; which host it is, is
 * `_host.ts`'s to say. The choice is made once, when this module loads.
 *
 * An immediate runs before the host's timers when the yield is made from
 * its timers phase (a run started by a timer or a promise it resolved), so
 * a slice that ends on a slow handler yields with `setTimeout(0)` instead:
 * every timer and I/O callback then due runs before the next slice. Its
 * extra millisecond is small beside a handler that slow; fast handlers keep
 * the cheap yield.
 *
 * Deno polls its HTTP server's I/O only between timer phases: a scheduler
 * that keeps yielding through `setImmediate` leaves `Deno.serve` requests
 * waiting 0.3–0.6 s under load (bench/http_bench.ts). There every fourth
 * yield is a `setTimeout(0)`, which lets I/O in (p99 of `/health` under
 * saturation back to milliseconds) for a few percent of throughput.
 *
 * @module
 */

import { hostSetImmediate, IS_DENO } from "./_host.ts";

type Task = () => void;

function pickHostYield(): (task: Task) => void {
  if (hostSetImmediate !== undefined) {
    const setImmediate = hostSetImmediate;
    if (IS_DENO) {
      let yields = 0;
      return (task) => {
        if ((++yields & 3) === 0) setTimeout(task, 0);
        else setImmediate(task);
      };
    }
    return (task) => void setImmediate(task);
  }
  if (typeof MessageChannel === "function") {
    const queue: Task[] = [];
    const channel = new MessageChannel();
    // A port with a listener keeps Deno alive: listen only while a task waits.
    const run = () => {
      const task = queue.shift();
      if (queue.length === 0) channel.port1.onmessage = null;
      task?.();
    };
    return (task) => {
      if (queue.length === 0) channel.port1.onmessage = run;
      queue.push(task);
      channel.port2.postMessage(null);
    };
  }
  return (task) => void setTimeout(task, 0);
}

const cheapYield: (task: Task) => void = pickHostYield();

/**
 * Runs `task` in a later macrotask, after the host's pending I/O (and, when
 * `afterTimers`, after every host timer already due).
 */
export function hostYield(task: Task, afterTimers = false): void {
  if (afterTimers) setTimeout(task, 0);
  else cheapYield(task);
}
