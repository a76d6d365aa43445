/**
 * How one node's region follows the cluster (internal): the shards are
 * spread over the nodes up, less those whose region of this sharding left
 * (told on `beamlet.<cluster>.shard-control.<name>`); at each change the
 * owners are recomputed and the shards that changed hands move — handed off
 * from here, or awaited here.
 *
 * @module
 */

import type { Msg } from "@nats-io/nats-core";
import type { NodeEvent } from "../cluster_link.ts";
import type { Awaiting } from "./_awaiting.ts";
import type { HandoffSender } from "./_handoff_sender.ts";
import type { Router } from "./_router.ts";
import { AWAITING, OWNED, REMOTE, type ShardTable } from "./_shard_table.ts";
import type { WireControl } from "./_wire.ts";

/** Keeps one node's owners in step with the membership. */
export class Reassigner {
  /** Where regions say they run or leave. */
  readonly controlSubject: string;
  readonly #table: ShardTable;
  readonly #router: Router;
  readonly #awaiting: Awaiting;
  readonly #sender: HandoffSender;
  /** Nodes up whose region of this sharding left (`stop()`): out of the ring until they rejoin. */
  readonly #departed = new Set<string>();

  constructor(table: ShardTable, router: Router, awaiting: Awaiting, sender: HandoffSender) {
    this.#table = table;
    this.#router = router;
    this.#awaiting = awaiting;
    this.#sender = sender;
    this.controlSubject = table.link.subject("shard-control", table.settings.name);
  }

  /** The nodes the shards are spread over: those up, but for regions that left. */
  members(): string[] {
    const table = this.#table;
    return table.link.members().filter((node) =>
      node === table.me ? !table.stopping : !this.#departed.has(node)
    );
  }

  /** Tells the other regions this one runs (again), or leaves. */
  announce(kind: "joined" | "left"): void {
    const link = this.#table.link;
    const control: WireControl = { kind, node: this.#table.me };
    try {
      link.connection.publish(this.controlSubject, link.encode(control));
    } catch {
      // a closing connection: the others learn it from the membership
    }
  }

  /** Handles one message received on {@linkcode controlSubject}. */
  receiveControl(msg: Msg): void {
    if (this.#table.closed) return;
    let control: WireControl;
    try {
      control = this.#table.link.decode(msg.data) as WireControl;
    } catch {
      return;
    }
    if (typeof control !== "object" || control === null || typeof control.node !== "string") return;
    if (control.node === this.#table.me) return;
    const changed = control.kind === "left"
      ? !this.#departed.has(control.node) && (this.#departed.add(control.node), true)
      : control.kind === "joined" && this.#departed.delete(control.node);
    if (changed) this.onNodeEvent(undefined);
  }

  /** Reassigns after a node event (or a region joining or leaving: `undefined`). */
  onNodeEvent(event: NodeEvent | undefined): void {
    if (this.#table.closed) return;
    // A node that went down comes back in the ring when it is up again.
    if (event?.type === "nodedown") this.#departed.delete(event.node);
    try {
      this.reassign(this.members());
    } catch (error) {
      this.#table.region.lost("(reassign)", error);
    }
  }

  /** Recomputes the owners over `members` and moves the shards that changed hands. */
  reassign(members: string[]): void {
    const table = this.#table;
    const previous = table.owners;
    const next = table.assignment.owners(members);
    table.owners = next;
    const probes = new Map<string, number[]>();
    for (let shard = 0; shard < table.settings.shards; shard++) {
      const owner = next[shard];
      const state = table.state[shard];
      if (owner === table.me) {
        if (state === REMOTE) {
          const from = previous[shard];
          if (
            table.received.delete(shard) || from === undefined || from === table.me ||
            !table.link.isUp(from)
          ) {
            table.state[shard] = OWNED; // taken over from a lost node: nothing to wait for
          } else {
            this.#awaiting.await(shard, from);
            let list = probes.get(from);
            if (list === undefined) probes.set(from, list = []);
            list.push(shard);
          }
        } else if (state === AWAITING) {
          const from = this.#awaiting.from(shard);
          if (from === undefined || !table.link.isUp(from)) this.#awaiting.end(shard);
        }
      } else if (state === OWNED || state === AWAITING) {
        this.#awaiting.cancel(shard);
        this.#sender.start(shard);
      } else if (state === REMOTE && table.region.hasShard(shard)) {
        this.#sender.start(shard);
      }
    }
    for (const [from, shards] of probes) this.#awaiting.probe(from, shards);
    table.viewChanged();
    this.#router.routeParked();
    table.changed();
  }
}
