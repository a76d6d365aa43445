/**
 * The behaviours and the task `bench/schedulers_bench.ts` runs on several
 * schedulers: every scheduler of its systems loads this module
 * (`SystemOptions.modules`), so each `defineBehaviour` / `defineTask` here
 * is known by name on every thread.
 *
 * @module
 */

import { noreply, ok, reply } from "../mod.ts";
import { defineBehaviour, defineTask } from "../schedulers.ts";

/**
 * A fixed amount of CPU work: `iterations` steps of a linear congruential
 * generator from `seed` (the result keeps the loop from being optimised
 * away). {@linkcode calibrateBurn} says how many steps take a microsecond.
 */
export function burn(iterations: number, seed: number): number {
  let x = seed | 0;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  return x;
}

/** The calibration's last result (observable, so the loop is not optimised away). */
export let calibrationSink = 0;

/**
 * How many {@linkcode burn} iterations take `micros` microseconds on this
 * thread: the fastest of several timed runs of about 20 ms each (after
 * warm-up), so that a neighbour's load during calibration does not shrink
 * the work.
 */
export function calibrateBurn(micros: number): number {
  let sink = burn(1_000_000, 1);
  let iterations = 100_000;
  let best = Infinity;
  for (let run = 0; run < 30; run++) {
    const start = performance.now();
    sink ^= burn(iterations, sink);
    const ms = performance.now() - start;
    if (ms < 10) {
      iterations *= 2;
      continue;
    }
    best = Math.min(best, (ms * 1000) / iterations);
  }
  calibrationSink = sink;
  return Math.max(1, Math.round(micros / best));
}

/** What a {@linkcode worker} holds: its work per message, messages handled, and the work's result. */
export interface WorkerState {
  /** {@linkcode burn} iterations per message. */
  readonly iterations: number;
  /** Messages handled so far. */
  readonly handled: number;
  /** The last {@linkcode burn} result. */
  readonly sink: number;
}

/**
 * A process that does `iterations` of {@linkcode burn} per `"work"` cast.
 * `{ go: n }` (a call) makes it cast itself `n` `"work"` messages, so the
 * load is made where the process runs (the caller is not the bottleneck);
 * `"count"` answers how many it has handled, after every message queued
 * before it.
 */
export const worker = defineBehaviour("bench.schedulers.worker", {
  init: (iterations: number) => ok<WorkerState>({ iterations, handled: 0, sink: 0 }),
  handleCall: (request: { go: number } | "count", _from, state: WorkerState, ctx) => {
    if (request === "count") return reply(state.handled, state);
    for (let i = 0; i < request.go; i++) ctx.cast(ctx.self, "work");
    return reply(request.go, state);
  },
  handleCast: (_work: "work", state: WorkerState) =>
    noreply<WorkerState>({
      iterations: state.iterations,
      handled: state.handled + 1,
      sink: burn(state.iterations, state.sink ^ state.handled),
    }),
});

/** Counts the casts it gets; `"count"` answers how many. */
export const counter = defineBehaviour("bench.schedulers.counter", {
  init: () => ok(0),
  handleCall: (_request: "count", _from, count: number) => reply(count, count),
  handleCast: (_one: number, count: number) => noreply(count + 1),
});

/** Busy-waits `ms` milliseconds and returns `ms`: a CPU job for `Task.cpu`. */
export const spin = defineTask("bench.schedulers.spin", (ms: number): number => {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* the CPU is the point */ }
  return ms;
});
