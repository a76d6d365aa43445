/**
 * A real cluster of `nats-server -js` processes for the end-to-end tests of
 * distribution (private: not a test file): n servers on 127.0.0.1, each with
 * its own client and cluster port, store directory and `server_name`, routed
 * to each other under one cluster name; resolved once clustered JetStream is
 * usable (a meta leader elected: a replicated stream can be made and
 * removed). A server can be SIGKILLed and started again on the same ports and
 * store, as a crashed and rebooted machine would be.
 *
 * @module
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection, type NodeConnectionOptions } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { type Child, startChild } from "./_child.ts";
import { NATS_SERVER } from "./_nats.ts";
import { freePort, waitFor } from "./_wait.ts";

/** A running cluster of nats-servers. */
export interface NatsCluster {
  /** The cluster's name (`cluster.name` of every server). */
  readonly name: string;
  /** Each server's client URL, `127.0.0.1:<port>`, in server order. */
  readonly urls: readonly string[];
  /** Each server's `server_name` (`n0`, `n1`, ...). */
  readonly serverNames: readonly string[];
  /** Connects a client to every server (reconnecting by default; pass options to change that). */
  connect(options?: Partial<NodeConnectionOptions>): Promise<NatsConnection>;
  /** Whether server `i` runs (started and not killed or stopped). */
  isUp(i: number): boolean;
  /** Everything server `i` printed in its current run. */
  output(i: number): string;
  /** SIGKILLs server `i` (no clean shutdown, no lame-duck mode); resolves once it exited. */
  kill(i: number): Promise<void>;
  /** Starts server `i` again on the same ports and store; resolves once it answers clients. */
  restart(i: number): Promise<void>;
  /**
   * Resolves once clustered JetStream is usable again: a meta leader is
   * elected (it answers account info) and, when every server runs, a stream
   * replicated on all of them can be made and removed.
   */
  ready(timeoutMs?: number): Promise<void>;
  /** Stops every server and removes their stores. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@linkcode startNatsCluster}. */
export interface NatsClusterOptions {
  /** The cluster's name; `"beamlet-e2e"` by default. */
  readonly name?: string;
  /** How long to wait for JetStream to be usable, ms; 60 s by default. */
  readonly readyTimeoutMs?: number;
}

interface Server {
  readonly name: string;
  readonly port: number;
  readonly clusterPort: number;
  readonly dir: string;
  readonly config: string;
  child: Child | undefined;
}

function configText(server: Server, cluster: string, all: readonly Server[]): string {
  const routes = all
    .filter((other) => other !== server)
    .map((other) => `    "nats-route://127.0.0.1:${other.clusterPort}"`)
    .join("\n");
  return [
    `server_name: "${server.name}"`,
    `listen: "127.0.0.1:${server.port}"`,
    `jetstream {`,
    `  store_dir: "${server.dir}"`,
    `}`,
    `cluster {`,
    `  name: "${cluster}"`,
    `  listen: "127.0.0.1:${server.clusterPort}"`,
    `  routes: [`,
    routes,
    `  ]`,
    `}`,
    "",
  ].join("\n");
}

/** Sends `name` to the server's process and resolves once it exited. */
async function signal(server: Server, name: "SIGKILL" | "SIGTERM"): Promise<void> {
  const child = server.child;
  if (child === undefined || !isRunning(child)) return;
  const exited = new Promise<void>((resolve) => child.process.once("exit", () => resolve()));
  child.process.kill(name);
  await exited;
}

function isRunning(child: Child | undefined): boolean {
  return child !== undefined && child.process.exitCode === null &&
    child.process.signalCode === null;
}

/** Resolves once a client can connect to `url` (the server listens). */
async function waitListening(url: string, child: Child, timeoutMs: number): Promise<void> {
  await waitFor(`nats-server ${url} to listen`, async () => {
    if (!isRunning(child)) throw new Error(`it exited:\n${child.output()}`);
    const nc = await connect({ servers: url, reconnect: false, timeout: 1_000 });
    await nc.close();
    return true;
  }, { timeoutMs, everyMs: 100 });
}

/**
 * Starts `size` routed `nats-server -js` processes (3 by default, so that
 * JetStream has a quorum after losing one) and resolves once clustered
 * JetStream is usable on them.
 */
export async function startNatsCluster(
  size = 3,
  options: NatsClusterOptions = {},
): Promise<NatsCluster> {
  if (!Number.isInteger(size) || size < 1 || size > 9) {
    throw new RangeError(`startNatsCluster: size must be an integer in 1..9, got ${size}`);
  }
  const name = options.name ?? "beamlet-e2e";
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const root = mkdtempSync(join(tmpdir(), "beamlet-e2e-natscluster-"));
  const ports = new Set<number>();
  while (ports.size < size * 2) ports.add(await freePort());
  const [...free] = ports;
  const servers: Server[] = [];
  for (let i = 0; i < size; i++) {
    servers.push({
      name: `n${i}`,
      port: free[2 * i],
      clusterPort: free[2 * i + 1],
      dir: join(root, `n${i}`),
      config: join(root, `n${i}.conf`),
      child: undefined,
    });
  }
  for (const server of servers) writeFileSync(server.config, configText(server, name, servers));
  const urls = servers.map((server) => `127.0.0.1:${server.port}`);
  const spawn = (server: Server) => {
    server.child = startChild(NATS_SERVER, ["-c", server.config]);
    return server.child;
  };
  const at = (i: number): Server => {
    const server = servers[i];
    if (server === undefined) {
      throw new RangeError(`NatsCluster: server index must be in 0..${size - 1}, got ${i}`);
    }
    return server;
  };
  let stopped = false;

  const cluster: NatsCluster = {
    name,
    urls,
    serverNames: servers.map((server) => server.name),
    connect: (connectOptions = {}) => connect({ servers: [...urls], ...connectOptions }),
    isUp: (i) => isRunning(at(i).child),
    output: (i) => at(i).child?.output() ?? "",
    kill: (i) => signal(at(i), "SIGKILL"),
    async restart(i) {
      const server = at(i);
      if (stopped) throw new Error("NatsCluster: restart after stop");
      if (isRunning(server.child)) await cluster.kill(i);
      // The old process's listening sockets may linger a moment; a start that
      // fails to bind exits, so try again until one listens.
      await waitFor(`nats-server ${server.name} to start again`, async () => {
        const child = server.child !== undefined && isRunning(server.child)
          ? server.child
          : spawn(server);
        await waitListening(urls[i], child, 5_000);
        return true;
      }, { timeoutMs: 30_000, everyMs: 200 });
    },
    async ready(timeoutMs = readyTimeoutMs) {
      // With a server down, only the meta leader is asked for: a new stream
      // may be placed on the dead server (it is not seen offline at once)
      // and then waits for it.
      const all = servers.every((server) => isRunning(server.child));
      await waitFor("clustered JetStream with a meta leader", async () => {
        const nc = await connect({ servers: [...urls], reconnect: false, timeout: 2_000 });
        try {
          const manager = await jetstreamManager(nc, { timeout: 2_000 });
          await manager.getAccountInfo();
          if (all) {
            const stream = `READY_${Math.random().toString(36).slice(2, 10)}`;
            await manager.streams.add({
              name: stream,
              subjects: [`${stream}.>`],
              num_replicas: size,
            });
            await manager.streams.delete(stream);
          }
          return true;
        } finally {
          await nc.close();
        }
      }, { timeoutMs, everyMs: 250 });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // SIGTERM is a fast shutdown for nats-server; SIGKILL if it lingers.
      await Promise.all(servers.map(async (server) => {
        const timer = setTimeout(() => server.child?.process.kill("SIGKILL"), 5_000);
        await signal(server, "SIGTERM");
        clearTimeout(timer);
      }));
      rmSync(root, { recursive: true, force: true });
    },
  };

  try {
    for (const server of servers) spawn(server);
    await Promise.all(
      servers.map((server, i) => waitListening(urls[i], server.child!, readyTimeoutMs)),
    );
    await cluster.ready();
  } catch (error) {
    const outputs = servers.map((server) => `--- ${server.name}:\n${server.child?.output() ?? ""}`);
    await cluster.stop();
    throw new Error(`${(error as Error).message}\nnats-server output:\n${outputs.join("\n")}`, {
      cause: error,
    });
  }
  return cluster;
}
