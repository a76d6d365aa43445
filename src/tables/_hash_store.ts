/**
 * The store of `set`, `bag` and `duplicate_bag` tables (internal): entries in
 * hash maps (primitive keys by SameValueZero, composite keys — arrays, plain
 * objects, pids — by their canonical string), threaded on a list in the
 * order their keys first came.
 *
 * A walk with `first` / `next` stays valid while the table changes: a
 * deleted entry becomes a tombstone that keeps its place (and comes back to
 * life there if its key is inserted again), so `next` of a key deleted
 * during the walk goes on from where that key was. Tombstones are purged
 * when they outnumber the live entries (and at least 1024 of them exist);
 * `next` of a purged key has no place to go on from (`null`).
 *
 * @module
 */

import type { Entry, Store } from "./_store.ts";
import { encodeKey } from "./_terms.ts";

/** Tombstones tolerated before a purge, at least. */
const MIN_PURGE = 1024;

class Node<R> implements Entry<R> {
  readonly key: unknown;
  rows: R[];
  prev: Node<R> | null = null;
  next: Node<R> | null = null;
  removed = false;

  constructor(key: unknown, rows: R[]) {
    this.key = key;
    this.rows = rows;
  }
}

/** A hash store, in first-insertion order. */
export class HashStore<R> implements Store<R> {
  #primitive = new Map<unknown, Node<R>>();
  #composite = new Map<string, Node<R>>();
  #head: Node<R> | null = null;
  #tail: Node<R> | null = null;
  #live = 0;
  #tombstones = 0;

  get keyCount(): number {
    return this.#live;
  }

  /** The node of `key`, live or a tombstone. */
  #node(key: unknown): Node<R> | undefined {
    return typeof key === "object" && key !== null
      ? this.#composite.get(encodeKey(key))
      : this.#primitive.get(key);
  }

  find(key: unknown): Entry<R> | undefined {
    const node = typeof key === "object" && key !== null
      ? this.#composite.get(encodeKey(key))
      : this.#primitive.get(key);
    return node === undefined || node.removed ? undefined : node;
  }

  add(key: unknown, rows: R[]): Entry<R> {
    this.#live++;
    const tomb = this.#node(key);
    if (tomb !== undefined) { // a tombstone: back to life, in its place
      tomb.removed = false;
      tomb.rows = rows;
      this.#tombstones--;
      return tomb;
    }
    const node = new Node(key, rows);
    if (typeof key === "object" && key !== null) this.#composite.set(encodeKey(key), node);
    else this.#primitive.set(key, node);
    node.prev = this.#tail;
    if (this.#tail === null) this.#head = node;
    else this.#tail.next = node;
    this.#tail = node;
    return node;
  }

  remove(key: unknown): void {
    const node = this.#node(key);
    if (node === undefined || node.removed) return;
    node.removed = true;
    node.rows = [];
    this.#live--;
    this.#tombstones++;
    if (this.#tombstones >= MIN_PURGE && this.#tombstones > this.#live) this.#purge();
  }

  clear(): void {
    this.#primitive = new Map();
    this.#composite = new Map();
    this.#head = this.#tail = null;
    this.#live = this.#tombstones = 0;
  }

  /** Unlinks every tombstone and forgets its key. */
  #purge(): void {
    for (let node = this.#head; node !== null; node = node.next) {
      if (!node.removed) continue;
      if (node.prev === null) this.#head = node.next;
      else node.prev.next = node.next;
      if (node.next === null) this.#tail = node.prev;
      else node.next.prev = node.prev;
      const key = node.key;
      if (typeof key === "object" && key !== null) this.#composite.delete(encodeKey(key));
      else this.#primitive.delete(key);
    }
    this.#tombstones = 0;
  }

  first(): Entry<R> | undefined {
    return liveFrom(this.#head);
  }

  last(): Entry<R> | undefined {
    let node = this.#tail;
    while (node !== null && node.removed) node = node.prev;
    return node ?? undefined;
  }

  next(key: unknown): Entry<R> | undefined | null {
    const node = this.#node(key);
    return node === undefined ? null : liveFrom(node.next);
  }

  prev(key: unknown): Entry<R> | undefined | null {
    const node = this.#node(key);
    if (node === undefined) return null;
    let at = node.prev;
    while (at !== null && at.removed) at = at.prev;
    return at ?? undefined;
  }

  *entries(): IterableIterator<Entry<R>> {
    for (let node = liveFrom(this.#head); node !== undefined; node = liveFrom(node.next)) {
      yield node;
    }
  }
}

function liveFrom<R>(node: Node<R> | null): Node<R> | undefined {
  while (node !== null && node.removed) node = node.next;
  return node ?? undefined;
}
