/**
 * What other regions of the sharding send this node (internal), on its
 * subject: calls and casts to route, probes ("do you still hold these
 * shards?"), and hand-offs of shards, whose entities it restores — and
 * keeps for a while when the hand-off came before this node saw itself the
 * shard's owner.
 *
 * @module
 */

import type { Msg } from "@nats-io/nats-core";
import type { Awaiting } from "./_awaiting.ts";
import type { HandoffSender } from "./_handoff_sender.ts";
import type { Collected } from "./_region.ts";
import type { Router } from "./_router.ts";
import { AWAITING, REMOTE, type ShardTable } from "./_shard_table.ts";
import {
  MAX_HOPS,
  type WireAnswer,
  type WireHandoff,
  type WireProbe,
  type WireRequest,
} from "./_wire.ts";

/** Serves the messages of one node's region subject. */
export class Inbox {
  readonly #table: ShardTable;
  readonly #router: Router;
  readonly #awaiting: Awaiting;
  readonly #sender: HandoffSender;
  /** Timers that give entities handed here too early to their owner, if no view change did. */
  readonly #strayTimers = new Set<ReturnType<typeof setTimeout>>();

  constructor(table: ShardTable, router: Router, awaiting: Awaiting, sender: HandoffSender) {
    this.#table = table;
    this.#router = router;
    this.#awaiting = awaiting;
    this.#sender = sender;
  }

  /** Handles one message received on this region's subject. */
  receive(msg: Msg): void {
    const table = this.#table;
    let request: WireRequest | WireHandoff | WireProbe;
    try {
      request = table.link.decode(msg.data) as WireRequest | WireHandoff | WireProbe;
      if (typeof request !== "object" || request === null) throw new TypeError("not a request");
    } catch (error) {
      this.#respond(msg, { ok: false, error });
      return;
    }
    if (request.kind === "handoff") {
      this.#receiveHandoff(msg, request).catch((error) => table.region.lost("(hand-off)", error));
      return;
    }
    if (request.kind === "probe") {
      this.#receiveProbe(msg, request);
      return;
    }
    if (request.kind !== "call" && request.kind !== "cast") {
      this.#respond(msg, { ok: false, error: new TypeError("unknown sharding request") });
      return;
    }
    if (table.closed) {
      this.#respond(msg, { retry: true });
      return;
    }
    const timeout = typeof request.timeout === "number" && request.timeout > 0
      ? Math.min(request.timeout, 2_147_483_647)
      : 1;
    const pending = this.#router.pending(
      request.kind,
      request.key,
      request.message,
      timeout,
      typeof request.hops === "number" ? request.hops : MAX_HOPS,
      true,
      (answer) => this.#respond(msg, answer),
    );
    this.#router.route(pending);
  }

  /** Cancels the timers of entities handed here too early: the node closes. */
  close(): void {
    for (const timer of this.#strayTimers) clearTimeout(timer);
    this.#strayTimers.clear();
  }

  #respond(msg: Msg, answer: WireAnswer): void {
    const link = this.#table.link;
    let bytes: Uint8Array;
    try {
      bytes = link.encode(answer);
    } catch (error) {
      try {
        bytes = link.encode({ ok: false, error });
      } catch {
        bytes = link.encode({ ok: false, error: new Error(String(error)) });
      }
    }
    try {
      msg.respond(bytes);
    } catch {
      // the connection is closing: the caller times out
    }
  }

  #receiveProbe(msg: Msg, probe: WireProbe): void {
    const table = this.#table;
    const shards = Array.isArray(probe.shards) ? probe.shards : [];
    const none = table.closed
      ? shards
      : shards.filter((shard) =>
        typeof shard === "number" && table.state[shard] === REMOTE && !table.region.hasShard(shard)
      );
    this.#respond(msg, { ok: true, value: none });
  }

  async #receiveHandoff(msg: Msg, handoff: WireHandoff): Promise<void> {
    const table = this.#table;
    const { shard } = handoff;
    if (
      typeof shard !== "number" || !Number.isInteger(shard) || shard < 0 ||
      shard >= table.settings.shards || !Array.isArray(handoff.entities)
    ) {
      this.#respond(msg, { ok: false, error: new RangeError("bad hand-off") });
      return;
    }
    if (table.closed) {
      this.#respond(msg, { retry: true });
      return;
    }
    await Promise.all(handoff.entities.map((bytes) => {
      try {
        const { key, handoff: value } = table.link.decode(bytes) as Collected;
        return table.region.restore(key, shard, value);
      } catch (error) {
        table.region.lost("?", error);
        return undefined;
      }
    }));
    this.#respond(msg, { ok: true });
    if (handoff.last === false) {
      table.changed();
      return; // more of this shard comes
    }
    const state = table.state[shard];
    if (state === AWAITING) {
      this.#awaiting.end(shard);
    } else if (state === REMOTE) {
      // This node's view has not caught up (or the sender's is stale): keep the
      // entities; a view change makes the shard ours, or gives them to its owner.
      table.received.add(shard);
      const timer = setTimeout(() => {
        this.#strayTimers.delete(timer);
        if (
          !(table.closed || table.stopping) && table.state[shard] === REMOTE &&
          table.region.hasShard(shard) && table.owners[shard] !== table.me
        ) this.#sender.start(shard);
      }, table.settings.handoffTimeoutMs);
      this.#strayTimers.add(timer);
    }
    table.changed();
  }
}
