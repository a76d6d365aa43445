/**
 * The callback contracts of the three stage types, and what their `init`
 * returns. Every callback may return a Promise of its result (the stage is
 * busy meanwhile, like a GenServer); a throw crashes the stage.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { ExitReason } from "../exit_reason.ts";
import type { From } from "../from.ts";
import type { MaybePromise } from "../gen_server.ts";
import type {
  BufferOptions,
  CancelReason,
  DispatcherOption,
  StageCallResult,
  StageIgnore,
  StageLabels,
  StageResult,
  SubscribeOptions,
  Subscription,
  SubscriptionOptions,
} from "./types.ts";

/**
 * `init` of a producer: its state, buffer and dispatcher.
 *
 * @example
 * ```ts
 * import type { ProducerInit } from "@beamlet/beamlet/stages";
 *
 * const init = (start: number): ProducerInit<number, number> =>
 *   ({ state: start, buffer: { size: 100 }, dispatcher: "broadcast" });
 * ```
 */
export interface ProducerInit<S, Out> {
  /** The initial state. */
  readonly state: S;
  /** Its buffer (default `{ size: 10000, overflow: "drop_oldest" }`). */
  readonly buffer?: BufferOptions;
  /** Its dispatcher (default `"demand"`). */
  readonly dispatcher?: DispatcherOption<Out>;
  /** Labels for `StageInfo` and telemetry. */
  readonly labels?: StageLabels;
}

/**
 * `init` of a consumer: its state and the producers it subscribes to.
 *
 * @example
 * ```ts
 * import type { ConsumerInit } from "@beamlet/beamlet/stages";
 *
 * const init = (): ConsumerInit<null> => ({ state: null, subscribeTo: [{ to: "numbers", maxDemand: 10 }] });
 * ```
 */
export interface ConsumerInit<S> {
  /** The initial state. */
  readonly state: S;
  /** Subscriptions made as the stage starts. */
  readonly subscribeTo?: readonly SubscribeOptions[];
  /** Labels for `StageInfo` and telemetry. */
  readonly labels?: StageLabels;
}

/**
 * `init` of a producer_consumer: both sides.
 *
 * @example
 * ```ts
 * import type { ProducerConsumerInit } from "@beamlet/beamlet/stages";
 *
 * const init = (): ProducerConsumerInit<null, number> =>
 *   ({ state: null, subscribeTo: [{ to: "numbers" }], dispatcher: "demand" });
 * ```
 */
export interface ProducerConsumerInit<S, Out> extends ProducerInit<S, Out> {
  /** Subscriptions made as the stage starts. */
  readonly subscribeTo?: readonly SubscribeOptions[];
}

/**
 * What `init` may return besides its type's init record: decline or stop.
 *
 * @example
 * ```ts
 * import type { StageInitOutcome } from "@beamlet/beamlet/stages";
 *
 * const refused: StageInitOutcome = { stop: "no_source" };
 * ```
 */
export type StageInitOutcome = StageIgnore | { readonly stop: ExitReason };

/**
 * Callbacks every stage type may have.
 *
 * @example A stage that answers a call
 * ```ts
 * import type { CommonStageCallbacks } from "@beamlet/beamlet/stages";
 *
 * const common: CommonStageCallbacks<number, never> = {
 *   handleCall: (_request, _from, n) => ({ reply: n, state: n }),
 * };
 * ```
 */
export interface CommonStageCallbacks<S, Out> {
  /** A `call` to the stage; the result may emit events. */
  handleCall?(
    request: unknown,
    from: From<unknown>,
    state: S,
    ctx: Context,
  ): MaybePromise<StageCallResult<S, Out>>;
  /** A `cast` to the stage. */
  handleCast?(request: unknown, state: S, ctx: Context): MaybePromise<StageResult<S, Out>>;
  /** Any other message (timers, monitors of its own). */
  handleInfo?(message: unknown, state: S, ctx: Context): MaybePromise<StageResult<S, Out>>;
  /**
   * A subscription began: `kind` is `"consumer"` on the producer side (a
   * consumer subscribed to it), `"producer"` on the consumer side.
   */
  handleSubscribe?(
    kind: "consumer" | "producer",
    options: SubscriptionOptions,
    subscription: Subscription,
    state: S,
    ctx: Context,
  ): MaybePromise<S>;
  /** A subscription ended (see {@linkcode CancelReason}). */
  handleCancel?(
    reason: CancelReason,
    subscription: Subscription,
    state: S,
    ctx: Context,
  ): MaybePromise<StageResult<S, Out>>;
  /** Last words, as a GenServer's. */
  terminate?(reason: ExitReason, state: S, ctx: Context): unknown;
  /**
   * What state inspection shows of `state` (a GenServer's `formatStatus`):
   * redact secrets, summarise what is large. The stage's own counters are
   * shown beside it.
   */
  formatStatus?(state: S): unknown;
}

/**
 * A producer: emits events when its consumers ask.
 *
 * @example Counting up
 * ```ts
 * import type { ProducerCallbacks } from "@beamlet/beamlet/stages";
 *
 * const counter: ProducerCallbacks<number, number, number> = {
 *   type: "producer",
 *   init: (start) => ({ state: start }),
 *   handleDemand: (demand, next) => ({
 *     events: Array.from({ length: demand }, (_, i) => next + i),
 *     state: next + demand,
 *   }),
 * };
 * ```
 */
export interface ProducerCallbacks<S, Out, A> extends CommonStageCallbacks<S, Out> {
  /** Discriminant. */
  readonly type: "producer";
  /** Sets up the state, buffer and dispatcher. */
  init(arg: A, ctx: Context): MaybePromise<ProducerInit<S, Out> | StageInitOutcome>;
  /**
   * Consumers asked for `demand` more events (beyond what the buffer
   * served). Emit up to that many now, or later from any callback; extra
   * events wait in the buffer.
   */
  handleDemand(demand: number, state: S, ctx: Context): MaybePromise<StageResult<S, Out>>;
  /** The pipeline is draining: after this, `handleDemand` is not called any more. */
  prepareForDraining?(state: S, ctx: Context): MaybePromise<StageResult<S, Out>>;
}

/**
 * A consumer: receives events from the producers it subscribed to.
 *
 * @example Printing
 * ```ts
 * import type { ConsumerCallbacks } from "@beamlet/beamlet/stages";
 *
 * const printer: ConsumerCallbacks<null, number, string> = {
 *   type: "consumer",
 *   init: (producer) => ({ state: null, subscribeTo: [{ to: producer, maxDemand: 10 }] }),
 *   handleEvents: (events, _from, state) => (console.log(events), { state }),
 * };
 * ```
 */
export interface ConsumerCallbacks<S, In, A> extends CommonStageCallbacks<S, never> {
  /** Discriminant. */
  readonly type: "consumer";
  /** Sets up the state and subscriptions. */
  init(arg: A, ctx: Context): MaybePromise<ConsumerInit<S> | StageInitOutcome>;
  /** A batch of at most `maxDemand - minDemand` events from `from`. */
  handleEvents(
    events: In[],
    from: Subscription,
    state: S,
    ctx: Context,
  ): MaybePromise<StageResult<S, never>>;
}

/**
 * A producer_consumer: receives events and emits events, asking upstream
 * only as its own consumers ask.
 *
 * @example Doubling
 * ```ts
 * import type { ProducerConsumerCallbacks } from "@beamlet/beamlet/stages";
 *
 * const doubler: ProducerConsumerCallbacks<null, number, number, string> = {
 *   type: "producer_consumer",
 *   init: (upstream) => ({ state: null, subscribeTo: [{ to: upstream, maxDemand: 100 }] }),
 *   handleEvents: (events, _from, state) => ({ events: events.map((n) => n * 2), state }),
 * };
 * ```
 */
export interface ProducerConsumerCallbacks<S, Out, In, A> extends CommonStageCallbacks<S, Out> {
  /** Discriminant. */
  readonly type: "producer_consumer";
  /** Sets up the state, subscriptions, buffer and dispatcher. */
  init(arg: A, ctx: Context): MaybePromise<ProducerConsumerInit<S, Out> | StageInitOutcome>;
  /** A batch of events from `from`; the events returned go downstream. */
  handleEvents(
    events: In[],
    from: Subscription,
    state: S,
    ctx: Context,
  ): MaybePromise<StageResult<S, Out>>;
}

/** Every callback any stage may have, loosely typed (internal). */
export interface AnyStageCallbacks extends CommonStageCallbacks<unknown, unknown> {
  readonly type: string;
  init(arg: unknown, ctx: Context): unknown;
  handleDemand?(demand: number, state: unknown, ctx: Context): unknown;
  handleEvents?(events: unknown[], from: Subscription, state: unknown, ctx: Context): unknown;
  prepareForDraining?(state: unknown, ctx: Context): unknown;
}
