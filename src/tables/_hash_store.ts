/**
 * The store of `set`, `bag` and `duplicate_bag` tables (internal): entries in
 * hash maps (primitive keys by SameValueZero, composite keys — arrays, plain
 * objects, pids — by their canonical string), threaded on a list in the
 * order their keys first came.
 *
 * A walk with `first` / `next` stays valid while the table changes: a
 * deleted entry becomes a tombstone that keeps its place (and comes back to
 * life there if its key is inserted again), so `next` of a key deleted
 * during the walk goes on from where that key was. When tombstones
 * outnumber the live entries (and at least 2048 exist), all but the 1024
 * most recent are purged: `next` of a key deleted more than 1024 deletions
 * ago may have no place to go on from (`null`), but a walk that deletes the
 * key it stands on never loses its place. Tombstones sit in maps of their
 * own, so `find` — every lookup — reads the live map and nothing else.
 *
 * @module
 */

import type { Entry, Store } from "./_store.ts";
import { encodeKey } from "./_terms.ts";

/** The rows of a tombstone. */
const NO_ROWS: readonly never[] = Object.freeze([]);

/** The most recent tombstones, kept by a purge. */
const KEPT_TOMBSTONES = 1024;

class Node<R> implements Entry<R> {
  readonly key: unknown;
  rows: readonly R[];
  prev: Node<R> | null = null;
  next: Node<R> | null = null;
  removed = false;
  /** When it was removed (the store's removal count then). */
  removedAt = 0;

  constructor(key: unknown, rows: readonly R[]) {
    this.key = key;
    this.rows = rows;
  }
}

/** Nodes by key: primitives by SameValueZero, composite keys by their canonical string. */
class NodeMap<R> {
  readonly primitive = new Map<unknown, Node<R>>();
  readonly composite = new Map<string, Node<R>>();

  get size(): number {
    return this.primitive.size + this.composite.size;
  }

  get(key: unknown, code: string | undefined): Node<R> | undefined {
    return code === undefined ? this.primitive.get(key) : this.composite.get(code);
  }

  set(key: unknown, code: string | undefined, node: Node<R>): void {
    if (code === undefined) this.primitive.set(key, node);
    else this.composite.set(code, node);
  }

  delete(key: unknown, code: string | undefined): void {
    if (code === undefined) this.primitive.delete(key);
    else this.composite.delete(code);
  }
}

/**
 * The canonical string of a composite key (`undefined` for a primitive one,
 * and for a composite key too deep to encode — which then looks in the
 * primitive maps, where no object ever is, and finds nothing).
 */
function codeOf(key: unknown): string | undefined {
  return typeof key === "object" && key !== null ? encodeKey(key) : undefined;
}

/** A hash store, in first-insertion order. */
export class HashStore<R> implements Store<R> {
  /** Live nodes: what `find` reads, and nothing else. */
  #live = new NodeMap<R>();
  /** Tombstones, by key. */
  #tombs = new NodeMap<R>();
  #head: Node<R> | null = null;
  #tail: Node<R> | null = null;
  #removals = 0;

  get keyCount(): number {
    return this.#live.size;
  }

  find(key: unknown): Entry<R> | undefined {
    if (typeof key !== "object" || key === null) return this.#live.primitive.get(key);
    const code = encodeKey(key);
    return code === undefined ? undefined : this.#live.composite.get(code);
  }

  add(key: unknown, rows: readonly R[]): Entry<R> {
    const code = codeOf(key);
    const tomb = this.#tombs.get(key, code);
    if (tomb !== undefined) { // a tombstone: back to life, in its place
      this.#tombs.delete(key, code);
      tomb.removed = false;
      tomb.rows = rows;
      this.#live.set(key, code, tomb);
      return tomb;
    }
    const node = new Node(key, rows);
    this.#live.set(key, code, node);
    node.prev = this.#tail;
    if (this.#tail === null) this.#head = node;
    else this.#tail.next = node;
    this.#tail = node;
    return node;
  }

  remove(key: unknown): void {
    const code = codeOf(key);
    const node = this.#live.get(key, code);
    if (node === undefined) return;
    this.#live.delete(key, code);
    node.removed = true;
    node.removedAt = ++this.#removals;
    node.rows = NO_ROWS;
    this.#tombs.set(key, code, node);
    const tombstones = this.#tombs.size;
    if (tombstones >= 2 * KEPT_TOMBSTONES && tombstones > this.keyCount) this.#purge();
  }

  clear(): void {
    this.#removals = 0;
    this.#live = new NodeMap();
    this.#tombs = new NodeMap();
    this.#head = this.#tail = null;
  }

  /** Unlinks every tombstone but the most recent ones, and forgets their keys. */
  #purge(): void {
    const keepFrom = this.#removals - KEPT_TOMBSTONES;
    for (let node = this.#head; node !== null; node = node.next) {
      if (!node.removed || node.removedAt > keepFrom) continue;
      if (node.prev === null) this.#head = node.next;
      else node.prev.next = node.next;
      if (node.next === null) this.#tail = node.prev;
      else node.next.prev = node.prev;
      this.#tombs.delete(node.key, codeOf(node.key));
    }
  }

  /** The node of `key`, live or a tombstone. */
  #node(key: unknown): Node<R> | undefined {
    const code = codeOf(key);
    return this.#live.get(key, code) ?? this.#tombs.get(key, code);
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
