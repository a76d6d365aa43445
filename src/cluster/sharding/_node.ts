/**
 * One node's region of a sharding (internal): routes requests to the owner
 * of their key's shard, serves the shards this node owns, and moves shards
 * when the membership changes. It wires the parts together: the shared
 * {@linkcode ShardTable}, the {@linkcode Router}, the shards it awaits
 * ({@linkcode Awaiting}), the {@linkcode HandoffSender}, the
 * {@linkcode Inbox} of its subject and the {@linkcode Reassigner}; it
 * starts, passivates idle entities, stops and closes.
 *
 * @module
 */

import type { Subscription } from "@nats-io/nats-core";
import { UnencodableError } from "../../schedulers/errors.ts";
import type { System } from "../../system.ts";
import type { ClusterLink } from "../cluster_link.ts";
import type { EntityKey } from "./_assignment.ts";
import { Awaiting } from "./_awaiting.ts";
import { HandoffSender } from "./_handoff_sender.ts";
import { Inbox } from "./_inbox.ts";
import type { ShardingSettings } from "./_options.ts";
import { Reassigner } from "./_reassign.ts";
import { Router } from "./_router.ts";
import { OWNED, ShardTable } from "./_shard_table.ts";
import type { LocalEntity, ShardingStats } from "./options.ts";

/** The machinery behind `Sharding`. */
export class ShardingNode {
  readonly #table: ShardTable;
  readonly #router: Router;
  readonly #awaiting: Awaiting;
  readonly #inbox: Inbox;
  readonly #reassigner: Reassigner;
  readonly #subject: string;
  #stopped: Promise<void> | undefined;
  #subscription: Subscription | undefined;
  /** Where regions say they run or leave: `beamlet.<cluster>.shard-control.<name>`. */
  #control: Subscription | undefined;
  #unsubscribeEvents: (() => void) | undefined;
  #passivation: ReturnType<typeof setInterval> | undefined;
  readonly #onClosed: () => void;

  constructor(
    system: System,
    link: ClusterLink,
    settings: ShardingSettings,
    onClosed: () => void,
  ) {
    this.#onClosed = onClosed;
    this.#subject = link.subject("shard", settings.name, link.node);
    const table = this.#table = new ShardTable(system, link, settings);
    const router = this.#router = new Router(table);
    const awaiting = this.#awaiting = new Awaiting(table, router);
    const sender = new HandoffSender(table, router);
    this.#inbox = new Inbox(table, router, awaiting, sender);
    this.#reassigner = new Reassigner(table, router, awaiting, sender);
  }

  /** Subscribes to its subject and to node events, and takes its shards. */
  async start(): Promise<void> {
    const table = this.#table;
    const link = table.link;
    this.#subscription = link.connection.subscribe(this.#subject, {
      callback: (error, msg) => {
        if (error === null) this.#inbox.receive(msg);
      },
    });
    this.#control = link.connection.subscribe(this.#reassigner.controlSubject, {
      callback: (error, msg) => {
        if (error === null) this.#reassigner.receiveControl(msg);
      },
    });
    this.#unsubscribeEvents = link.onNodeEvent((event) => this.#reassigner.onNodeEvent(event));
    link.onClose(() => this.#close());
    this.#reassigner.reassign(this.#reassigner.members());
    this.#reassigner.announce("joined");
    const idle = table.settings.passivateAfterMs;
    if (idle !== Infinity) {
      this.#passivation = setInterval(
        () => table.region.passivateIdle(idle, (shard) => table.state[shard] === OWNED),
        Math.min(1000, Math.max(5, idle / 2)),
      );
    }
    await link.connection.flush();
  }

  get name(): string {
    return this.#table.settings.name;
  }

  get closed(): boolean {
    return this.#table.closed || this.#table.stopping;
  }

  shardOf(key: EntityKey): number {
    return this.#table.assignment.shardOf(key);
  }

  ownerOf(key: EntityKey): string | undefined {
    return this.#table.owners[this.#table.assignment.shardOf(key)];
  }

  localShards(): number[] {
    return this.#table.localShards();
  }

  localEntities(): LocalEntity[] {
    return this.#table.region.entities();
  }

  stats(): ShardingStats {
    const table = this.#table;
    return {
      shards: table.localShards().length,
      entities: table.region.size,
      handoffsInFlight: table.handoffsInFlight,
      handoffs: table.handoffs,
      startedOnDemand: table.region.startedOnDemand,
      passivated: table.region.passivated,
      held: this.#router.held,
    };
  }

  /** Throws `UnencodableError` when `message` cannot cross nodes. */
  encodable(message: unknown): void {
    try {
      this.#table.link.encode(message);
    } catch (error) {
      if (error instanceof UnencodableError) throw error;
      // A hostile value (a Proxy whose traps throw) the codec did not name.
      throw new UnencodableError(
        "message",
        `a value that cannot be read (${describeError(error)})`,
        {
          cause: error,
        },
      );
    }
  }

  /** Routes a call or cast made on this node; settles with its outcome. */
  request(
    kind: "call" | "cast",
    key: EntityKey,
    message: unknown,
    timeout: number,
  ): Promise<unknown> {
    return this.#router.request(kind, key, message, timeout);
  }

  /** Leaves at once, handing nothing over (a start that failed). */
  abort(): void {
    this.#close();
  }

  /** Hands every shard of this node to the others, then leaves. */
  stop(): Promise<void> {
    if (this.#stopped !== undefined) return this.#stopped;
    const table = this.#table;
    this.#stopped = (async () => {
      if (table.closed) return;
      table.stopping = true;
      table.stopDeadline = performance.now() + table.settings.handoffTimeoutMs;
      // The others leave this node out of their ring now, as it does: they await its hand-offs.
      this.#reassigner.announce("left");
      this.#reassigner.reassign(this.#reassigner.members());
      while (table.handoffsInFlight > 0 && !table.closed) await table.viewChange(50);
      this.#close();
    })();
    return this.#stopped;
  }

  #close(): void {
    const table = this.#table;
    if (table.closed) return;
    table.closed = true;
    this.#unsubscribeEvents?.();
    try {
      this.#subscription?.unsubscribe();
      this.#control?.unsubscribe();
    } catch {
      // the connection is already closed
    }
    if (this.#passivation !== undefined) clearInterval(this.#passivation);
    this.#inbox.close();
    this.#awaiting.close();
    this.#router.close();
    table.viewChanged();
    try {
      table.link.setMeta(`sharding.${table.settings.name}`, undefined);
    } catch {
      // a closed link
    }
    this.#onClosed();
  }
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
  } catch {
    return "an unprintable error";
  }
}
