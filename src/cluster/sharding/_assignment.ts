/**
 * Where keys and shards live (internal): a key's shard from a fixed-secret
 * SipHash of its string form, and each shard's node from a hash ring of the
 * cluster's members under the same fixed secret — so every node, given the
 * same members, computes the same assignment without talking to the others.
 *
 * @module
 */

import { HashRing } from "../../partition/hash_ring.ts";
import { KeyedHash } from "../../partition/siphash.ts";

/**
 * The secret every node uses: routing must agree across nodes, so it cannot
 * be random per system. (Sharding keys are application ids, not attacker
 * input aimed at one node; a per-cluster secret would be a later option.)
 */
const SHARDING_SECRET = new TextEncoder().encode("beamlet.sharding");

/** A key a shard is found for: its string form is its identity. */
export type EntityKey = string | number;

/** The key's identity: `7` and `"7"` are the same entity. */
export function keyId(key: EntityKey): string {
  return typeof key === "string" ? key : String(key);
}

/** Computes shards of keys and owners of shards, the same on every node. */
export class ShardAssignment {
  readonly #hash = new KeyedHash(SHARDING_SECRET);
  readonly shards: number;

  /** An assignment over `shards` shards (an integer 1..4096, checked by the caller). */
  constructor(shards: number) {
    this.shards = shards;
  }

  /** The shard of `key`: 0..shards-1, the same on every node and runtime. */
  shardOf(key: EntityKey): number {
    return this.#hash.partition(keyId(key), this.shards);
  }

  /**
   * The owner of every shard (index = shard) over `members`: a consistent
   * hash ring, so a member joining takes about 1/(N+1) of the shards and one
   * leaving gives away only its own. The order of `members` does not matter.
   * An empty member list owns nothing: every entry is `undefined`.
   */
  owners(members: readonly string[]): (string | undefined)[] {
    const result: (string | undefined)[] = new Array(this.shards).fill(undefined);
    if (members.length === 0) return result;
    const ring = new HashRing<string>({ hash: new KeyedHash(SHARDING_SECRET) });
    for (const member of new Set(members)) ring.add(member);
    for (let shard = 0; shard < this.shards; shard++) result[shard] = ring.route(`shard:${shard}`);
    return result;
  }
}
