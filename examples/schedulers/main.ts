/**
 * Two schedulers: this thread and a Worker, over one shared memory. A
 * counter placed on the Worker is called and cast to from here; a CPU job
 * runs there while a 5 ms timer here fires on time.
 *
 * ```sh
 * deno run --allow-read=. examples/schedulers/main.ts
 * bun examples/schedulers/main.ts
 * node npm/examples/schedulers/main.js   (after `npm run build:npm`)
 * ```
 *
 * @module
 */

import { System, Task } from "../../mod.ts";
import { counter, fib } from "./actors.ts";

const here = import.meta.url.endsWith(".ts") ? "./actors.ts" : "./actors.js";
const system = new System({ schedulers: 2, modules: [new URL(here, import.meta.url)] });
await system.ready;
console.log(system.schedulers().map((s) => `scheduler ${s.index}: ${s.status}`).join(", "));

const pid = await system.start(counter, 0, { placement: { scheduler: 1 } });
system.cast(pid, 5);
console.log(`${pid} counts ${await system.call(pid, "get")}`);

const armed = performance.now();
const late = new Promise<number>((resolve) =>
  setTimeout(() => resolve(performance.now() - armed - 5), 5)
);
console.log(`fib(32) = ${await Task.cpu(system, fib, 32)} on another scheduler`);
console.log(`a 5 ms timer here fired ${(await late) < 10 ? "on time" : "late"}`);
system.shutdown();
