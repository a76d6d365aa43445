/**
 * A consistent hash ring with virtual nodes: routes keys to a changing set of
 * members (nodes, shards, processes) so that a membership change moves few
 * keys.
 *
 * How it routes. Each member is placed on a circle of 2^32 points at
 * `virtualNodes` pseudo-random spots (the keyed hash of `"<id>#<i>"`); a key
 * goes to the owner of the first spot at or after the key's own hash, going
 * round past the top. Routing is a binary search over the sorted spots,
 * O(log(members × virtualNodes)).
 *
 * Why it moves about 1/N of the keys. When a member joins, the only keys that
 * change owner are those whose next spot is now one of the newcomer's — about
 * 1/(N+1) of them, and all go to the newcomer; when one leaves, only its own
 * keys (about 1/N) move, spread over the others. A plain `hash % N` moves
 * nearly all keys instead. With one spot per member the shares are very
 * uneven (a member's arc has a spread as wide as its mean); with `v` spots the
 * relative spread of a member's share falls to about `1/√v` — about 8% with
 * the default 160.
 *
 * Why keyed. Spots and keys are placed by a {@linkcode KeyedHash}, so whoever
 * controls keys or member ids cannot predict where they land, and cannot aim
 * keys at one member. Give rings that must agree the same `KeyedHash` secret.
 *
 * @module
 */

import { DuplicateMemberError, EmptyRingError, UnknownMemberError } from "./errors.ts";
import { type HashKey, KeyedHash } from "./siphash.ts";

/** The virtual nodes per member unless told otherwise. */
const DEFAULT_VIRTUAL_NODES = 160;
const MAX_VIRTUAL_NODES = 65536;

/**
 * How a {@linkcode HashRing} is built.
 *
 * @example A ring of worker objects, identified by name
 * ```ts
 * import { HashRing, type HashRingOptions, KeyedHash } from "@beamlet/beamlet/partition";
 *
 * interface Worker { name: string }
 * const options: HashRingOptions<Worker> = {
 *   idOf: (worker) => worker.name,
 *   virtualNodes: 256,
 *   hash: new KeyedHash(),
 * };
 * const ring = new HashRing(options);
 * ```
 */
export interface HashRingOptions<M> {
  /**
   * A member's id: members with equal ids are the same member, and the id
   * (not the object) fixes where it sits on the ring. May be left out when
   * the members are strings, which are their own ids.
   */
  idOf?: (member: M) => string;
  /** Spots on the ring per member, an integer in 1..65536; 160 by default. */
  virtualNodes?: number;
  /** The keyed hash that places spots and keys; a random-secret one by default. */
  hash?: KeyedHash;
}

interface Entry<M> {
  readonly member: M;
  readonly id: string;
  readonly points: Uint32Array;
}

/**
 * A consistent hash ring of members of type `M`, identified by string ids.
 *
 * @example Routing sessions over nodes that come and go
 * ```ts
 * import { HashRing } from "@beamlet/beamlet/partition";
 *
 * const ring = new HashRing<string>();
 * ring.add("node-a");
 * ring.add("node-b");
 * ring.add("node-c");
 * const owner = ring.route("session:9f2c"); // "node-a", "node-b" or "node-c"
 * ring.remove("node-b"); // only node-b's keys move
 * ```
 */
export class HashRing<M = string> {
  readonly #idOf: (member: M) => string;
  readonly #virtualNodes: number;
  readonly #hash: KeyedHash;
  readonly #entries = new Map<string, Entry<M>>();
  /** Every spot, ascending; ties ordered by member id so routing ignores insertion order. */
  #points = new Uint32Array(0);
  /** `#owners[i]` owns `#points[i]`. */
  #owners: M[] = [];

  /**
   * Makes an empty ring.
   *
   * @throws {TypeError} `idOf` is not a function, or `hash` not a `KeyedHash`.
   * @throws {RangeError} `virtualNodes` is not an integer in 1..65536.
   */
  constructor(options: HashRingOptions<M> = {}) {
    const { idOf, virtualNodes = DEFAULT_VIRTUAL_NODES, hash } = options;
    if (idOf !== undefined && typeof idOf !== "function") {
      throw new TypeError(`HashRing idOf must be a function from member to string id`);
    }
    if (
      !Number.isInteger(virtualNodes) || virtualNodes < 1 || virtualNodes > MAX_VIRTUAL_NODES
    ) {
      throw new RangeError(
        `HashRing virtualNodes must be an integer from 1 to ${MAX_VIRTUAL_NODES}, got ${
          String(virtualNodes)
        }`,
      );
    }
    if (hash !== undefined && !(hash instanceof KeyedHash)) {
      throw new TypeError(`HashRing hash must be a KeyedHash`);
    }
    this.#idOf = idOf ?? stringId;
    this.#virtualNodes = virtualNodes;
    this.#hash = hash ?? new KeyedHash();
  }

  /**
   * How many members the ring holds.
   *
   * @example
   * ```ts
   * import { HashRing } from "@beamlet/beamlet/partition";
   *
   * const ring = new HashRing<string>();
   * ring.add("node-a");
   * console.log(ring.size); // 1
   * ```
   */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Places `member` on the ring; about 1/(N+1) of the keys move to it.
   *
   * @throws {DuplicateMemberError} the ring already holds a member with its id.
   * @throws {TypeError} its id is not a string.
   *
   * @example Growing a ring
   * ```ts
   * import { HashRing } from "@beamlet/beamlet/partition";
   *
   * const ring = new HashRing<string>();
   * for (const node of ["node-a", "node-b", "node-c"]) ring.add(node);
   * ```
   */
  add(member: M): void {
    const id = this.#idFor(member);
    if (this.#entries.has(id)) throw new DuplicateMemberError(id);
    const points = new Uint32Array(this.#virtualNodes);
    for (let i = 0; i < points.length; i++) points[i] = this.#hash.hash(`${id}#${i}`);
    this.#entries.set(id, { member, id, points });
    this.#rebuild();
  }

  /**
   * Takes `member` (found by its id) off the ring; only its keys move, spread
   * over the others.
   *
   * @throws {UnknownMemberError} the ring holds no member with its id.
   * @throws {TypeError} its id is not a string.
   *
   * @example Shrinking a ring
   * ```ts
   * import { HashRing } from "@beamlet/beamlet/partition";
   *
   * const ring = new HashRing<string>();
   * ring.add("node-a");
   * ring.add("node-b");
   * ring.remove("node-a");
   * console.log(ring.route("any key")); // "node-b"
   * ```
   */
  remove(member: M): void {
    const id = this.#idFor(member);
    if (!this.#entries.delete(id)) throw new UnknownMemberError(id);
    this.#rebuild();
  }

  /**
   * Whether the ring holds a member with `member`'s id.
   *
   * @throws {TypeError} its id is not a string.
   *
   * @example
   * ```ts
   * import { HashRing } from "@beamlet/beamlet/partition";
   *
   * const ring = new HashRing<string>();
   * ring.add("node-a");
   * console.log(ring.has("node-a"), ring.has("node-b")); // true false
   * ```
   */
  has(member: M): boolean {
    return this.#entries.has(this.#idFor(member));
  }

  /**
   * The members, in the order they were added.
   *
   * @example
   * ```ts
   * import { HashRing } from "@beamlet/beamlet/partition";
   *
   * const ring = new HashRing<string>();
   * ring.add("node-b");
   * ring.add("node-a");
   * console.log(ring.members()); // ["node-b", "node-a"]
   * ```
   */
  members(): M[] {
    return Array.from(this.#entries.values(), (entry) => entry.member);
  }

  /**
   * The member that owns `key`: the owner of the first spot at or after the
   * key's hash. The same key goes to the same member as long as membership
   * does not change (and for the same `KeyedHash` secret, on every ring).
   *
   * @throws {EmptyRingError} the ring has no members.
   * @throws {TypeError} `key` is not a string, a number or a `Uint8Array`.
   *
   * @example Routing a key
   * ```ts
   * import { HashRing } from "@beamlet/beamlet/partition";
   *
   * const ring = new HashRing<string>();
   * ring.add("node-a");
   * ring.add("node-b");
   * const owner = ring.route(1042);
   * console.log(owner === ring.route(1042)); // true
   * ```
   */
  route(key: HashKey): M {
    const points = this.#points;
    if (points.length === 0) {
      this.#hash.hash(key); // a bad key is a TypeError even on an empty ring
      throw new EmptyRingError(key);
    }
    const target = this.#hash.hash(key);
    let low = 0;
    let high = points.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (points[middle] < target) low = middle + 1;
      else high = middle;
    }
    return this.#owners[low === points.length ? 0 : low];
  }

  #idFor(member: M): string {
    const id = this.#idOf(member);
    if (typeof id !== "string") {
      throw new TypeError(
        this.#idOf === stringId
          ? `HashRing members must be strings unless options.idOf is given, got ${typeof member}`
          : `HashRing idOf must return a string, got ${typeof id}`,
      );
    }
    return id;
  }

  #rebuild(): void {
    const entries = [...this.#entries.values()];
    const count = entries.length * this.#virtualNodes;
    const order: number[] = new Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    const v = this.#virtualNodes;
    const pointAt = (i: number) => entries[Math.floor(i / v)].points[i % v];
    order.sort((a, b) => {
      const difference = pointAt(a) - pointAt(b);
      if (difference !== 0) return difference;
      const idA = entries[Math.floor(a / v)].id;
      const idB = entries[Math.floor(b / v)].id;
      return idA < idB ? -1 : idA > idB ? 1 : 0;
    });
    const points = new Uint32Array(count);
    const owners: M[] = new Array(count);
    for (let i = 0; i < count; i++) {
      points[i] = pointAt(order[i]);
      owners[i] = entries[Math.floor(order[i] / v)].member;
    }
    this.#points = points;
    this.#owners = owners;
  }
}

function stringId(member: unknown): string {
  return member as string;
}
