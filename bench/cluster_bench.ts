/**
 * Two nodes of a cluster on one machine, each figure against a bare NATS
 * request/reply (or publish) with the same client in the same run, in
 * interleaved rounds (medians). A real `nats-server` is started on
 * 127.0.0.1; the serving side is a second OS process running this file
 * with `serve`: a beamlet node `b` with an echo and a counting process,
 * and, on the same connection, a bare NATS responder (echo) and counter.
 *
 * 1. Sequential round trips, p50 / p99: `system.call(pid, { n })` to the
 *    echo on node b vs `nc.request("bench.echo", 16 bytes)` (the baseline).
 * 2. Concurrent round trips (64 in flight): calls/s vs requests/s.
 * 3. One-way messages: `system.cast` to the counter on node b vs one
 *    `nc.publish` per message to the bare counter (the baseline), until a
 *    call (a request) says all have arrived.
 *
 * The host's load average is printed before and after. Numbers only;
 * never assertions.
 *
 * Run: `deno run -A bench/cluster_bench.ts` (or `npm run bench:cluster`
 * for all three runtimes).
 *
 * @module
 */

import process from "node:process";
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { noreply, ok, type Pid, reply, System } from "../mod.ts";
import { defineBehaviour } from "../schedulers.ts";
import { median, runtimeName } from "./_harness.ts";
import { startNats } from "../e2e/_nats.ts";

const CLUSTER = "bench";
const SEQUENTIAL = 2000;
const CONCURRENT = 20_000;
const IN_FLIGHT = 64;
const CASTS = 100_000;
const ROUNDS = 5;

/** The echo and the counter on node b. */
const echo = defineBehaviour("bench.cluster.echo", {
  init: () => ok(null),
  handleCall: (request: unknown, _from, state: null) => reply(request, state),
});
const counter = defineBehaviour("bench.cluster.counter", {
  init: () => ok(0),
  handleCast: (_message: unknown, n: number) => noreply(n + 1),
  handleCall: (_request: "count", _from, n: number) => reply(n, n),
});

const nodeOptions = (node: string, servers: string) => ({
  node,
  logger: null,
  cluster: { name: CLUSTER, servers, heartbeatMs: 250, downAfterMs: 5000 },
});

// ------------------------------------------------------------------ serving side

async function serve(servers: string): Promise<void> {
  const system = new System(nodeOptions("b", servers));
  await system.ready;
  const nc = await connect({ servers });
  let count = 0;
  nc.subscribe("bench.echo", {
    callback: (_e, msg) => {
      msg.respond(msg.data);
    },
  });
  nc.subscribe("bench.count", {
    callback: () => {
      count++;
    },
  });
  nc.subscribe("bench.counted", {
    callback: (_e, msg) => {
      msg.respond(new TextEncoder().encode(String(count)));
    },
  });
  nc.subscribe("bench.reset", {
    callback: (_e, msg) => {
      count = 0;
      msg.respond(new Uint8Array(0));
    },
  });
  await nc.flush();
  process.stdout.write("serving\n");
  process.stdin.resume();
  process.stdin.on("end", async () => {
    await system.stopAll();
    await nc.close();
    process.exit(0);
  });
}

// ------------------------------------------------------------------ measuring side

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function roundTrips(ask: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t = performance.now();
    await ask(i);
    times.push((performance.now() - t) * 1000);
  }
  return times.sort((a, b) => a - b);
}

async function concurrent(ask: (i: number) => Promise<unknown>): Promise<number> {
  const t = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < CONCURRENT) await ask(next++);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return CONCURRENT / ((performance.now() - t) / 1000);
}

async function measure(servers: string): Promise<void> {
  const here = fileURLToPath(import.meta.url);
  const [command, args] = runtimeName().startsWith("Deno")
    ? [process.execPath, ["run", "-A", here, "serve", servers]]
    : [process.execPath, [here, "serve", servers]];
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk) => String(chunk).includes("serving") && resolve());
    child.once("exit", (code) => reject(new Error(`serving side exited with ${code}`)));
  });
  const system = new System(nodeOptions("a", servers));
  await system.ready;
  const nc: NatsConnection = await connect({ servers });
  const echoPid = await system.start(echo, undefined, { placement: { node: "b" } }) as Pid;
  const counterPid = await system.start(counter, undefined, { placement: { node: "b" } }) as Pid;
  const bytes = new Uint8Array(16);

  const rows = {
    bareP50: [] as number[],
    bareP99: [] as number[],
    callP50: [] as number[],
    callP99: [] as number[],
    bareRate: [] as number[],
    callRate: [] as number[],
    publishRate: [] as number[],
    castRate: [] as number[],
  };
  for (let round = -1; round < ROUNDS; round++) {
    const bare = await roundTrips(() => nc.request("bench.echo", bytes));
    const calls = await roundTrips((n) => system.call(echoPid, { op: "echo", n }));
    const bareRate = await concurrent(() => nc.request("bench.echo", bytes));
    const callRate = await concurrent((n) => system.call(echoPid, { op: "echo", n }));
    // One-way: bare publishes, then beamlet casts.
    await nc.request("bench.reset", new Uint8Array(0));
    let t = performance.now();
    for (let i = 0; i < CASTS; i++) nc.publish("bench.count", bytes);
    for (;;) {
      const counted = Number(new TextDecoder().decode((await nc.request("bench.counted")).data));
      if (counted >= CASTS) break;
    }
    const publishRate = CASTS / ((performance.now() - t) / 1000);
    const before = await system.call(counterPid, "count") as number;
    t = performance.now();
    for (let i = 0; i < CASTS; i++) system.cast(counterPid, i);
    while ((await system.call(counterPid, "count") as number) < before + CASTS);
    const castRate = CASTS / ((performance.now() - t) / 1000);
    if (round < 0) continue; // warm-up
    rows.bareP50.push(quantile(bare, 0.5));
    rows.bareP99.push(quantile(bare, 0.99));
    rows.callP50.push(quantile(calls, 0.5));
    rows.callP99.push(quantile(calls, 0.99));
    rows.bareRate.push(bareRate);
    rows.callRate.push(callRate);
    rows.publishRate.push(publishRate);
    rows.castRate.push(castRate);
  }
  const m = (xs: number[]) => median(xs);
  const k = (x: number) => `${(x / 1000).toFixed(1)} k/s`;
  console.log(`### Two nodes over one nats-server — ${runtimeName()}\n`);
  console.log("| case | beamlet | bare NATS (baseline) | beamlet ÷ bare |");
  console.log("| --- | ---: | ---: | ---: |");
  console.log(
    `| round trip p50 | ${m(rows.callP50).toFixed(0)} µs | ${m(rows.bareP50).toFixed(0)} µs | ${
      (m(rows.bareP50) / m(rows.callP50)).toFixed(2)
    }× speed |`,
  );
  console.log(
    `| round trip p99 | ${m(rows.callP99).toFixed(0)} µs | ${m(rows.bareP99).toFixed(0)} µs | ${
      (m(rows.bareP99) / m(rows.callP99)).toFixed(2)
    }× speed |`,
  );
  console.log(
    `| round trips, ${IN_FLIGHT} in flight | ${k(m(rows.callRate))} | ${k(m(rows.bareRate))} | ${
      (m(rows.callRate) / m(rows.bareRate)).toFixed(2)
    }× |`,
  );
  console.log(
    `| one-way (cast / publish) | ${k(m(rows.castRate))} | ${k(m(rows.publishRate))} | ${
      (m(rows.castRate) / m(rows.publishRate)).toFixed(2)
    }× |`,
  );
  await system.stopAll();
  await nc.close();
  child.stdin!.end();
  await new Promise((resolve) => child.once("exit", resolve));
}

if (process.argv.includes("serve")) {
  await serve(process.argv[process.argv.length - 1]);
} else {
  console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  const server = await startNats();
  try {
    await measure(server.url);
  } finally {
    await server.stop();
  }
  console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
}
