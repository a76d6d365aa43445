/**
 * Requests held per shard while the shard cannot serve them (internal): it
 * is being handed off, or a hand-off to this node is due. Released in the
 * order they were held, or removed one by one when they expire.
 *
 * @module
 */

/** Something held: it knows its shard. */
export interface Holdable {
  readonly shard: number;
}

/** Held requests by shard, in arrival order. */
export class HoldQueue<T extends Holdable> {
  readonly #byShard = new Map<number, Set<T>>();
  #size = 0;

  /** How many requests are held in all. */
  get size(): number {
    return this.#size;
  }

  /** How many requests are held for `shard`. */
  sizeOf(shard: number): number {
    return this.#byShard.get(shard)?.size ?? 0;
  }

  /** Holds `item` at the end of its shard's queue (an item already held stays where it is). */
  hold(item: T): void {
    let queue = this.#byShard.get(item.shard);
    if (queue === undefined) this.#byShard.set(item.shard, queue = new Set());
    if (queue.has(item)) return;
    queue.add(item);
    this.#size++;
  }

  /** Removes `item` (it expired, or was settled elsewhere); whether it was held. */
  remove(item: T): boolean {
    const queue = this.#byShard.get(item.shard);
    if (queue === undefined || !queue.delete(item)) return false;
    this.#size--;
    if (queue.size === 0) this.#byShard.delete(item.shard);
    return true;
  }

  /** Takes every request held for `shard`, oldest first. */
  release(shard: number): T[] {
    const queue = this.#byShard.get(shard);
    if (queue === undefined) return [];
    this.#byShard.delete(shard);
    this.#size -= queue.size;
    return [...queue];
  }

  /** Takes every request held, shard by shard, oldest first within a shard. */
  releaseAll(): T[] {
    const all: T[] = [];
    for (const shard of [...this.#byShard.keys()]) all.push(...this.release(shard));
    return all;
  }
}
