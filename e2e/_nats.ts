/**
 * A real `nats-server -js` for the end-to-end tests and the JetStream bench:
 * started on 127.0.0.1 with a free port and its own store directory, waited
 * for, and killed (private: not a test file).
 *
 * @module
 */

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection, type NodeConnectionOptions } from "@nats-io/transport-node";
import {
  AckPolicy,
  type ConsumerConfig,
  type JetStreamManager,
  jetstreamManager,
} from "@nats-io/jetstream";
import { type Child, startChild } from "./_child.ts";
import { freePort, waitFor } from "./_wait.ts";

/** Where Debian's package installs the server (`/usr/sbin`), or another install in `/usr/bin`. */
export const NATS_SERVER =
  ["/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"]
    .find((path) => existsSync(path)) ?? "/usr/sbin/nats-server";

/** A running server. */
export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly child: Child;
  /** Connects a client (reconnecting by default; pass options to change that). */
  connect(options?: Partial<NodeConnectionOptions>): Promise<NatsConnection>;
  /** Kills the server and removes its store. Idempotent. */
  stop(): Promise<void>;
}

/** Starts `nats-server -js` and resolves once a client can use JetStream on it. */
export async function startNats(): Promise<NatsServer> {
  const dir = mkdtempSync(join(tmpdir(), "beamlet-e2e-nats-"));
  const port = await freePort();
  const child = startChild(NATS_SERVER, ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", dir]);
  const url = `127.0.0.1:${port}`;
  const server: NatsServer = {
    url,
    port,
    child,
    connect: (options = {}) => connect({ servers: url, ...options }),
    async stop() {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await waitFor("nats-server with JetStream", async () => {
    const nc = await connect({ servers: url, reconnect: false, timeout: 1_000 });
    try {
      await (await jetstreamManager(nc)).getAccountInfo();
      return true;
    } finally {
      await nc.close();
    }
  }, { timeoutMs: 30_000, everyMs: 100 }).catch(async (error) => {
    const output = child.output();
    await server.stop();
    throw new Error(`${error.message}\nnats-server output:\n${output}`);
  });
  return server;
}

/**
 * Creates stream `stream` on subject `${stream}.>` and a durable pull
 * consumer `consumer` with an `ack_wait` of `ackWaitMs` and unlimited
 * redeliveries; returns the manager.
 */
export async function createStreamAndConsumer(
  nc: NatsConnection,
  stream: string,
  consumer: string,
  ackWaitMs: number,
  extra: Partial<ConsumerConfig> = {},
): Promise<JetStreamManager> {
  const manager = await jetstreamManager(nc);
  await manager.streams.add({ name: stream, subjects: [`${stream}.>`] });
  await manager.consumers.add(stream, {
    durable_name: consumer,
    ack_policy: AckPolicy.Explicit,
    ack_wait: ackWaitMs * 1_000_000,
    max_deliver: -1,
    ...extra,
  });
  return manager;
}

/** Publishes `count` messages `"0"`, `"1"`, ... on `${stream}.items`, each acked by the stream. */
export async function publishNumbers(
  nc: NatsConnection,
  stream: string,
  count: number,
  from = 0,
): Promise<void> {
  const js = (await jetstreamManager(nc)).jetstream();
  const window = 256;
  for (let start = from; start < from + count; start += window) {
    const end = Math.min(from + count, start + window);
    const acks = [];
    for (let i = start; i < end; i++) acks.push(js.publish(`${stream}.items`, String(i)));
    await Promise.all(acks);
  }
}
