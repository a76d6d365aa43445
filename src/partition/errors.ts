/**
 * Named errors of partition routing: the membership mistakes a
 * {@linkcode HashRing} refuses, and routing with nowhere to go.
 *
 * @module
 */

/**
 * A member was added to a {@linkcode HashRing} that already holds a member
 * with the same id. The ring is left as it was.
 *
 * @example Adding a member twice
 * ```ts
 * import { DuplicateMemberError, HashRing } from "@beamlet/beamlet/partition";
 *
 * const ring = new HashRing<string>();
 * ring.add("node-a");
 * try {
 *   ring.add("node-a");
 * } catch (error) {
 *   if (error instanceof DuplicateMemberError) console.log(error.memberId); // "node-a"
 * }
 * ```
 */
export class DuplicateMemberError extends Error {
  /** The id the ring already holds. */
  readonly memberId: string;

  /** Built by {@linkcode HashRing.add}. */
  constructor(memberId: string, options?: ErrorOptions) {
    super(`the hash ring already has a member with id ${JSON.stringify(memberId)}`, options);
    this.name = "DuplicateMemberError";
    this.memberId = memberId;
  }
}

/**
 * A member was removed from a {@linkcode HashRing} that holds no member with
 * its id. The ring is left as it was.
 *
 * @example Removing a stranger
 * ```ts
 * import { HashRing, UnknownMemberError } from "@beamlet/beamlet/partition";
 *
 * const ring = new HashRing<string>();
 * try {
 *   ring.remove("node-z");
 * } catch (error) {
 *   if (error instanceof UnknownMemberError) console.log(error.memberId); // "node-z"
 * }
 * ```
 */
export class UnknownMemberError extends Error {
  /** The id the ring does not hold. */
  readonly memberId: string;

  /** Built by {@linkcode HashRing.remove}. */
  constructor(memberId: string, options?: ErrorOptions) {
    super(`the hash ring has no member with id ${JSON.stringify(memberId)}`, options);
    this.name = "UnknownMemberError";
    this.memberId = memberId;
  }
}

/**
 * A key was routed on a {@linkcode HashRing} with no members.
 *
 * @example Routing before any member joined
 * ```ts
 * import { EmptyRingError, HashRing } from "@beamlet/beamlet/partition";
 *
 * const ring = new HashRing<string>();
 * try {
 *   ring.route("user:42");
 * } catch (error) {
 *   if (error instanceof EmptyRingError) console.log(error.key); // "user:42"
 * }
 * ```
 */
export class EmptyRingError extends Error {
  /** The key that could not be routed. */
  readonly key: string | number | Uint8Array;

  /** Built by {@linkcode HashRing.route}. */
  constructor(key: string | number | Uint8Array, options?: ErrorOptions) {
    super(`cannot route key ${describeKey(key)}: the hash ring has no members`, options);
    this.name = "EmptyRingError";
    this.key = key;
  }
}

function describeKey(key: string | number | Uint8Array): string {
  if (typeof key === "string") return JSON.stringify(key);
  if (typeof key === "number") return String(key);
  return `<${key.length} bytes>`;
}
