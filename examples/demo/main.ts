/**
 * beamlet in one minute: GenServers with mailboxes, call/cast, a bounded
 * worker that refuses overload (and counts it), a crash that takes down one
 * process and nothing else, a link and a monitor that see it, a timer, and
 * the scheduler keeping the host's event loop alive under a million messages.
 *
 * Run: `npm start` (or `deno run examples/demo/main.ts`, `bun examples/demo/main.ts`).
 *
 * @module
 */

import {
  type Context,
  DownMessage,
  ExitMessage,
  type From,
  noreply,
  ok,
  OverloadedError,
  type Pid,
  reply,
  type Report,
  System,
} from "../../mod.ts";

const reports: Report[] = [];
const system = new System({ logger: { report: (r) => reports.push(r) } });

// 1. A counter: call reads, cast adds.
const counter = await system.start(
  {
    init: (start: number) => ok(start),
    handleCall: (_request: "get", _from: From<number>, n: number) => reply(n, n),
    handleCast: (add: number, n: number) => noreply(n + add),
  },
  0,
  { name: "counter" },
);
for (let i = 1; i <= 100; i++) system.cast("counter", i);
console.log(`counter after 100 casts: ${await system.call("counter", "get")}`);

// 2. A bounded worker: 100 slots, slow async jobs, refuses the rest.
const worker = await system.start(
  {
    init: () => ok(0),
    handleCast: async (_job: number, done: number) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return noreply(done + 1);
    },
    handleCall: (_request: "done", _from: From<number>, done: number) => reply(done, done),
  },
  undefined,
  { mailbox: { bound: 100 } },
);
let accepted = 0;
let refused = 0;
for (let i = 0; i < 1000; i++) system.cast(worker, i) === "ok" ? accepted++ : refused++;
const info = system.processInfo(worker)!;
console.log(
  `bounded worker: ${accepted} accepted, ${refused} refused (mailbox counted ${info.mailbox.refused})`,
);
await system.call(worker, "done", { timeout: 10_000 }).catch((error) => {
  if (error instanceof OverloadedError) console.log("  (and a call while full is refused at once)");
});

// 3. A crash: a supervisor-like watcher links to a fragile process and traps exits.
const watcher = await system.start({
  init: (_arg: undefined, ctx: Context) => {
    ctx.trapExit(true);
    return ok([] as string[]);
  },
  handleCall: async (
    request: "spawn" | "log",
    _from: From<unknown>,
    log: string[],
    ctx: Context,
  ) => {
    if (request === "log") return reply(log, log);
    const fragile = await ctx.startLink({
      init: () => ok(null),
      handleCast: (_message: "boom", _state: null) => {
        throw new Error("boom");
      },
    }, undefined);
    ctx.monitor(fragile);
    return reply(fragile, log);
  },
  handleInfo: (message: unknown, log: string[]) => {
    if (message instanceof ExitMessage) log.push(`EXIT from ${message.from}: ${message.reason}`);
    if (message instanceof DownMessage) log.push(`DOWN ${message.pid}: ${message.reason}`);
    return noreply(log);
  },
}, undefined);
const fragile = await system.call<Pid>(watcher, "spawn");
system.cast(fragile, "boom");
await system.whenExited(fragile);
await system.runUntilIdle();
console.log(`a crash in ${fragile}:`);
for (const line of await system.call<string[]>(watcher, "log")) {
  console.log(`  watcher saw ${line}`);
}
console.log(
  `  crash reports logged: ${reports.length}; counter still alive: ${system.isAlive(counter)}`,
);
await system.call(fragile, "get").catch((error) => {
  console.log(`  calling the dead process fails at once: ${error.name}`);
});

// 4. Timers and fairness: a flood of a million casts does not block the event loop.
const flood = await system.start({
  init: () => ok(0),
  handleCast: (_n: number, count: number) => noreply(count + 1),
  handleCall: (_request: "count", _from: From<number>, count: number) => reply(count, count),
});
let timerFiredAt = -1;
const start = performance.now();
setTimeout(() => (timerFiredAt = system.processInfo(flood)!.messageQueueLength), 5);
for (let i = 0; i < 1_000_000; i++) system.cast(flood, i);
const handled = await system.call<number>(flood, "count", { timeout: 60_000 });
await new Promise((resolve) => setTimeout(resolve, 10));
console.log(
  `a million casts handled in ${(performance.now() - start).toFixed(0)} ms (${handled});` +
    ` a setTimeout fired meanwhile with ${timerFiredAt} still queued`,
);

system.shutdown();
