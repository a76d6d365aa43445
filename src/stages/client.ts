/**
 * The client side of stages: subscribe a running consumer, cancel a
 * subscription, drain a producer. Each takes the `System` or, inside a
 * process, its `Context`.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { ExitReason } from "../exit_reason.ts";
import type { Target } from "../options.ts";
import type { System } from "../system.ts";
import { isPid } from "../kernel/mailbox/delivery.ts";
import { inspect } from "../_inspect.ts";
import {
  CancelMessage,
  DrainRequest,
  RequestFailed,
  SubscribeRequest,
  SubscribeSelfMessage,
} from "./_protocol.ts";
import { subscriptionOptions } from "./_options.ts";
import type { SubscribeOptions, Subscription } from "./types.ts";

function isContext(caller: System | Context): caller is Context {
  return "self" in caller && isPid((caller as Context).self);
}

function answer<T>(value: unknown): T {
  if (value instanceof RequestFailed) throw value.error;
  return value as T;
}

/**
 * Subscribes a running consumer (or producer_consumer) to a producer; resolves
 * with the subscription once the consumer made it (its first ask is on its
 * way). Bad options throw at the call (`TypeError` / `RangeError`); a target
 * that is a producer rejects with a `StageTypeError`. Subscribing to a dead
 * producer succeeds, then the subscription ends at once with reason
 * `noproc` (a `permanent` consumer exits with it). From inside the consumer
 * itself (`ctx` and `consumer === ctx.self`) the subscription is made on its
 * next turn.
 *
 * @example Subscribing after start
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { defineStage, subscribe } from "@beamlet/beamlet/stages";
 *
 * const numbers = defineStage<number, number>({
 *   type: "producer",
 *   init: () => ({ state: 0 }),
 *   handleDemand: (demand, n) => ({ events: Array.from({ length: demand }, (_, i) => n + i), state: n + demand }),
 * });
 * const sink = defineStage<number, never, number>({
 *   type: "consumer",
 *   init: () => ({ state: 0 }),
 *   handleEvents: (events, _from, total) => ({ state: total + events.length }),
 * });
 *
 * const system = new System();
 * const producer = await system.start(numbers);
 * const consumer = await system.start(sink);
 * const subscription = await subscribe(system, consumer, { to: producer, maxDemand: 50 });
 * console.log(subscription.producer === producer); // true
 * await system.stopAll();
 * ```
 */
export function subscribe(
  caller: System | Context,
  consumer: Target,
  options: SubscribeOptions,
): Promise<Subscription> {
  subscriptionOptions(options);
  const request = new SubscribeRequest(options);
  if (isContext(caller)) {
    const self = caller.self;
    if (
      consumer === self ||
      (isPid(consumer) && consumer.serial === self.serial && consumer.node === self.node)
    ) {
      return new Promise((resolve, reject) =>
        caller.send(self, new SubscribeSelfMessage(options, resolve, reject))
      );
    }
    return caller.call<unknown>(consumer, request).then(answer<Subscription>);
  }
  return caller.call<unknown>(consumer, request).then(answer<Subscription>);
}

/**
 * Cancels a subscription: the producer drops it (and its pending demand),
 * then tells the consumer, after every event it sent before — so none is
 * lost. The consumer's `handleCancel` runs with `{ kind: "cancel", reason }`,
 * then its `cancel` mode applies: a `permanent` subscription stops the
 * consumer with `reason` (as GenStage's), a `transient` one unless `reason` is
 * `normal` / `shutdown`, a `temporary` one never. Asynchronous, like a send.
 *
 * @example Cancelling a temporary subscription
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { cancel, defineStage, subscribe } from "@beamlet/beamlet/stages";
 *
 * const numbers = defineStage<number, number>({
 *   type: "producer",
 *   init: () => ({ state: 0 }),
 *   handleDemand: (demand, n) => ({ events: Array.from({ length: demand }, (_, i) => n + i), state: n + demand }),
 * });
 * const sink = defineStage<null, never, number>({
 *   type: "consumer",
 *   init: () => ({ state: null }),
 *   handleEvents: (_events, _from, state) => ({ state }),
 * });
 * const system = new System();
 * const consumer = await system.start(sink);
 * const subscription = await subscribe(system, consumer, { to: await system.start(numbers), cancel: "temporary" });
 * cancel(system, subscription, "normal");
 * await system.stopAll();
 * ```
 */
export function cancel(
  caller: System | Context,
  subscription: Subscription,
  reason: ExitReason = "normal",
): void {
  if (
    typeof subscription !== "object" || subscription === null || !isPid(subscription.producer) ||
    typeof subscription.ref?.serial !== "number"
  ) {
    throw new TypeError(`cancel: expected a Subscription, got ${inspect(subscription, 60)}`);
  }
  caller.send(subscription.producer, new CancelMessage(subscription.ref.serial, reason));
}

/**
 * Drains a producer (what a pipeline does on shutdown): runs its
 * `prepareForDraining`, dispatches what that emits, and from then on never
 * calls its `handleDemand` again (demand still accumulates; buffered events
 * still flow). Resolves once done. A consumer rejects with a `StageTypeError`.
 *
 * @example Stop pulling
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { defineStage, drain } from "@beamlet/beamlet/stages";
 *
 * const source = defineStage<number, number>({
 *   type: "producer",
 *   init: () => ({ state: 0 }),
 *   handleDemand: (demand, n) => ({ events: Array.from({ length: demand }, (_, i) => n + i), state: n + demand }),
 *   prepareForDraining: (n) => ({ state: n }),
 * });
 * const system = new System();
 * await drain(system, await system.start(source));
 * await system.stopAll();
 * ```
 */
export function drain(caller: System | Context, producer: Target): Promise<void> {
  return caller.call<unknown>(producer, new DrainRequest()).then((value) => {
    answer(value);
  });
}
