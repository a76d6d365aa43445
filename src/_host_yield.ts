/**
 * Yielding to the host event loop with the cheapest macrotask it has
 * (internal): `setImmediate` (Node, Bun), else a `MessageChannel` message
 * (Deno, browsers, workers), else `setTimeout(0)`.
 *
 * @module
 */

type Task = () => void;

function pickHostYield(): (task: Task) => void {
  const g = globalThis as { setImmediate?: (task: Task) => unknown };
  if (typeof g.setImmediate === "function") {
    const setImmediate = g.setImmediate;
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

/** Runs `task` in a later macrotask, after the host's pending I/O and timers. */
export const hostYield: (task: Task) => void = pickHostYield();
