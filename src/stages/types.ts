/**
 * The public types of stages: subscription options, buffer and dispatcher
 * options, the subscription handle, and what callbacks return.
 *
 * @module
 */

import type { ExitReason } from "../exit_reason.ts";
import type { Target } from "../options.ts";
import type { Pid, Ref } from "../pid.ts";

/**
 * The three kinds of stage: a `producer` emits events on demand, a
 * `consumer` receives them, a `producer_consumer` does both.
 *
 * @example
 * ```ts
 * import type { StageType } from "@beamlet/beamlet/stages";
 *
 * const emits = (type: StageType) => type !== "consumer";
 * console.log(emits("producer_consumer")); // true
 * ```
 */
export type StageType = "producer" | "consumer" | "producer_consumer";

/**
 * What a consumer does when its producer goes (exits or cancels the
 * subscription): `permanent` exits with the same reason, `transient` exits
 * unless the reason is `normal` / `shutdown`, `temporary` stays (its
 * `handleCancel` decides). `handleCancel` runs first in every mode.
 *
 * @example
 * ```ts
 * import type { CancelMode } from "@beamlet/beamlet/stages";
 *
 * const modes: CancelMode[] = ["permanent", "transient", "temporary"];
 * ```
 */
export type CancelMode = "permanent" | "transient" | "temporary";

/**
 * A partition of a partition dispatcher: a string or a number.
 *
 * @example
 * ```ts
 * import type { PartitionKey } from "@beamlet/beamlet/stages";
 *
 * const byParity = (n: number): PartitionKey => n % 2;
 * ```
 */
export type PartitionKey = string | number;

/**
 * A consumer's subscription to a producer, as `subscribeTo` (in `init`) and
 * `subscribe` take it.
 *
 * @example Batches of 50 to 100 events, surviving the producer
 * ```ts
 * import type { SubscribeOptions } from "@beamlet/beamlet/stages";
 *
 * const options: SubscribeOptions = { to: "numbers", maxDemand: 100, minDemand: 50, cancel: "temporary" };
 * ```
 */
export interface SubscribeOptions {
  /** The producer (or producer_consumer): a pid or a name. */
  readonly to: Target;
  /** Events asked at most at a time: a positive integer (default 1000). */
  readonly maxDemand?: number;
  /** Ask again when pending demand falls to this: `0 <= minDemand < maxDemand` (default 75% of max). */
  readonly minDemand?: number;
  /** What the consumer does when the producer goes (default `"permanent"`). */
  readonly cancel?: CancelMode;
  /** The partition to receive, for a producer with a partition dispatcher. */
  readonly partition?: PartitionKey;
}

/**
 * A subscription's options once checked and defaulted (what
 * `handleSubscribe` gets).
 *
 * @example
 * ```ts
 * import type { SubscriptionOptions } from "@beamlet/beamlet/stages";
 *
 * const batch = (o: SubscriptionOptions) => o.maxDemand - o.minDemand;
 * ```
 */
export interface SubscriptionOptions {
  /** Events asked at most at a time. */
  readonly maxDemand: number;
  /** Ask again when pending demand falls to this. */
  readonly minDemand: number;
  /** What the consumer does when the producer goes. */
  readonly cancel: CancelMode;
  /** The partition, for a partition dispatcher. */
  readonly partition: PartitionKey | undefined;
}

/**
 * One subscription between a producer and a consumer: what `subscribe`
 * returns, what `handleEvents` gets as `from`, what `cancel` takes.
 *
 * @example Cancelling the subscription a batch came from
 * ```ts
 * import { cancel, type Subscription } from "@beamlet/beamlet/stages";
 * import type { Context } from "@beamlet/beamlet";
 *
 * const stopAfter = (events: number[], from: Subscription, ctx: Context) => {
 *   if (events.includes(0)) cancel(ctx, from, "normal");
 * };
 * ```
 */
export interface Subscription {
  /** Identifies the subscription (the consumer's monitor of the producer). */
  readonly ref: Ref;
  /** The producer. */
  readonly producer: Pid;
  /** The consumer. */
  readonly consumer: Pid;
}

/**
 * Why a subscription ended, as `handleCancel` gets it: `cancel` (cancelled,
 * or refused by the producer) or `down` (the other side exited), with the
 * reason.
 *
 * @example
 * ```ts
 * import type { CancelReason } from "@beamlet/beamlet/stages";
 *
 * const crashed = (why: CancelReason) => why.kind === "down" && why.reason !== "normal";
 * ```
 */
export interface CancelReason {
  /** `cancel`: cancelled or refused; `down`: the other side exited. */
  readonly kind: "cancel" | "down";
  /** The reason given to `cancel`, or the exit reason. */
  readonly reason: ExitReason;
}

/**
 * A producer's buffer: events emitted beyond its consumers' demand wait
 * here. `size` is a positive integer or `Infinity` (default 10000); when
 * full, `drop_oldest` (default) drops the oldest buffered event,
 * `drop_newest` the incoming ones. Drops are counted and emitted as
 * `beamlet.stage.dropped`.
 *
 * @example
 * ```ts
 * import type { BufferOptions } from "@beamlet/beamlet/stages";
 *
 * const keepFirst: BufferOptions = { size: 500, overflow: "drop_newest" };
 * ```
 */
export interface BufferOptions {
  /** The bound: a positive integer or `Infinity` (default 10000). */
  readonly size?: number;
  /** What goes when full (default `"drop_oldest"`). */
  readonly overflow?: "drop_oldest" | "drop_newest";
}

/**
 * A partition dispatcher: every event goes to the consumer of the
 * partition `hash` returns (`undefined`: discarded and counted as dropped;
 * a throw or an unknown partition: the producer exits with a
 * `PartitionError`). Consumers subscribe with `partition`.
 *
 * @example Two partitions by parity
 * ```ts
 * import type { PartitionDispatcher } from "@beamlet/beamlet/stages";
 *
 * const byParity: PartitionDispatcher<number> = { type: "partition", partitions: 2, hash: (n) => n % 2 };
 * ```
 */
export interface PartitionDispatcher<E> {
  /** Discriminant. */
  readonly type: "partition";
  /** `n` (partitions `0..n-1`) or the partition keys. */
  readonly partitions: number | readonly PartitionKey[];
  /** The partition of an event, or `undefined` to discard it. */
  readonly hash: (event: E) => PartitionKey | undefined;
}

/**
 * How a producer hands events to its consumers: `demand` (default, to the
 * consumer with the most demand), `broadcast` (every consumer gets every
 * event, at the pace of the slowest), or a {@linkcode PartitionDispatcher}.
 *
 * @example
 * ```ts
 * import type { DispatcherOption } from "@beamlet/beamlet/stages";
 *
 * const everyone: DispatcherOption<string> = "broadcast";
 * ```
 */
export type DispatcherOption<E> = "demand" | "broadcast" | PartitionDispatcher<E>;

/**
 * Labels a stage reports in its `StageInfo` and telemetry (pipelines set
 * them).
 *
 * @example
 * ```ts
 * import type { StageLabels } from "@beamlet/beamlet/stages";
 *
 * const labels: StageLabels = { pipeline: "orders", role: "processor", name: "orders.processor.1" };
 * ```
 */
export interface StageLabels {
  /** The pipeline it belongs to. */
  readonly pipeline?: string;
  /** Its role in the pipeline (`producer`, `processor`, `batcher`, `batch_processor`). */
  readonly role?: string;
  /** A display name (defaults to its registered name). */
  readonly name?: string;
}

/**
 * `init` declined: `start` resolves with `undefined`.
 *
 * @example
 * ```ts
 * import type { StageIgnore } from "@beamlet/beamlet/stages";
 *
 * const declined: StageIgnore = { ignore: true };
 * ```
 */
export interface StageIgnore {
  /** Always true. */
  readonly ignore: true;
}

/**
 * Stop the stage with `reason` (from any callback; from `init`, the start
 * fails with it). From `handleCall`, `reply` answers the caller first.
 *
 * @example
 * ```ts
 * import type { StageStop } from "@beamlet/beamlet/stages";
 *
 * const done: StageStop<number> = { stop: "normal", state: 0 };
 * ```
 */
export interface StageStop<S, R = unknown> {
  /** The exit reason. */
  readonly stop: ExitReason;
  /** The state `terminate` gets. */
  readonly state?: S;
  /** From `handleCall`: the reply sent before stopping. */
  readonly reply?: R;
}

/**
 * What most callbacks return: the new state, and events to emit (producers
 * and producer_consumers only), or a {@linkcode StageStop}.
 *
 * @example
 * ```ts
 * import type { StageResult } from "@beamlet/beamlet/stages";
 *
 * const handleDemand = (demand: number, next: number): StageResult<number, number> => ({
 *   events: Array.from({ length: demand }, (_, i) => next + i),
 *   state: next + demand,
 * });
 * ```
 */
export type StageResult<S, E> =
  | { readonly state: S; readonly events?: readonly E[] }
  | StageStop<S>;

/**
 * What `handleCall` returns: a reply, no reply (answer later with
 * `ctx.reply(from, value)`), or a stop — each may emit events.
 *
 * @example
 * ```ts
 * import type { StageCallResult } from "@beamlet/beamlet/stages";
 *
 * const handleCall = (request: "count", _from: unknown, n: number): StageCallResult<number, never> =>
 *   ({ reply: n, state: n });
 * ```
 */
export type StageCallResult<S, E> =
  | { readonly reply: unknown; readonly state: S; readonly events?: readonly E[] }
  | { readonly noreply: true; readonly state: S; readonly events?: readonly E[] }
  | StageStop<S>;
