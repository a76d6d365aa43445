/**
 * A hand-driven {@linkcode ClusterLink} for tests of the cluster services
 * (private: not a test file): a real NATS connection, but the membership is
 * what the test says — `up(node)` and `down(node, reason)` — so that a test
 * of the global registry, process groups or sharding decides exactly when
 * a node joins or is lost, whatever the machine's speed.
 *
 * @module
 */

import type { NatsConnection } from "@nats-io/nats-core";
import {
  type ClusterLink,
  type NodeDownReason,
  type NodeEvent,
  type NodeInfo,
  setClusterOf,
} from "../src/cluster/cluster_link.ts";
import { decodeValue, encodeValue } from "../src/cluster/_value_codec.ts";

/** A fake link and its controls. */
export interface FakeCluster extends ClusterLink {
  /** Node `node` is up (a `"nodeup"` event, if it was not). */
  up(node: string, incarnation?: number): void;
  /** Node `node` is lost or left (a `"nodedown"` event, if it was up). */
  down(node: string, reason?: NodeDownReason): void;
  /** This node leaves: `onClose` listeners run. */
  close(): void;
}

/** A fake link for `system` as node `node` of cluster `name`, over `connection`. */
export function fakeCluster(
  system: object,
  connection: NatsConnection,
  node: string,
  name = "test",
): FakeCluster {
  const others = new Map<string, number>();
  const listeners = new Set<(event: NodeEvent) => void>();
  const closers: (() => void)[] = [];
  const meta: Record<string, unknown> = {};
  const incarnation = Math.floor(Math.random() * 2 ** 31);
  let closed = false;
  const emit = (event: NodeEvent) => {
    for (const listener of [...listeners]) listener(event);
  };
  const link: FakeCluster = {
    node,
    name,
    incarnation,
    connection,
    subject: (...parts) => ["beamlet", name, ...parts].join("."),
    nodes: () => [...others.keys()].sort(),
    members: () => [node, ...others.keys()].sort(),
    isUp: (n) => n === node || others.has(n),
    info: (): NodeInfo[] => [
      { node, self: true, processes: 0, upSince: 0, incarnation, meta: { ...meta } },
      ...[...others].map(([n, i]) => ({
        node: n,
        self: false,
        processes: 0,
        upSince: 0,
        incarnation: i,
        meta: {},
      })),
    ],
    onNodeEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    encode: encodeValue,
    decode: decodeValue,
    setMeta(key, value) {
      if (value === undefined) delete meta[key];
      else meta[key] = value;
    },
    get closed() {
      return closed;
    },
    onClose(listener) {
      closers.push(listener);
    },
    up(n, inc = 1) {
      if (others.has(n)) return;
      others.set(n, inc);
      emit({ type: "nodeup", node: n, incarnation: inc });
    },
    down(n, reason = "noconnection") {
      const inc = others.get(n);
      if (inc === undefined) return;
      others.delete(n);
      emit({ type: "nodedown", node: n, reason, incarnation: inc });
    },
    close() {
      if (closed) return;
      closed = true;
      for (const closer of closers) closer();
    },
  };
  setClusterOf(system, link);
  return link;
}
