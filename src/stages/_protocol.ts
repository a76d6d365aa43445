/**
 * The messages stages exchange (internal). They travel as info messages of
 * private classes, so a stage tells them from its user's messages with one
 * `instanceof`, and no user message can pass for one.
 *
 * ```
 * consumer                              producer
 *    | -- subscribe(ref, consumer, opts) --> |  (the consumer monitors the producer: ref)
 *    | -- ask(ref, n) ---------------------> |  (the producer monitors the consumer)
 *    | <----------------- events(ref, [...]) |
 *    | -- cancel(ref, reason) -------------> |  (anyone may send it: `cancel()`)
 *    | <--------------- cancelled(ref, why)  |  (after every event sent before it)
 * ```
 *
 * @module
 */

import type { ExitReason } from "../exit_reason.ts";
import type { Pid, Ref } from "../pid.ts";
import type { SubscribeOptions, SubscriptionOptions } from "./types.ts";

/** Consumer → producer: subscribe under `ref`. */
export class SubscribeMessage {
  constructor(
    readonly ref: Ref,
    readonly consumer: Pid,
    readonly options: SubscriptionOptions,
  ) {}
}

/** Consumer → producer: `count` more events for subscription `ref`. */
export class AskMessage {
  constructor(readonly ref: number, readonly count: number) {}
}

/** Producer → consumer: events for subscription `ref`. */
export class EventsMessage {
  constructor(readonly ref: number, readonly events: unknown[]) {}
}

/** Anyone → producer: end subscription `ref`. */
export class CancelMessage {
  constructor(readonly ref: number, readonly reason: ExitReason) {}
}

/** Producer → consumer: subscription `ref` ended (cancelled or refused). */
export class CancelledMessage {
  constructor(readonly ref: number, readonly reason: ExitReason) {}
}

/** A producer to itself: serve the demand again (its dispatcher discarded events). */
export class RefundMessage {}

/** A stage's own stats timer. */
export class StatsTick {}

/** `subscribe()` asks a running consumer through a call carrying this. */
export class SubscribeRequest {
  constructor(readonly options: SubscribeOptions) {}
}

/** `subscribe()` from inside the consumer itself: handled on its next turn. */
export class SubscribeSelfMessage {
  constructor(
    readonly options: SubscribeOptions,
    readonly resolve: (subscription: import("./types.ts").Subscription) => void,
    readonly reject: (error: unknown) => void,
  ) {}
}

/** `drain()` asks a producer through a call carrying this. */
export class DrainRequest {}

/** The reply of a stage request that failed: the client throws `error`. */
export class RequestFailed {
  constructor(readonly error: unknown) {}
}
