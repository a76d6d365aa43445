/**
 * The errors of stages: a {@linkcode StageError} base and its named cases.
 * They reach you as exit reasons (a producer whose partition hash threw
 * exits with a {@linkcode PartitionError}), as a rejected `subscribe`, or
 * thrown at the call for bad options.
 *
 * @module
 */

/**
 * Base class of every stage error.
 *
 * @example Telling stage errors apart from others
 * ```ts
 * import { StageError } from "@beamlet/beamlet/stages";
 *
 * const isStageProblem = (reason: unknown) => reason instanceof StageError;
 * console.log(isStageProblem(new Error("x"))); // false
 * ```
 */
export class StageError extends Error {
  /** Always `"StageError"`. */
  override name = "StageError";
}

/**
 * A partition dispatcher's `hash` threw, or returned a partition the
 * dispatcher does not have: the producer exits with this reason rather than
 * lose the event.
 *
 * @example Reading the partition an exit named
 * ```ts
 * import { PartitionError } from "@beamlet/beamlet/stages";
 *
 * const why = (reason: unknown) => reason instanceof PartitionError ? reason.partition : undefined;
 * console.log(why(new PartitionError("unknown partition", 7))); // 7
 * ```
 */
export class PartitionError extends StageError {
  /** Always `"PartitionError"`. */
  override name = "PartitionError";
  /** What the hash returned (`undefined` when it threw: see `cause`). */
  readonly partition: unknown;

  /** Built by the partition dispatcher. */
  constructor(message: string, partition: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.partition = partition;
  }
}

/**
 * A subscription was refused: by the producer (a partition that does not
 * exist or is taken, a producer that is not a stage producer) or because the
 * consumer could not subscribe. A `permanent` consumer exits with it.
 *
 * @example Recognising a refused subscription
 * ```ts
 * import { SubscriptionError } from "@beamlet/beamlet/stages";
 *
 * const error = new SubscriptionError("partition 9 does not exist");
 * console.log(error.name, error.message); // "SubscriptionError" "partition 9 does not exist"
 * ```
 */
export class SubscriptionError extends StageError {
  /** Always `"SubscriptionError"`. */
  override name = "SubscriptionError";
}

/**
 * A stage was used as a type it is not: a consumer asked for events, a
 * consumer emitting events, a producer given `subscribeTo`.
 *
 * @example What a consumer that emits gets
 * ```ts
 * import { StageTypeError } from "@beamlet/beamlet/stages";
 *
 * const error = new StageTypeError("a consumer cannot emit events");
 * console.log(error instanceof Error); // true
 * ```
 */
export class StageTypeError extends StageError {
  /** Always `"StageTypeError"`. */
  override name = "StageTypeError";
}
