/**
 * Stages: demand-driven producers and consumers, as Elixir's GenStage.
 *
 * A stage is a process that emits events (`producer`), receives them
 * (`consumer`), or both (`producer_consumer`). Events flow downstream only
 * as fast as consumers ask for them: a consumer asks its producer for
 * `maxDemand` events, handles them in batches, and asks again whenever what
 * it still expects falls to `minDemand`. A producer never sends a consumer
 * more than it asked; what a producer emits beyond its consumers' demand
 * waits in its bounded buffer. That is back-pressure without a single
 * unbounded queue.
 *
 * `defineStage` returns a GenServer definition: start a stage with
 * `system.start(def, arg, { name })`, put it under a supervisor as any child
 * (`{ id, start: { server: def, arg } }`), call it with `system.call` (its
 * own `handleCall`). Every callback may return a Promise; a throw crashes
 * the stage alone.
 *
 * | callback | who | returns |
 * | --- | --- | --- |
 * | `init(arg, ctx)` | all | `{ state, subscribeTo?, buffer?, dispatcher?, labels? }`, `{ ignore: true }`, `{ stop }` |
 * | `handleDemand(demand, state, ctx)` | producer | `{ state, events? }` |
 * | `handleEvents(events, from, state, ctx)` | consumer, producer_consumer | `{ state, events? }` |
 * | `handleCall(request, from, state, ctx)` | all | `{ reply, state, events? }`, `{ noreply: true, state, events? }` |
 * | `handleCast` / `handleInfo(message, state, ctx)` | all | `{ state, events? }` |
 * | `handleSubscribe(kind, options, subscription, state, ctx)` | all | the state |
 * | `handleCancel(reason, subscription, state, ctx)` | all | `{ state, events? }` |
 * | `prepareForDraining(state, ctx)` | producer | `{ state, events? }` |
 * | `terminate(reason, state, ctx)` | all | ignored |
 *
 * Any of them may return `{ stop: reason, state }` instead (from
 * `handleCall`, with `reply` to answer first).
 *
 * ## Demand
 *
 * A subscription's `maxDemand` (default 1000) bounds the events in flight to
 * one consumer; `minDemand` (default 75% of max) sets when it asks again.
 * `handleEvents` gets batches of at most `maxDemand - minDemand` events. A
 * producer's `handleDemand(n)` is called with what its consumers asked beyond
 * what its buffer held; it may emit fewer (and the rest later, from any
 * callback) or more (the rest is buffered). A producer_consumer handles what
 * it received only while its own consumers have demand, so it never asks
 * upstream for more than downstream allows.
 *
 * ## Buffer
 *
 * `buffer: { size, overflow }` (default `{ size: 10000, overflow:
 * "drop_oldest" }`; `size` may be `Infinity`). When full, `drop_oldest` drops
 * buffered events, `drop_newest` the incoming ones; every drop is counted
 * (`StageInfo.dropped`) and emitted as `beamlet.stage.dropped`.
 *
 * ## Dispatchers
 *
 * - `"demand"` (default): each batch to the consumer with the most demand.
 * - `"broadcast"`: every consumer gets every event, at the pace of the
 *   slowest one.
 * - `{ type: "partition", partitions, hash }`: each event to the consumer of
 *   the partition `hash(event)` names (consumers subscribe with
 *   `partition`). `undefined` discards the event (counted as dropped); a
 *   throw or an unknown partition stops the producer with a
 *   `PartitionError`. Events of a partition without demand wait in its queue,
 *   bounded like the buffer.
 *
 * ## Cancel
 *
 * A subscription's `cancel` mode says what the consumer does when its
 * producer exits or cancels: `permanent` (default) exits with the same
 * reason, `transient` exits unless the reason is `normal` / `shutdown`,
 * `temporary` stays. `handleCancel` runs first in every mode. When a consumer
 * exits, its producer drops the subscription and its pending demand.
 * Subscribing to a dead producer ends the subscription at once with reason
 * `noproc`. Both sides monitor each other; the protocol travels as info
 * messages of private classes, never seen by `handleInfo`.
 *
 * ## Draining
 *
 * `drain(system, producer)` runs the producer's `prepareForDraining` and
 * dispatches what it emits; from then on its `handleDemand` is never called
 * again (a pipeline stops pulling this way before it shuts down).
 *
 * ## Mailboxes
 *
 * Demand already bounds what a producer sends, so stage mailboxes are
 * unbounded by default; a bound (`start`'s `mailbox` option) is allowed, but a
 * refused protocol message loses events or demand, so leave stage mailboxes
 * unbounded unless the stage also takes outside traffic.
 *
 * @example A counter and a printer
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { defineStage } from "@beamlet/beamlet/stages";
 *
 * const counter = defineStage<number, number, number>({
 *   type: "producer",
 *   init: (start) => ({ state: start }),
 *   handleDemand: (demand, n) => ({ events: Array.from({ length: demand }, (_, i) => n + i), state: n + demand }),
 * });
 * const printer = defineStage<null, never, number, string>({
 *   type: "consumer",
 *   init: (producer) => ({ state: null, subscribeTo: [{ to: producer, maxDemand: 10, minDemand: 5 }] }),
 *   handleEvents: (events, _from, state) => (console.log(events.length), { state }),
 * });
 *
 * const system = new System();
 * await system.start(counter, 0, { name: "counter" });
 * await system.start(printer, "counter");
 * await system.stopAll();
 * ```
 *
 * @module
 */

export { defineStage, type StageDefinition } from "./src/stages/define_stage.ts";
export { cancel, drain, subscribe } from "./src/stages/client.ts";
export type {
  CommonStageCallbacks,
  ConsumerCallbacks,
  ConsumerInit,
  ProducerCallbacks,
  ProducerConsumerCallbacks,
  ProducerConsumerInit,
  ProducerInit,
  StageInitOutcome,
} from "./src/stages/callbacks.ts";
export type {
  BufferOptions,
  CancelMode,
  CancelReason,
  DispatcherOption,
  PartitionDispatcher,
  PartitionKey,
  StageCallResult,
  StageIgnore,
  StageLabels,
  StageResult,
  StageStop,
  StageType,
  SubscribeOptions,
  Subscription,
  SubscriptionOptions,
} from "./src/stages/types.ts";
export type { StageInfo } from "./src/stages/stage_info.ts";
export {
  PartitionError,
  StageError,
  StageTypeError,
  SubscriptionError,
} from "./src/stages/errors.ts";
