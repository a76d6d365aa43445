/**
 * How long a cluster takes to notice a killed node: a node in its own OS
 * process is killed with SIGKILL (no goodbye), and the time from the kill
 * to the `nodedown` (`"noconnection"`) on the observing node is measured;
 * beside it, a node that leaves cleanly (`stopAll`, a goodbye), from its
 * SIGTERM to the `nodedown` (`"shutdown"`). With the default heartbeat
 * settings (250 / 1500 ms) and faster ones (100 / 600 ms). A real
 * `nats-server` is started on 127.0.0.1. Numbers only; never assertions.
 *
 * Run: `deno run -A bench/cluster_failover_bench.ts` (Node: after
 * `npm run build:npm`, `node npm/bench/cluster_failover_bench.js`).
 *
 * @module
 */

import process from "node:process";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { System } from "../mod.ts";
import { clusterOf, type NodeEvent } from "../cluster.ts";
import { median, runtimeName } from "./_harness.ts";
import { startNats } from "../e2e/_nats.ts";

const ROUNDS = 5;

async function serve(servers: string, heartbeatMs: number, downAfterMs: number): Promise<void> {
  const system = new System({
    node: "victim",
    logger: null,
    cluster: { name: "failover", servers, heartbeatMs, downAfterMs },
  });
  await system.ready;
  process.stdout.write("up\n");
  process.on("SIGTERM", async () => {
    await system.stopAll();
    process.exit(0);
  });
}

async function round(
  observer: System,
  servers: string,
  settings: [number, number],
  signal: "SIGKILL" | "SIGTERM",
): Promise<number> {
  const here = fileURLToPath(import.meta.url);
  const args = ["serve", servers, String(settings[0]), String(settings[1])];
  const child = runtimeName().startsWith("Deno")
    ? spawn(process.execPath, ["run", "-A", here, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    })
    : spawn(process.execPath, [here, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const link = clusterOf(observer);
  let up!: () => void;
  const isUp = new Promise<void>((resolve) => up = resolve);
  let killedAt = 0;
  let down!: (ms: number) => void;
  const isDown = new Promise<number>((resolve) => down = resolve);
  const stop = link.onNodeEvent((event: NodeEvent) => {
    if (event.node !== "victim") return;
    if (event.type === "nodeup") up();
    else if (killedAt > 0) down(performance.now() - killedAt);
  });
  await isUp;
  await new Promise((resolve) => setTimeout(resolve, 300));
  killedAt = performance.now();
  // process.kill, not child.kill: Deno's child.kill may close the child's
  // stdin first, and the node would then leave cleanly instead of dying.
  process.kill(child.pid!, signal);
  const ms = await isDown;
  stop();
  await exited;
  return ms;
}

if (process.argv.includes("serve")) {
  const [servers, heartbeat, downAfter] = process.argv.slice(-3);
  await serve(servers, Number(heartbeat), Number(downAfter));
} else {
  const nats = await startNats();
  try {
    console.log(`### Noticing a node that is gone — ${runtimeName()}\n`);
    console.log("| heartbeat / downAfter | killed (SIGKILL): median, min – max | left cleanly |");
    console.log("| --- | ---: | ---: |");
    for (const settings of [[250, 1500], [100, 600]] as [number, number][]) {
      const observer = new System({
        node: "observer",
        logger: null,
        cluster: {
          name: "failover",
          servers: nats.url,
          heartbeatMs: settings[0],
          downAfterMs: settings[1],
        },
      });
      await observer.ready;
      const killed: number[] = [];
      const left: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        killed.push(await round(observer, nats.url, settings, "SIGKILL"));
        left.push(await round(observer, nats.url, settings, "SIGTERM"));
      }
      const f = (xs: number[]) =>
        `${median(xs).toFixed(0)} ms, ${Math.min(...xs).toFixed(0)} – ${
          Math.max(...xs).toFixed(0)
        }`;
      console.log(`| ${settings[0]} / ${settings[1]} ms | ${f(killed)} | ${f(left)} |`);
      await observer.stopAll();
    }
  } finally {
    await nats.stop();
  }
}
