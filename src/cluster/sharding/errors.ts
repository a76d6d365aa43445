/**
 * Named errors of cluster sharding.
 *
 * @module
 */

/**
 * A call or cast to a {@linkcode Sharding} that was stopped (`stop()`) or
 * whose node left its cluster: nothing was sent.
 *
 * @example
 * ```ts
 * import { ShardingStoppedError } from "@beamlet/beamlet/cluster";
 *
 * const error = new ShardingStoppedError("carts");
 * console.log(error.code, error.message); // "sharding_stopped" "sharding carts is stopped on this node"
 * ```
 */
export class ShardingStoppedError extends Error {
  /** `"sharding_stopped"`. */
  readonly code = "sharding_stopped";
  /** The sharding's name. */
  readonly sharding: string;

  /** Built when a stopped sharding is asked to route a request. */
  constructor(sharding: string, options?: ErrorOptions) {
    super(`sharding ${sharding} is stopped on this node`, options);
    this.name = "ShardingStoppedError";
    this.sharding = sharding;
  }
}

/**
 * `Sharding.start` was given a name that a sharding of the same system
 * already runs under: two regions of one name on one node would both answer
 * for its shards.
 *
 * @example
 * ```ts
 * import { ShardingNameTakenError } from "@beamlet/beamlet/cluster";
 *
 * console.log(new ShardingNameTakenError("carts").message); // "a sharding named carts already runs on this system"
 * ```
 */
export class ShardingNameTakenError extends Error {
  /** `"sharding_name_taken"`. */
  readonly code = "sharding_name_taken";
  /** The name asked for. */
  readonly sharding: string;

  /** Built when a second sharding of one name starts on one system. */
  constructor(sharding: string) {
    super(`a sharding named ${sharding} already runs on this system`);
    this.name = "ShardingNameTakenError";
    this.sharding = sharding;
  }
}
