/**
 * Which nodes of the cluster are up, from their heartbeats (internal; no
 * I/O: the cluster feeds it what it heard and the time).
 *
 * A node is up from the first thing heard from it (a heartbeat or a
 * message) and down when it said goodbye (`"shutdown"`) or when nothing was
 * heard from it for `downAfterMs` (`"noconnection"`). A node heard under a
 * new incarnation (restarted under the same name) is down, then up again:
 * its old pids name processes that are gone.
 *
 * @module
 */

import type { NodeDownReason, NodeEvent, NodeInfo } from "./cluster_link.ts";

interface Peer {
  incarnation: number;
  lastHeard: number;
  readonly upSince: number;
  processes: number;
  meta: Readonly<Record<string, unknown>>;
}

/** The membership table of one node. */
export class Membership {
  readonly #peers = new Map<string, Peer>();
  readonly #onEvent: (event: NodeEvent) => void;
  readonly #downAfterMs: number;
  /** Incarnations that said goodbye: a late heartbeat of theirs is not a new nodeup. */
  readonly #gone = new Set<string>();

  constructor(downAfterMs: number, onEvent: (event: NodeEvent) => void) {
    this.#downAfterMs = downAfterMs;
    this.#onEvent = onEvent;
  }

  /** Something came from `node` (run `incarnation`) at `now` (ms); its heartbeat's fields if it was one. */
  heard(
    node: string,
    incarnation: number,
    now: number,
    heartbeat?: { processes: number; meta: Readonly<Record<string, unknown>> },
  ): void {
    if (this.#gone.has(`${node}/${incarnation}`)) return;
    let peer = this.#peers.get(node);
    if (peer !== undefined && peer.incarnation !== incarnation) {
      this.#down(node, peer, "noconnection");
      peer = undefined;
    }
    if (peer === undefined) {
      peer = { incarnation, lastHeard: now, upSince: Date.now(), processes: 0, meta: {} };
      this.#peers.set(node, peer);
      if (heartbeat !== undefined) {
        peer.processes = heartbeat.processes;
        peer.meta = heartbeat.meta;
      }
      this.#onEvent({ type: "nodeup", node, incarnation });
      return;
    }
    peer.lastHeard = now;
    if (heartbeat !== undefined) {
      peer.processes = heartbeat.processes;
      peer.meta = heartbeat.meta;
    }
  }

  /** `node` (run `incarnation`) left cleanly. */
  left(node: string, incarnation: number): void {
    this.#gone.add(`${node}/${incarnation}`);
    const peer = this.#peers.get(node);
    if (peer !== undefined && peer.incarnation === incarnation) this.#down(node, peer, "shutdown");
  }

  /** Declares down every node not heard from for `downAfterMs` by `now`. */
  sweep(now: number): void {
    for (const [node, peer] of this.#peers) {
      if (now - peer.lastHeard > this.#downAfterMs) this.#down(node, peer, "noconnection");
    }
  }

  /** Every node is down (this node left or lost its connection for good). */
  clear(reason: NodeDownReason): void {
    for (const [node, peer] of this.#peers) this.#down(node, peer, reason);
  }

  #down(node: string, peer: Peer, reason: NodeDownReason): void {
    if (this.#peers.get(node) !== peer) return;
    this.#peers.delete(node);
    this.#onEvent({ type: "nodedown", node, reason, incarnation: peer.incarnation });
  }

  /** Whether `node` is up. */
  isUp(node: string): boolean {
    return this.#peers.has(node);
  }

  /** The incarnation of `node` if it is up. */
  incarnationOf(node: string): number | undefined {
    return this.#peers.get(node)?.incarnation;
  }

  /** The nodes up, sorted. */
  nodes(): string[] {
    return [...this.#peers.keys()].sort();
  }

  /** The nodes up and what their heartbeats said. */
  info(): NodeInfo[] {
    const out: NodeInfo[] = [];
    for (const [node, peer] of this.#peers) {
      out.push({
        node,
        self: false,
        processes: peer.processes,
        upSince: peer.upSince,
        incarnation: peer.incarnation,
        meta: peer.meta,
      });
    }
    return out.sort((a, b) => a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
  }
}
