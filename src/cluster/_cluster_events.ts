/**
 * The emitters of the cluster's telemetry events (internal): the core calls
 * {@linkcode emitNodeEvent} on every membership change and
 * {@linkcode emitTraffic} periodically while anyone listens to
 * `beamlet.cluster.traffic`; {@linkcode attachClusterGauges} executes
 * `beamlet.cluster.shards` from this node's own `sharding.<name>` meta (and,
 * given the traffic counters, `beamlet.cluster.traffic`), riding on
 * `beamlet.system.table_size` (at most once a second, at the end of a
 * scheduler slice) while anyone listens, like the scheduler load event.
 * A system without a cluster executes none of them.
 *
 * @module
 */

import {
  CLUSTER_NODE_DOWN,
  CLUSTER_NODE_UP,
  CLUSTER_NODES,
  CLUSTER_SHARDS,
  CLUSTER_TRAFFIC,
} from "../telemetry/catalog/cluster_events.ts";
import { TABLE_SIZE } from "../telemetry/catalog/runtime_events.ts";
import type { Telemetry } from "../telemetry/telemetry.ts";
import type { ClusterLink, NodeEvent } from "./cluster_link.ts";

/** The running totals {@linkcode emitTraffic} reports. */
export interface TrafficTotals {
  /** Messages sent to other nodes. */
  readonly sent: number;
  /** Messages received from other nodes. */
  readonly received: number;
  /** Encoded bytes sent. */
  readonly bytesSent: number;
  /** Encoded bytes received. */
  readonly bytesReceived: number;
  /** NATS messages (batches) the sent messages were published in. */
  readonly batches: number;
  /** NATS messages (batches) received (0 when not given). */
  readonly batchesReceived?: number;
  /** Casts and sends refused before they left (too large, node not up). */
  readonly refused: number;
}

/** What one `Sharding` publishes under `sharding.<name>` on its node's heartbeats. */
export interface ShardingMeta {
  /** The `Sharding`'s name. */
  readonly name: string;
  /** The shards the node owns. */
  readonly shards: number;
  /** The entities running on the node. */
  readonly entities: number;
  /** Hand-offs in flight. */
  readonly handoffs: number;
}

/** The prefix of the meta keys a `Sharding` publishes under. */
const SHARDING_PREFIX = "sharding.";

/** A count: a finite number, else 0. */
function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/**
 * Executes `beamlet.cluster.node_up` or `beamlet.cluster.node_down`, and
 * `beamlet.cluster.nodes`, for one membership change; `nodesUp` is the
 * number of nodes up after it, this one included. Never throws.
 */
export function emitNodeEvent(telemetry: Telemetry, event: NodeEvent, nodesUp: number): void {
  try {
    const nodes = count(nodesUp);
    const node = String(event.node);
    const incarnation = count(event.incarnation);
    if (event.type === "nodeup") {
      telemetry.execute(CLUSTER_NODE_UP, { nodes }, { node, incarnation });
      telemetry.execute(CLUSTER_NODES, { nodes }, {
        type: "nodeup",
        node,
        reason: "",
        incarnation,
      });
    } else {
      const reason = String(event.reason ?? "noconnection");
      telemetry.execute(CLUSTER_NODE_DOWN, { nodes }, { node, reason, incarnation });
      telemetry.execute(CLUSTER_NODES, { nodes }, { type: "nodedown", node, reason, incarnation });
    }
  } catch {
    // A hostile event must not break the membership loop that reports it.
  }
}

/**
 * Executes `beamlet.cluster.traffic` twice, `"sent"` then `"received"`,
 * with the running totals `t`. Never throws.
 */
export function emitTraffic(telemetry: Telemetry, t: TrafficTotals): void {
  try {
    telemetry.execute(CLUSTER_TRAFFIC, {
      messages: count(t.sent),
      bytes: count(t.bytesSent),
      batches: count(t.batches),
      refused: count(t.refused),
    }, { direction: "sent" });
    telemetry.execute(CLUSTER_TRAFFIC, {
      messages: count(t.received),
      bytes: count(t.bytesReceived),
      batches: count(t.batchesReceived),
      refused: 0,
    }, { direction: "received" });
  } catch {
    // A hostile totals object skips the round; the core's timer must keep going.
  }
}

/**
 * The `Sharding`s in a node's meta (keys `sharding.<name>`), sorted by
 * name; a value that is not an object counts zeros, one that throws is
 * left out.
 */
export function shardingMeta(meta: Readonly<Record<string, unknown>>): ShardingMeta[] {
  const found: ShardingMeta[] = [];
  let keys: string[];
  try {
    keys = Object.keys(meta);
  } catch {
    return found;
  }
  for (const key of keys) {
    if (!key.startsWith(SHARDING_PREFIX) || key.length === SHARDING_PREFIX.length) continue;
    try {
      const value = meta[key];
      const v = typeof value === "object" && value !== null ? value as Record<string, unknown> : {};
      found.push({
        name: key.slice(SHARDING_PREFIX.length),
        shards: count(v.shards),
        entities: count(v.entities),
        handoffs: count(v.handoffs),
      });
    } catch {
      // A value whose getters throw is left out.
    }
  }
  return found.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The handler id of the table-size handler, one per system's telemetry. */
const HANDLER_ID = Symbol("beamlet.cluster.shards");

/** Telemetries the gauges are installed on: once each. */
const installed = new WeakSet<Telemetry>();

/**
 * Installs the periodic cluster events of `system` over `link`: while
 * anyone listens to `beamlet.cluster.shards` (or, given `traffic`, to
 * `beamlet.cluster.traffic`), a `beamlet.system.table_size` handler
 * executes one shards event per `sharding.<name>` of this node's meta (and
 * the traffic events with `traffic()`'s running totals). Idempotent per
 * system; removed when the link closes. Called once, as the link is set.
 */
export function attachClusterGauges(
  system: { readonly telemetry: Telemetry },
  link: ClusterLink,
  traffic?: () => TrafficTotals,
): void {
  const telemetry = system.telemetry;
  if (installed.has(telemetry)) return;
  installed.add(telemetry);
  let attached = false;
  const sync = () => {
    const wanted = !link.closed && (telemetry.hasHandlers(CLUSTER_SHARDS) ||
      (traffic !== undefined && telemetry.hasHandlers(CLUSTER_TRAFFIC)));
    if (wanted === attached) return;
    // Set first: attaching and detaching call this listener again.
    attached = wanted;
    if (wanted) {
      telemetry.attach(HANDLER_ID, TABLE_SIZE, () => {
        if (telemetry.hasHandlers(CLUSTER_SHARDS)) emitShards(telemetry, link);
        if (traffic !== undefined && telemetry.hasHandlers(CLUSTER_TRAFFIC)) {
          emitTraffic(telemetry, readTotals(traffic));
        }
      });
    } else telemetry.detach(HANDLER_ID);
  };
  const stop = telemetry.onChange(sync);
  link.onClose(() => {
    stop();
    if (attached) {
      attached = false;
      telemetry.detach(HANDLER_ID);
    }
    installed.delete(telemetry);
  });
  sync();
}

/** The totals `traffic` gives; zeros when it throws (emitTraffic reads them safely). */
function readTotals(traffic: () => TrafficTotals): TrafficTotals {
  try {
    return traffic();
  } catch {
    return { sent: 0, received: 0, bytesSent: 0, bytesReceived: 0, batches: 0, refused: 0 };
  }
}

/** Executes one `beamlet.cluster.shards` per `Sharding` of this node's meta. */
function emitShards(telemetry: Telemetry, link: ClusterLink): void {
  let shardings: ShardingMeta[];
  try {
    const self = link.info().find((info) => info.self);
    if (self === undefined) return;
    shardings = shardingMeta(self.meta);
  } catch {
    // A listing that throws skips the round; a throwing handler would be detached for good.
    return;
  }
  for (const { name, shards, entities, handoffs } of shardings) {
    telemetry.execute(CLUSTER_SHARDS, { shards, entities, handoffs }, { name });
  }
}
