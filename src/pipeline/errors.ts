/**
 * Named errors of pipelines. Most are failure reasons: a message that a
 * handler mishandled is failed with one of these as its `status.failed`,
 * acked as failed, and given to `handleFailed` — never lost silently.
 *
 * @module
 */

/**
 * The base of the pipeline errors: `pipeline` names the pipeline (when
 * there is one).
 *
 * @example Telling pipeline failures apart
 * ```ts
 * import { PipelineError, type PipelineMessage } from "@beamlet/beamlet/pipeline";
 *
 * const ours = (m: PipelineMessage) =>
 *   m.status !== "ok" && m.status.failed instanceof PipelineError;
 * ```
 */
export class PipelineError extends Error {
  /** The pipeline's name, or `undefined` outside one. */
  readonly pipeline: string | undefined;

  /** Built by the subclasses. */
  constructor(pipeline: string | undefined, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PipelineError";
    this.pipeline = pipeline;
  }
}

/**
 * What was wrong with a handler's result: `"not_a_message"` (not a
 * message, or a Promise rejected by something that is one),
 * `"other_message"` (`handleMessage` returned a message it was not given),
 * `"not_an_array"` (`handleBatch` / `handleFailed`), `"missing"` (a message
 * of the batch was not returned), `"duplicate"` (returned twice).
 *
 * @example
 * ```ts
 * import type { ReturnProblem } from "@beamlet/beamlet/pipeline";
 *
 * const problem: ReturnProblem = "missing";
 * ```
 */
export type ReturnProblem =
  | "not_a_message"
  | "other_message"
  | "not_an_array"
  | "missing"
  | "duplicate";

/**
 * A handler returned something other than the messages it was given: the
 * messages concerned are failed with this reason. `handleBatch` must return
 * each message of its batch exactly once — the same object, or an updated
 * copy made with the helpers (`putData`, `failMessage`, ...) or a spread,
 * which keep the message's `metadata` object, by which it is recognised.
 *
 * @example Checking why a message failed
 * ```ts
 * import { MessageReturnError, type PipelineMessage } from "@beamlet/beamlet/pipeline";
 *
 * const dropped = (m: PipelineMessage) =>
 *   m.status !== "ok" && m.status.failed instanceof MessageReturnError &&
 *   m.status.failed.problem === "missing";
 * ```
 */
export class MessageReturnError extends PipelineError {
  /** The handler. */
  readonly callback: "handleMessage" | "handleBatch";
  /** What was wrong. */
  readonly problem: ReturnProblem;

  /** A `callback` of pipeline `pipeline` returned something wrong (`problem`). */
  constructor(
    pipeline: string,
    callback: "handleMessage" | "handleBatch",
    problem: ReturnProblem,
    detail: string,
  ) {
    super(pipeline, `${callback} of pipeline ${pipeline}: ${problem}: ${detail}`);
    this.name = "MessageReturnError";
    this.callback = callback;
    this.problem = problem;
  }
}

/**
 * A processor routed a message to a batcher the pipeline does not have.
 *
 * @example
 * ```ts
 * import { UnknownBatcherError } from "@beamlet/beamlet/pipeline";
 *
 * const error = new UnknownBatcherError("orders", "s4", ["s3"]);
 * console.log(error.batcher, error.known); // "s4" ["s3"]
 * ```
 */
export class UnknownBatcherError extends PipelineError {
  /** The batcher asked for. */
  readonly batcher: string;
  /** The batchers the pipeline has. */
  readonly known: readonly string[];

  /** Message routed to `batcher`, which is not among `known`. */
  constructor(pipeline: string, batcher: string, known: readonly string[]) {
    super(
      pipeline,
      `pipeline ${pipeline}: no batcher named ${JSON.stringify(batcher)} (batchers: ${
        known.map((k) => JSON.stringify(k)).join(", ") || "none"
      })`,
    );
    this.name = "UnknownBatcherError";
    this.batcher = batcher;
    this.known = known;
  }
}

/**
 * `partitionBy` threw, or returned something that is not a key (a string,
 * or a finite number): the message is failed with this reason (the thrown
 * value is its `cause`) before it reaches a processor.
 *
 * @example
 * ```ts
 * import { PartitionKeyError } from "@beamlet/beamlet/pipeline";
 *
 * const error = new PartitionKeyError("orders", "undefined");
 * console.log(error.key); // "undefined"
 * ```
 */
export class PartitionKeyError extends PipelineError {
  /** What `partitionBy` returned, described (`"threw"` when it threw). */
  readonly key: string;

  /** `partitionBy` returned `key` (described), or threw (`cause`). */
  constructor(pipeline: string, key: string, options?: ErrorOptions) {
    super(
      pipeline,
      `partitionBy of pipeline ${pipeline} ${
        key === "threw" ? "threw" : `returned ${key}, not a string or a finite number`
      }`,
      options,
    );
    this.name = "PartitionKeyError";
    this.key = key;
  }
}

/**
 * `Pipeline.start` with a name another running pipeline of the same
 * system has.
 *
 * @example
 * ```ts
 * import { PipelineExistsError } from "@beamlet/beamlet/pipeline";
 *
 * console.log(new PipelineExistsError("orders").pipeline); // "orders"
 * ```
 */
export class PipelineExistsError extends PipelineError {
  /** A pipeline named `pipeline` already runs in this system. */
  constructor(pipeline: string) {
    super(pipeline, `a pipeline named ${JSON.stringify(pipeline)} already runs in this system`);
    this.name = "PipelineExistsError";
  }
}

/**
 * `MemoryProducer.push` refused: the producer already holds `bound`
 * messages not yet taken by the pipeline. Nothing of that push was taken.
 *
 * @example Pushing with a fallback
 * ```ts
 * import { MemoryProducer, MemoryProducerFullError } from "@beamlet/beamlet/pipeline";
 *
 * const source = new MemoryProducer<number>({ bound: 2 });
 * try {
 *   source.push(1, 2, 3);
 * } catch (error) {
 *   if (error instanceof MemoryProducerFullError) console.log(error.bound, error.queued); // 2 0
 * }
 * ```
 */
export class MemoryProducerFullError extends PipelineError {
  /** The producer's bound. */
  readonly bound: number;
  /** Messages it held when the push was refused. */
  readonly queued: number;
  /** How many the refused push offered. */
  readonly offered: number;

  /** `offered` messages refused: `queued` of `bound` are taken. */
  constructor(bound: number, queued: number, offered: number) {
    super(
      undefined,
      `MemoryProducer is full: ${queued} of ${bound} queued, ${offered} more refused`,
    );
    this.name = "MemoryProducerFullError";
    this.bound = bound;
    this.queued = queued;
    this.offered = offered;
  }
}
