/**
 * How long the host is held by a run of slow handlers: 100 casts queued to
 * one GenServer whose handler busy-waits 10 ms each (a second of work in
 * all). While they run, a host timer ticks (`setTimeout(0)` chained) and a
 * client in another process requests `/health` of an HTTP server in this
 * process back to back. A single synchronous handler cannot be pre-empted
 * in JavaScript, so the floor is the handler itself (10 ms); the target is
 * that the scheduler yields after each one: the longest stall of the timer
 * (and the longest `/health`) within 15 ms.
 *
 * The same run is repeated a few times; the table gives, per round, the
 * longest timer gap, its p99, and the `/health` p50 / p99 / max, then the
 * median of the rounds' longest gaps (this machine is shared and noisy: a
 * single round's maximum catches the noise too). Numbers only; never
 * assertions.
 *
 * Run: `deno run -A bench/host_stall_bench.ts`, `bun bench/host_stall_bench.ts`,
 * `node npm/bench/host_stall_bench.js` (after `npm run build:npm`).
 *
 * @module
 */

import { spawn } from "node:child_process";
import process from "node:process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type GenServer, noreply, ok, System } from "../mod.ts";
import { serve } from "../examples/demo/_serve.ts";
import { median, runtimeName } from "./_harness.ts";
import type { ClientCommand } from "./_http_client.ts";

const HANDLERS = 100;
const HANDLER_MS = 10;
const ROUNDS = 5;
const TARGET_MS = 15;

/** Holds the host for `ms` of wall time, as a CPU-bound handler does. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spinning on purpose
  }
}

const slow: GenServer<number, undefined, "done", number, number> = {
  init: () => ok(0),
  handleCast: (_n, handled) => {
    busy(HANDLER_MS);
    return noreply(handled + 1);
  },
};

function startClient() {
  const self = fileURLToPath(import.meta.url);
  const script = self.replace(/host_stall_bench\.(ts|js)$/, "_http_client.$1");
  const runtime = runtimeName().split(" ")[0];
  const args = runtime === "deno" ? ["run", "--allow-net", script] : [script];
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  const results = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    async run<R>(command: ClientCommand): Promise<R> {
      child.stdin!.write(JSON.stringify(command) + "\n");
      const next = await results.next();
      if (next.done) throw new Error("the bench client exited");
      return JSON.parse(next.value) as R;
    },
    close() {
      child.stdin!.end();
    },
  };
}

function percentile(sorted: number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

interface Round {
  maxGap: number;
  p99Gap: number;
  health: number[];
}

async function round(system: System, client: ReturnType<typeof startClient>, base: string) {
  const pid = await system.start(slow, undefined);
  // The client starts asking before the work is queued and stops after it is done.
  const probing = client.run<{ health: number[] }>({
    kind: "probe",
    base,
    durationMs: HANDLERS * HANDLER_MS + 300,
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const gaps: number[] = [];
  let last = performance.now();
  let ticking = true;
  const tick = () => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
    if (ticking) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  for (let i = 0; i < HANDLERS; i++) system.cast(pid, i);
  while (
    (system.processInfo(pid)?.messageQueueLength ?? 0) > 0 || system.schedulerStats().messages < 1
  ) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  ticking = false;
  const { health } = await probing;
  await system.stop(pid);
  gaps.sort((a, b) => a - b);
  return { maxGap: gaps[gaps.length - 1], p99Gap: percentile(gaps, 99), health } satisfies Round;
}

const system = new System({ logger: null });
const server = await serve(() => new Response("ok"), { port: 0 });
const base = `http://${server.hostname}:${server.port}`;
const client = startClient();
await client.run({ kind: "probe", base, durationMs: 300 }); // warm-up

const rounds: Round[] = [];
for (let i = 0; i < ROUNDS; i++) rounds.push(await round(system, client, base));
client.close();
await server.close();
await system.stopAll();

const f = (ms: number) => ms.toFixed(1);
const lines = [
  `### Host stall: ${HANDLERS} queued ${HANDLER_MS} ms handlers (${runtimeName()})`,
  "",
  "| round | longest timer gap | p99 timer gap | /health p50 | /health p99 | /health max |",
  "| ---: | ---: | ---: | ---: | ---: | ---: |",
  ...rounds.map((r, i) => {
    const health = [...r.health].sort((a, b) => a - b);
    return `| ${i + 1} | ${f(r.maxGap)} ms | ${f(r.p99Gap)} ms | ${
      f(percentile(health, 50))
    } ms | ${f(percentile(health, 99))} ms | ${f(health[health.length - 1])} ms |`;
  }),
  "",
  `Median of the rounds' longest timer gaps: ${f(median(rounds.map((r) => r.maxGap)))} ms; ` +
  `of their longest /health: ${
    f(median(rounds.map((r) => Math.max(...r.health))))
  } ms (target ${TARGET_MS} ms; a handler alone is ${HANDLER_MS} ms).`,
];
console.log(lines.join("\n"));
process.exit(0);
