/**
 * The scheduler core underneath the GenServers, used directly: a flooded
 * actor holding a million messages cannot starve its neighbours, a bounded
 * mailbox refuses overload and counts it, and a timer wheel keeps time.
 *
 * Run: `deno run examples/core_tour/main.ts` (or `bun examples/core_tour/main.ts`).
 *
 * @module
 */

import { createCore, MAX_BOUND, Overflow, Priority, Stat } from "../../core.ts";

const core = createCore({ reductionBudget: 2000 });
const payloads: unknown[] = [];
const names = new Map<number, string>();
const handled = new Map<number, number>();

function spawn(
  name: string,
  bound: number,
  overflow: number,
  priority: number = Priority.Normal,
): number {
  const id = core.spawn(16, bound, overflow, priority);
  if (id < 0) throw new Error(`spawn ${name} failed: ${id}`);
  names.set(id, name);
  handled.set(id, 0);
  return id;
}

function cast(id: number, message: unknown): boolean {
  const slot = core.enqueue(id);
  if (slot < 0) return false; // refused or dropped: the core counted it
  payloads[slot & 0x3fff_ffff] = message;
  return true;
}

const flooded = spawn("flooded", MAX_BOUND, Overflow.Reject);
const neighbour = spawn("neighbour", MAX_BOUND, Overflow.Reject);
const bounded = spawn("bounded(100)", 100, Overflow.Reject);
const urgent = spawn("urgent", MAX_BOUND, Overflow.Reject, Priority.High);

const start = performance.now();
for (let i = 0; i < 1_000_000; i++) cast(flooded, i);
let refused = 0;
for (let i = 0; i < 1_000; i++) if (!cast(bounded, i)) refused++;
for (let i = 0; i < 10; i++) cast(neighbour, i);
cast(urgent, "now");

// A tick timer every 5 ms of core time, like sendAfter to itself.
const ticks: number[] = [];
let timer = core.timerSchedule(core.now() + 5);

const order: string[] = [];
let slices = 0;
for (let id = core.next(); id > 0; id = core.next()) {
  slices++;
  if (order.length < 8) order.push(names.get(id)!);
  let n = 0;
  for (; n < core.reductionBudget; n++) {
    const slot = core.dequeue(id);
    if (slot < 0) break;
    payloads[slot] = undefined;
  }
  handled.set(id, handled.get(id)! + n);
  core.release(id, n, 0);

  const fired = core.advance(performance.now() - start);
  for (let f = 0; f < fired; f++) {
    if (core.timerFired(f) === timer && ticks.length < 5) {
      ticks.push(Math.round(core.now()));
      timer = core.timerSchedule(core.now() + 5);
    }
  }
}
const elapsed = performance.now() - start;

console.log(`beamlet core demo (${core.kind} core)\n`);
console.log(`first runs, in order: ${order.join(" → ")}`);
console.log("  (urgent first: high priority; every other ready actor runs after the flooded");
console.log("   actor's first slice of 2000 reductions, not after its million messages)\n");
console.log("| actor | handled | refused | high-water |");
console.log("| --- | ---: | ---: | ---: |");
for (const [id, name] of names) {
  console.log(
    `| ${name} | ${handled.get(id)} | ${core.stat(id, Stat.Refused)} | ${
      core.stat(id, Stat.HighWater)
    } |`,
  );
}
console.log(`\nbounded(100) refused ${refused} of 1000 casts, and the core counted each one.`);
console.log(`timer ticks at core ms: ${ticks.join(", ") || "(ran too fast for a tick)"}`);
console.log(
  `${slices} slices, ${[...handled.values()].reduce((a, b) => a + b, 0)} messages in ${
    elapsed.toFixed(0)
  } ms.`,
);
