/**
 * The consumer side of a stage (internal): its subscriptions to producers,
 * the batches it received, and GenStage's asking rule. Consumers and
 * producer_consumers have one. A consumer handles every batch as it comes;
 * a producer_consumer only while its own consumers have demand
 * (`mayHandle`), so it asks upstream no faster than downstream asks it.
 *
 * @module
 */

import { type ExitReason, isCleanExit } from "../exit_reason.ts";
import { Pid, type Ref } from "../pid.ts";
import { runtimeOf } from "../_runtime_access.ts";
import { isPid, resolve } from "../kernel/mailbox/delivery.ts";
import {
  AskMessage,
  type CancelledMessage,
  type EventsMessage,
  SubscribeMessage,
} from "./_protocol.ts";
import { subscriptionOptions } from "./_options.ts";
import { isThenable, StageStop, type Step, then } from "./_step.ts";
import type { AnyStageCallbacks } from "./callbacks.ts";
import type { Context } from "../context.ts";
import type { System } from "../system.ts";
import type { CancelReason, SubscribeOptions, Subscription, SubscriptionOptions } from "./types.ts";

/** The consumer side's view of one producer. */
export interface ProducerLink {
  readonly subscription: Subscription;
  /** The subscription ref's serial (the protocol's key). */
  readonly key: number;
  readonly options: SubscriptionOptions;
  /** Asked and not yet received. */
  pending: number;
  /** Demand left once the received batches are handled (GenStage's counter for re-asking). */
  counter: number;
}

/** A received batch waiting to be handled. */
interface Batch {
  readonly link: ProducerLink;
  readonly events: unknown[];
}

/** What the consumer side uses of its stage. */
export interface UpstreamHost {
  readonly callbacks: AnyStageCallbacks;
  readonly system: System;
  readonly self: Pid;
  readonly ctx: Context;
  state: unknown;
  readonly counters: { eventsIn: number };
  /** Applies a callback result (state, events to emit, or a stop). */
  apply(result: unknown, what: string): Step;
}

/** A stage's subscriptions and received batches. */
export class Upstream {
  readonly #stage: UpstreamHost;
  /** Whether a received batch may be handled now. */
  readonly #mayHandle: () => boolean;
  /** Subscriptions, by ref serial. */
  readonly producers = new Map<number, ProducerLink>();
  #queue: (Batch | undefined)[] = [];
  #queueHead = 0;
  /** Events received beyond what was asked (a protocol breach: never expected; tests check it). */
  excess = 0;

  constructor(stage: UpstreamHost, mayHandle: () => boolean) {
    this.#stage = stage;
    this.#mayHandle = mayHandle;
  }

  /** Events asked upstream and not received. */
  get pendingAsk(): number {
    let sum = 0;
    for (const link of this.producers.values()) sum += link.pending;
    return sum;
  }

  /** Received events not handled yet (a producer_consumer waiting for downstream demand). */
  get queued(): number {
    let sum = 0;
    for (let i = this.#queueHead; i < this.#queue.length; i++) sum += this.#queue[i]!.events.length;
    return sum;
  }

  /** Subscribes to a producer (from init, `subscribe()` or a callback); asks maxDemand. */
  subscribe(input: SubscribeOptions): Subscription | Promise<Subscription> {
    const stage = this.#stage;
    const options = subscriptionOptions(input);
    const to = input.to;
    const process = resolve(runtimeOf(stage.system), to);
    const producer = process?.pid ?? (isPid(to) ? to : new Pid(0, stage.self.node));
    // Monitor the pid (not the name): the DOWN names this subscription even if the name moves.
    // A dead producer or an unregistered name: the DOWN (noproc) comes at once.
    const ref: Ref = stage.ctx.monitor(process === undefined ? to : producer);
    const subscription: Subscription = Object.freeze({ ref, producer, consumer: stage.self });
    const link: ProducerLink = { subscription, key: ref.serial, options, pending: 0, counter: 0 };
    this.producers.set(link.key, link);
    if (process !== undefined) {
      stage.ctx.send(producer, new SubscribeMessage(ref, stage.self, options));
    }
    const askFirst = (): Subscription => {
      if (this.producers.get(link.key) === link && process !== undefined) {
        link.pending += options.maxDemand;
        link.counter = options.maxDemand;
        stage.ctx.send(producer, new AskMessage(link.key, options.maxDemand));
      }
      return subscription;
    };
    const handleSubscribe = stage.callbacks.handleSubscribe;
    if (handleSubscribe === undefined) return askFirst();
    const result = handleSubscribe.call(
      stage.callbacks,
      "producer",
      options,
      subscription,
      stage.state,
      stage.ctx,
    );
    if (isThenable(result)) {
      return Promise.resolve(result).then((state) => {
        stage.state = state;
        return askFirst();
      });
    }
    stage.state = result;
    return askFirst();
  }

  /** Events from a producer: split in batches of at most max - min, handled as allowed. */
  onEvents(message: EventsMessage): Step {
    const link = this.producers.get(message.ref);
    if (link === undefined) return;
    const events = message.events;
    this.#stage.counters.eventsIn += events.length;
    if (events.length > link.pending) this.excess += events.length - link.pending;
    link.pending = Math.max(0, link.pending - events.length);
    const size = link.options.maxDemand - link.options.minDemand;
    for (let at = 0; at < events.length; at += size) {
      const batch = at === 0 && events.length <= size ? events : events.slice(at, at + size);
      this.#queue.push({ link, events: batch });
    }
    return this.handleQueue();
  }

  /** Handles queued batches while allowed. */
  handleQueue(): Step {
    while (this.#queueHead < this.#queue.length && this.#mayHandle()) {
      const batch = this.#queue[this.#queueHead]!;
      this.#queue[this.#queueHead++] = undefined;
      if (this.#queueHead === this.#queue.length) {
        this.#queue = [];
        this.#queueHead = 0;
      }
      const step = this.#handleBatch(batch);
      if (step !== undefined) return step.then(() => this.handleQueue());
    }
  }

  #handleBatch({ link, events }: Batch): Step {
    const stage = this.#stage;
    const handleEvents = stage.callbacks.handleEvents!;
    return then(
      handleEvents.call(stage.callbacks, events, link.subscription, stage.state, stage.ctx),
      (result) =>
        then(stage.apply(result, "handleEvents"), () => this.#askMore(link, events.length)),
    );
  }

  /** GenStage's rule: once the demand left falls to minDemand, ask back up to maxDemand. */
  #askMore(link: ProducerLink, handled: number): void {
    // A batch of a subscription that ended is still handled (never lost); it asks nothing.
    if (this.producers.get(link.key) !== link) return;
    link.counter -= handled;
    const { minDemand, maxDemand } = link.options;
    if (link.counter > minDemand) return;
    const ask = maxDemand - Math.max(link.counter, 0);
    link.counter = maxDemand;
    link.pending += ask;
    this.#stage.ctx.send(link.subscription.producer, new AskMessage(link.key, ask));
  }

  /** The producer ended the subscription (after every event it sent before). */
  onCancelled(message: CancelledMessage): Step {
    const link = this.producers.get(message.ref);
    if (link === undefined) return;
    this.producers.delete(link.key);
    this.#stage.ctx.demonitor(link.subscription.ref, { flush: true });
    return this.#producerGone(link, { kind: "cancel", reason: message.reason });
  }

  /** Whether `ref` is the monitor of one of the subscriptions. */
  owns(ref: Ref): boolean {
    return this.producers.has(ref.serial);
  }

  /** A producer exited (its monitor's DOWN). */
  onDown(ref: Ref, reason: ExitReason): Step {
    const link = this.producers.get(ref.serial);
    if (link === undefined) return;
    this.producers.delete(link.key);
    return this.#producerGone(link, { kind: "down", reason });
  }

  /** handleCancel, then the subscription's cancel mode decides whether the stage stops. */
  #producerGone(link: ProducerLink, why: CancelReason): Step {
    const stage = this.#stage;
    const decide = (): void => {
      const mode = link.options.cancel;
      if (mode === "permanent" || (mode === "transient" && !isCleanExit(why.reason))) {
        throw new StageStop(why.reason);
      }
    };
    const handleCancel = stage.callbacks.handleCancel;
    if (handleCancel === undefined) return decide();
    return then(
      handleCancel.call(stage.callbacks, why, link.subscription, stage.state, stage.ctx),
      (result) => then(stage.apply(result, "handleCancel"), decide),
    );
  }
}
