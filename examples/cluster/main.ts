/**
 * A cluster of three beamlet nodes on this machine, each its own OS
 * process, over a real `nats-server` this script starts on 127.0.0.1 (with
 * JetStream, for the global registry). Each node runs the `carts` sharding
 * (`carts.ts`), two members of the process group `workers`, a candidate
 * for the global name `leader`, and its own dashboard (see its Cluster
 * panel). After a while node c leaves cleanly — its carts are handed off to
 * a and b with their items — and comes back; the shards spread again.
 *
 * With `--steady` the three nodes just run for the duration (no leave and
 * rejoin) and report every 2 s, as the end-to-end test that screenshots a
 * dashboard runs it.
 *
 * ```sh
 * deno run -A examples/cluster/main.ts [--duration=60] [--steady]
 * bun examples/cluster/main.ts
 * node npm/examples/cluster/main.js      (after `npm run build:npm`)
 * ```
 *
 * Needs `nats-server` (Debian: `apt-get install nats-server`; or set
 * `NATS_SERVER` to its path).
 *
 * @module
 */

import process from "node:process";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const duration = Number(
  process.argv.find((a) => a.startsWith("--duration="))?.slice(11) ?? "30",
);
const steady = process.argv.includes("--steady");
const natsServer = process.env.NATS_SERVER ??
  ["/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"].find(existsSync);
if (natsServer === undefined) {
  console.error("the cluster example needs nats-server (apt-get install nats-server)");
  process.exit(2);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------ NATS
const store = mkdtempSync(join(tmpdir(), "beamlet-cluster-example-"));
const natsPort = await freePort();
const nats = spawn(natsServer, ["-js", "-a", "127.0.0.1", "-p", String(natsPort), "-sd", store], {
  stdio: "ignore",
});
const servers = `127.0.0.1:${natsPort}`;
const token = crypto.randomUUID(); // the dashboards' token, the same on every node
await sleep(500);

// ------------------------------------------------------------------ nodes
const script = new URL(
  import.meta.url.endsWith(".ts") ? "./node.ts" : "./node.js",
  import.meta.url,
).pathname;
const denoLike = "Deno" in globalThis;

interface Node {
  readonly name: string;
  readonly child: ChildProcess;
  last: Record<string, unknown> | undefined;
}

const running = new Map<string, Node>();

function startNode(name: string): Promise<Node> {
  const args = [`--node=${name}`, `--servers=${servers}`, `--token=${token}`];
  const child = spawn(
    process.execPath,
    denoLike ? ["run", "-A", script, ...args] : [script, ...args],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const node: Node = { name, child, last: undefined };
  running.set(name, node);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        node.last = JSON.parse(line);
      } catch {
        console.log(`[${name}] ${line}`);
        return;
      }
      resolve(node);
    });
    child.once("exit", (code) => reject(new Error(`node ${name} exited with ${code}`)));
  });
}

function stopNode(name: string): Promise<void> {
  const node = running.get(name);
  running.delete(name);
  if (node === undefined || node.child.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => node.child.once("exit", () => resolve()));
  node.child.kill("SIGTERM");
  return exited;
}

function report(): void {
  for (const node of running.values()) {
    const s = node.last ?? {};
    console.log(
      `  ${node.name}: nodes ${
        JSON.stringify(s.nodes)
      }, shards ${s.shards}, carts ${s.entities}, ` +
        `items added ${s.acked} (failed ${s.failed}), workers ${s.workers}, leader ${s.leader}`,
    );
  }
}

let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await Promise.all([...running.keys()].map(stopNode));
    nats.kill("SIGTERM");
    rmSync(store, { recursive: true, force: true });
  }
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  await Promise.all(["a", "b", "c"].map(startNode));
  console.log(`three nodes over nats-server ${servers}; dashboards:`);
  for (const node of running.values()) console.log(`  ${node.name}: ${node.last?.dashboard}`);
  if (steady) {
    const reporting = setInterval(report, 2000);
    await sleep(duration * 1000);
    clearInterval(reporting);
    report();
    await shutdown(0);
  }
  const third = Math.max(2, Math.floor(duration / 3));
  await sleep(third * 1000);
  report();
  console.log("node c leaves cleanly: its carts are handed off to a and b");
  await stopNode("c");
  await sleep(third * 1000);
  report();
  console.log("node c comes back: the shards spread over three nodes again");
  await startNode("c");
  await sleep(Math.max(2, duration - 2 * third) * 1000);
  report();
} catch (error) {
  console.error(error);
  await shutdown(1);
}
await shutdown(0);
