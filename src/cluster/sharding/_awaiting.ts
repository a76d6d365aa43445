/**
 * Shards this node owns but awaits the hand-off of (internal): each stays
 * AWAITING, its requests held, until the hand-off from its previous owner
 * comes, that owner answers a probe saying it holds nothing of it (or
 * nobody answers there), or `handoffTimeoutMs` passes; then it serves.
 *
 * @module
 */

import type { Router } from "./_router.ts";
import { AWAITING, OWNED, type ShardTable } from "./_shard_table.ts";
import { isNoResponders, type WireAnswer, type WireProbe } from "./_wire.ts";

/** The shards a node awaits, and whom from. */
export class Awaiting {
  readonly #table: ShardTable;
  readonly #router: Router;
  readonly #timers = new Map<number, ReturnType<typeof setTimeout>>();
  readonly #from = new Map<number, string>();

  constructor(table: ShardTable, router: Router) {
    this.#table = table;
    this.#router = router;
  }

  /** The node `shard`'s hand-off is awaited from. */
  from(shard: number): string | undefined {
    return this.#from.get(shard);
  }

  /** Awaits `shard` from `from`, for at most `handoffTimeoutMs`. */
  await(shard: number, from: string): void {
    this.#table.state[shard] = AWAITING;
    this.#from.set(shard, from);
    this.#timers.set(
      shard,
      setTimeout(() => {
        this.#timers.delete(shard);
        if (this.#table.state[shard] === AWAITING) this.end(shard);
      }, this.#table.settings.handoffTimeoutMs),
    );
  }

  /** Stops awaiting `shard` (leaving its state to the caller). */
  cancel(shard: number): void {
    const timer = this.#timers.get(shard);
    if (timer !== undefined) clearTimeout(timer);
    this.#timers.delete(shard);
    this.#from.delete(shard);
  }

  /** The shard serves now: its held requests run. */
  end(shard: number): void {
    this.cancel(shard);
    this.#table.state[shard] = OWNED;
    this.#router.release(shard);
  }

  /**
   * Asks `from` which of `shards` it does not hold: those need no hand-off
   * (it never had them, or its sharding does not run there) and serve now.
   */
  probe(from: string, shards: number[]): void {
    const table = this.#table;
    const probe: WireProbe = { kind: "probe", shards };
    const stillAwaited = (shard: number) =>
      table.state[shard] === AWAITING && this.#from.get(shard) === from;
    table.link.connection.request(
      table.subjectOf(from),
      table.link.encode(probe),
      { timeout: table.settings.handoffTimeoutMs },
    ).then((reply) => {
      const answer = table.link.decode(reply.data) as WireAnswer;
      if (!("ok" in answer) || !answer.ok || !Array.isArray(answer.value)) return;
      for (const shard of answer.value as number[]) {
        if (stillAwaited(shard)) this.end(shard);
      }
    }, (error) => {
      if (!isNoResponders(error)) return; // the hand-off or the timeout ends the wait
      for (const shard of shards) if (stillAwaited(shard)) this.end(shard);
    }).catch((error) => table.region.lost(`(probe of ${from})`, error));
  }

  /** Stops awaiting every shard: the node closes. */
  close(): void {
    for (const shard of [...this.#timers.keys()]) this.cancel(shard);
  }
}
