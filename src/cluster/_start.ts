/**
 * Joins a System to its cluster (internal), loaded by `System` with a
 * dynamic import only when it has a `cluster` option, so that a system
 * without one never loads NATS, the node fabric or the codec.
 *
 * @module
 */

import type { NatsConnection } from "@nats-io/nats-core";
import type { Pid } from "../pid.ts";
import type { Runtime } from "../kernel/state/runtime.ts";
import { linkStartedChild } from "../kernel/lifecycle/remote_links.ts";
import { isViaName } from "../kernel/mailbox/delivery.ts";
import { genServerBehaviour } from "../_gen_server_behaviour.ts";
import { placedNode } from "../_placement.ts";
import { readOptions } from "../_options.ts";
import type { StartOptions } from "../options.ts";
import { UnknownBehaviourError } from "../errors.ts";
import { behaviourName } from "../schedulers/define_behaviour.ts";
import { spawnHere } from "../schedulers/_spawn_here.ts";
import { Cluster, type ClusterHost, type ClusterSettings } from "./_cluster.ts";
import { setClusterOf } from "./cluster_link.ts";
import { ClusterConnectError, NodeNameTakenError } from "./errors.ts";
import type { NodeEvent } from "./cluster_link.ts";
import type { Telemetry } from "../telemetry/telemetry.ts";
import { attachClusterGauges, emitNodeEvent } from "./_cluster_events.ts";

/** What `System` hands over. */
export interface JoinCluster {
  readonly system: object;
  readonly rt: Runtime;
  readonly settings: ClusterSettings;
  readonly connection: object | undefined;
  /** The system's telemetry (node events, traffic). */
  readonly telemetry: Telemetry;
  processCount(): number;
  call(pid: Pid, request: unknown, timeout: number, caller: Pid | undefined): Promise<unknown>;
  /** `system.stop` of a process here. */
  stop(pid: Pid, reason: unknown, timeout: number): Promise<void>;
  /** Hands the System its cluster once it is connected (before it has joined). */
  adopt(cluster: Cluster): void;
}

/** Connects, checks the node's name is free, joins; rejects with a named error. */
export async function joinCluster(join: JoinCluster): Promise<Cluster> {
  const { settings, rt } = join;
  const owned = join.connection === undefined;
  const nc = owned ? await connectTo(settings, rt.node) : join.connection as NatsConnection;
  try {
    await checkNameFree(nc, settings.name, rt.node);
  } catch (error) {
    if (owned) await nc.close().catch(() => {});
    throw error;
  }
  const host: ClusterHost = {
    rt,
    processCount: join.processCount,
    call: join.call,
    stop: join.stop,
    spawnHere: (name, arg, options, parent, link) =>
      spawnHere(rt, name, arg, options, parent, link, rt.node),
    nodeEvent: (event: NodeEvent, nodesUp: number) => emitNodeEvent(join.telemetry, event, nodesUp),
  };
  const cluster = new Cluster(host, nc, owned, settings);
  setClusterOf(join.system, cluster);
  attachClusterGauges({ telemetry: join.telemetry }, cluster, () => cluster.fabric.traffic);
  join.adopt(cluster);
  rt.spawner = (parent, link, definition, behaviourOf, arg, options, placement) => {
    const node = placedNode(placement);
    if (node === undefined || node === rt.node) return undefined; // here
    if (behaviourOf !== (genServerBehaviour as unknown)) {
      throw new TypeError(
        "start: only a GenServer defined with defineBehaviour can be placed on another node",
      );
    }
    const name = behaviourName(definition);
    if (name === undefined) throw new UnknownBehaviourError(undefined, 0, { node });
    const rest = readOptions("start: options", () => {
      const { placement: _, ...others } = options as StartOptions & Record<string, unknown>;
      return others;
    });
    if (isViaName(rest.name)) {
      throw new TypeError(
        "start: a { via, key } name cannot go with a start on another node: register it there (or start it with a string name)",
      );
    }
    const parentPid = link ? parent?.pid : undefined;
    return cluster.fabric.spawn(node, name, arg, rest, parentPid, link).then((pid) => {
      if (pid !== undefined && parentPid !== undefined) linkStartedChild(rt, parentPid, pid);
      return pid;
    });
  };
  try {
    await cluster.join();
  } catch (error) {
    await cluster.leave();
    throw new ClusterConnectError(settings.name, settings.servers.join(","), String(error), {
      cause: error,
    });
  }
  return cluster;
}

/** The NATS client a clustered System connects with (an optional peer dependency). */
const NATS_TRANSPORT: string = "@nats-io/transport-node";

async function connectTo(settings: ClusterSettings, node: string): Promise<NatsConnection> {
  const servers = settings.servers.join(",");
  let connect: typeof import("@nats-io/transport-node").connect;
  try {
    // Through a variable: a bundler for an edge host (esbuild, platform
    // "neutral") must not pull the Node transport in; it loads only here.
    ({ connect } = await import(NATS_TRANSPORT) as typeof import("@nats-io/transport-node"));
  } catch (error) {
    throw new ClusterConnectError(
      settings.name,
      servers,
      "the NATS client @nats-io/transport-node is not installed (npm install @nats-io/transport-node), or pass cluster.connection",
      { cause: error },
    );
  }
  try {
    return await connect({
      servers: [...settings.servers],
      name: `beamlet ${settings.name}/${node}`,
      timeout: settings.connectTimeoutMs,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 100,
      pingInterval: 10_000,
    });
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    throw new ClusterConnectError(
      settings.name,
      servers,
      typeof code === "string" ? code : error instanceof Error ? error.message : String(error),
      { cause: error },
    );
  }
}

/** A live node already answering for this name refuses it. */
async function checkNameFree(nc: NatsConnection, cluster: string, node: string): Promise<void> {
  try {
    await nc.request(`beamlet.${cluster}.ping.${node}`, new Uint8Array(0), { timeout: 250 });
  } catch {
    return; // no responders (or no answer in time): the name is free
  }
  throw new NodeNameTakenError(cluster, node);
}
