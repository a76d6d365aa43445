/**
 * What one node's region of a sharding knows of its shards (internal), shared
 * by the parts of the node: each shard's state and owner, the node's life
 * flags and hand-off counters, waiters for the next view change, and the
 * summary it publishes as node meta.
 *
 * Each shard is, on this node, in one of four states:
 *
 * ```
 *            nodeup elsewhere: shard moves away
 *   OWNED ─────────────────────────────────────▶ HANDING_OFF ──ack──▶ REMOTE
 *     ▲  ▲                                          │   ▲                │
 *     │  └── hand-off came, or timeout ── AWAITING ◀┼───┼── moves here ──┤
 *     │                                             │   │  (from a node  │
 *     └──── moves back here before the ack ─────────┘   │   still up)    │
 *     └──────────────── moves here from a node that is down ─────────────┘
 * ```
 *
 * @module
 */

import type { System } from "../../system.ts";
import type { ClusterLink } from "../cluster_link.ts";
import { ShardAssignment } from "./_assignment.ts";
import { entityServer } from "./_entity.ts";
import type { ShardingSettings } from "./_options.ts";
import { Region } from "./_region.ts";

/** This node serves the shard. */
export const OWNED = 0;
/** This node owns the shard and awaits its hand-off from the previous owner. */
export const AWAITING = 1;
/** This node hands the shard's entities to its new owner. */
export const HANDING_OFF = 2;
/** Another node owns the shard. */
export const REMOTE = 3;

/** The shared state of a `ShardingNode`. */
export class ShardTable {
  readonly system: System;
  readonly link: ClusterLink;
  readonly settings: ShardingSettings;
  readonly assignment: ShardAssignment;
  /** The entities running here. */
  readonly region: Region;
  /** This node. */
  readonly me: string;
  /** Each shard's state: {@linkcode OWNED}, {@linkcode AWAITING}, ... (index = shard). */
  readonly state: Uint8Array;
  /** Each shard's owner as this node sees it (index = shard). */
  owners: (string | undefined)[];
  /** Shards whose hand-off came before this node saw itself their owner. */
  readonly received = new Set<number>();
  /** Shards whose hand-off found nobody at their new owner (yet). */
  readonly handoffBlocked = new Map<number, string>();
  handoffsInFlight = 0;
  handoffs = 0;
  stopping = false;
  /** When a stopping node gives up handing off what nobody takes. */
  stopDeadline = Infinity;
  closed = false;
  #viewWaiters: (() => void)[] = [];
  #metaQueued = false;
  #lastMeta = "";

  constructor(system: System, link: ClusterLink, settings: ShardingSettings) {
    this.system = system;
    this.link = link;
    this.settings = settings;
    this.me = link.node;
    this.assignment = new ShardAssignment(settings.shards);
    this.region = new Region(
      system,
      entityServer(settings.entity, settings.begin),
      `sharding ${settings.name}`,
      () => this.changed(),
    );
    this.state = new Uint8Array(settings.shards);
    // Before this node: what the others own without it (so its shards await their hand-off).
    const others = link.members().filter((node) => node !== this.me);
    this.owners = others.length === 0
      ? new Array(settings.shards).fill(this.me)
      : this.assignment.owners(others);
    for (let shard = 0; shard < settings.shards; shard++) {
      this.state[shard] = this.owners[shard] === this.me ? OWNED : REMOTE;
    }
  }

  /** The subject of `node`'s region of this sharding. */
  subjectOf(node: string): string {
    return this.link.subject("shard", this.settings.name, node);
  }

  /** The shards this node owns (none once closed). */
  localShards(): number[] {
    const shards: number[] = [];
    if (this.closed) return shards;
    for (let shard = 0; shard < this.settings.shards; shard++) {
      if (this.owners[shard] === this.me) shards.push(shard);
    }
    return shards;
  }

  /** Publishes this node's shards, entities and hand-offs as meta (once per microtask, if changed). */
  changed(): void {
    if (this.#metaQueued || this.closed) return;
    this.#metaQueued = true;
    queueMicrotask(() => {
      this.#metaQueued = false;
      if (this.closed) return;
      const meta = {
        shards: this.localShards().length,
        entities: this.region.size,
        handoffs: this.handoffsInFlight,
      };
      const text = `${meta.shards}/${meta.entities}/${meta.handoffs}`;
      if (text === this.#lastMeta) return;
      this.#lastMeta = text;
      try {
        this.link.setMeta(`sharding.${this.settings.name}`, meta);
      } catch {
        // a closing link
      }
    });
  }

  /** Resolves at the next membership change, or after `ms`. */
  viewChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#viewWaiters.push(done);
    });
  }

  /** Resolves every {@linkcode viewChange} waiting (the view changed, or the node closes). */
  viewChanged(): void {
    const waiters = this.#viewWaiters;
    this.#viewWaiters = [];
    for (const waiter of waiters) waiter();
  }
}
