/**
 * One running stage (internal): the state a stage's GenServer keeps, the
 * results of its callbacks, and its producer side — the dispatcher, the
 * buffer, the consumers subscribed to it and the demand it owes. Its
 * consumer side (consumers and producer_consumers) is an
 * {@linkcode Upstream}. A producer_consumer only handles a received batch
 * while it owes its consumers events, so it never asks upstream for more
 * than its downstream allows.
 *
 * Callbacks may return Promises: every step returns `void` or a Promise of
 * it (see `_step.ts`). A user's `stop` result, or a cancel that ends the
 * stage, throws a `StageStop` the GenServer wrapper turns into a stop result.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { ExitReason } from "../exit_reason.ts";
import { inspect } from "../_inspect.ts";
import type { Pid, Ref } from "../pid.ts";
import type { System } from "../system.ts";
import type { AnyStageCallbacks } from "./callbacks.ts";
import { StageTypeError } from "./errors.ts";
import type { EventBuffer } from "./_buffer.ts";
import type { ConsumerLink, Dispatcher, DispatchSink } from "./dispatchers/_dispatcher.ts";
import {
  type AskMessage,
  CancelledMessage,
  type CancelMessage,
  EventsMessage,
  RefundMessage,
  type SubscribeMessage,
} from "./_protocol.ts";
import { StageStop, type Step, then } from "./_step.ts";
import { Upstream } from "./_upstream.ts";
import type {
  CancelReason,
  StageLabels,
  StageType,
  SubscribeOptions,
  Subscription,
} from "./types.ts";

/** Monotonic totals of a stage. */
export interface StageCounters {
  eventsIn: number;
  eventsOut: number;
  dropped: number;
}

/** The state of one stage process. */
export class Stage {
  readonly type: StageType;
  readonly callbacks: AnyStageCallbacks;
  readonly system: System;
  readonly self: Pid;
  ctx: Context;
  state: unknown = undefined;
  labels: StageLabels = {};
  readonly counters: StageCounters = { eventsIn: 0, eventsOut: 0, dropped: 0 };

  // Producer side.
  dispatcher: Dispatcher | undefined = undefined;
  buffer: EventBuffer | undefined = undefined;
  readonly consumers = new Map<number, ConsumerLink>();
  readonly #consumerMonitors = new Map<number, ConsumerLink>();
  draining = false;
  /** Demand passed on (to handleDemand, or a producer_consumer's batches) and not answered by events yet. */
  #owed = 0;

  /** The consumer side (consumers and producer_consumers). */
  readonly upstream: Upstream | undefined;

  /** Called when events were dropped (stats and telemetry). */
  onDrop: (count: number, reason: "buffer_full" | "no_partition") => void = () => {};

  readonly #sink: DispatchSink;

  constructor(type: StageType, callbacks: AnyStageCallbacks, ctx: Context) {
    this.type = type;
    this.callbacks = callbacks;
    this.ctx = ctx;
    this.system = ctx.system;
    this.self = ctx.self;
    this.upstream = type === "producer"
      ? undefined
      // A consumer handles all it receives; a producer_consumer only what its consumers asked.
      : new Upstream(this, () => this.type === "consumer" || this.#owed > 0);
    this.#sink = {
      send: (link, events) => {
        this.ctx.send(link.subscription.consumer, new EventsMessage(link.key, events));
      },
      sent: (count) => {
        this.counters.eventsOut += count;
      },
      drop: (count, reason) => this.#dropped(count, reason),
    };
  }

  get emits(): boolean {
    return this.type !== "consumer";
  }

  get receives(): boolean {
    return this.type !== "producer";
  }

  /** Events waiting in the buffer and the dispatcher. */
  get buffered(): number {
    return (this.buffer?.length ?? 0) + (this.dispatcher?.held() ?? 0);
  }

  /** Events asked upstream and not received. */
  get pendingAsk(): number {
    return this.upstream?.pendingAsk ?? 0;
  }

  /** Received events not handled yet (a producer_consumer waiting for downstream demand). */
  get queued(): number {
    return this.upstream?.queued ?? 0;
  }

  /** Subscriptions to producers. */
  get subscriptions(): number {
    return this.upstream?.producers.size ?? 0;
  }

  /** Subscribes this stage to a producer. */
  subscribe(input: SubscribeOptions): Subscription | Promise<Subscription> {
    if (this.upstream === undefined) {
      throw new StageTypeError("a producer cannot subscribe to anything");
    }
    return this.upstream.subscribe(input);
  }

  // ---------------------------------------------------------------- results

  /** Applies a callback result `{ state, events? }` or `{ stop }`. */
  apply(result: unknown, what: string): Step {
    const r = this.#read(result, what);
    this.state = r.state;
    return this.emit(r.events);
  }

  /**
   * Checks a result: `{ state, events? }` is returned as it is (read its
   * fields: no record is made per callback), `{ stop }` throws StageStop,
   * anything else a TypeError.
   */
  #read(result: unknown, what: string): { state?: unknown; events?: unknown } {
    if (typeof result !== "object" || result === null) {
      throw new TypeError(
        `${what} must return { state, events? } or { stop }, got ${inspect(result, 80)}`,
      );
    }
    const r = result as { state?: unknown; events?: unknown; stop?: unknown; reply?: unknown };
    if ("stop" in r) {
      if ("state" in r) this.state = r.state;
      throw new StageStop(r.stop, "reply" in r, r.reply);
    }
    if (!("state" in r)) {
      throw new TypeError(
        `${what} must return { state, events? } or { stop }, got ${inspect(result, 80)}`,
      );
    }
    return r;
  }

  /** Reads a handleCall result: the reply (or none), after applying state and events. */
  applyCall(result: unknown): { hasReply: boolean; reply: unknown; step: Step } {
    const read = this.#read(result, "handleCall");
    const state = read.state;
    const events = read.events;
    const r = result as { reply?: unknown; noreply?: unknown };
    const hasReply = "reply" in r;
    if (!hasReply && r.noreply !== true) {
      throw new TypeError(
        `handleCall must return { reply, state }, { noreply: true, state } or { stop }, got ${
          inspect(result, 80)
        }`,
      );
    }
    this.state = state;
    return { hasReply, reply: r.reply, step: this.emit(events) };
  }

  // ---------------------------------------------------------------- producer side

  /** Sends `events` downstream as demand allows; the rest waits in the buffer. */
  emit(events: unknown): Step {
    if (events === undefined) return;
    if (!Array.isArray(events)) {
      throw new TypeError(`events must be an array, got ${inspect(events, 80)}`);
    }
    if (events.length === 0) return;
    if (!this.emits) throw new StageTypeError("a consumer cannot emit events");
    const dispatcher = this.dispatcher!;
    const buffer = this.buffer!;
    if (this.#owed > 0) this.#owed = Math.max(0, this.#owed - events.length);
    if (buffer.length > 0) {
      const dropped = buffer.push(events);
      if (dropped > 0) this.#dropped(dropped, "buffer_full");
      this.#flushBuffer();
    } else {
      const leftover = dispatcher.dispatch(events, this.#sink);
      if (leftover.length > 0) {
        const dropped = buffer.push(leftover);
        if (dropped > 0) this.#dropped(dropped, "buffer_full");
      }
    }
    this.#checkDiscarded();
  }

  /**
   * Dispatches the buffered events the dispatcher can place now; returns
   * how many were placed. It takes only what the dispatcher's capacity
   * allows, so a big buffer is not copied out and back on every ask.
   */
  #flushBuffer(): number {
    const buffer = this.buffer!;
    const dispatcher = this.dispatcher!;
    const taken = buffer.take(Math.min(buffer.length, dispatcher.capacity()));
    if (taken.length === 0) return 0;
    const leftover = dispatcher.dispatch(taken, this.#sink);
    buffer.unshift(leftover);
    return taken.length - leftover.length;
  }

  #checkDiscarded(): void {
    // Discarded events did not answer the demand they were emitted for: serve it again, on
    // the stage's next turn (a hash that discards everything then spins through the
    // mailbox, never inside one callback).
    if (this.dispatcher!.takeDiscarded() > 0) this.ctx.send(this.self, new RefundMessage());
  }

  #dropped(count: number, reason: "buffer_full" | "no_partition"): void {
    this.counters.dropped += count;
    this.onDrop(count, reason);
  }

  /** A consumer subscribes. */
  onSubscribe(message: SubscribeMessage): Step {
    const { ref, consumer, options } = message;
    if (!this.emits) {
      this.ctx.send(
        consumer,
        new CancelledMessage(ref.serial, new StageTypeError("cannot subscribe to a consumer")),
      );
      return;
    }
    const subscription: Subscription = Object.freeze({ ref, producer: this.self, consumer });
    const link: ConsumerLink = {
      subscription,
      key: ref.serial,
      options,
      monitor: this.ctx.monitor(consumer),
      demand: 0,
    };
    try {
      this.dispatcher!.subscribe(link);
    } catch (error) {
      this.ctx.demonitor(link.monitor, { flush: true });
      this.ctx.send(consumer, new CancelledMessage(ref.serial, error));
      return;
    }
    this.consumers.set(link.key, link);
    this.#consumerMonitors.set(link.monitor.serial, link);
    const handleSubscribe = this.callbacks.handleSubscribe;
    if (handleSubscribe === undefined) return;
    return then(
      handleSubscribe.call(this.callbacks, "consumer", options, subscription, this.state, this.ctx),
      (state) => {
        this.state = state;
      },
    );
  }

  /** A consumer asks for more. */
  onAsk(message: AskMessage): Step {
    const link = this.consumers.get(message.ref);
    if (link === undefined || !this.emits) return;
    const count = message.count;
    if (!Number.isSafeInteger(count) || count <= 0) return;
    this.dispatcher!.ask(count, link, this.#sink);
    return this.serve();
  }

  /**
   * Serves the demand there is now: the buffer first; then what the
   * dispatcher could place beyond what the stage already owes and holds is
   * owed too — a producer's handleDemand gets it, a producer_consumer handles
   * received batches while it owes events.
   */
  serve(): Step {
    const buffer = this.buffer!;
    if (buffer.length > 0) {
      this.#flushBuffer();
      this.#checkDiscarded();
    }
    if (this.draining) return;
    const need = this.dispatcher!.capacity() - this.#owed - buffer.length;
    if (need > 0) this.#owed += need;
    if (this.type === "producer_consumer") return this.upstream!.handleQueue();
    if (need <= 0) return;
    const handleDemand = this.callbacks.handleDemand!;
    return then(
      handleDemand.call(this.callbacks, need, this.state, this.ctx),
      (result) => this.apply(result, "handleDemand"),
    );
  }

  /** `cancel()` reached the producer. */
  onCancel(message: CancelMessage): Step {
    const link = this.consumers.get(message.ref);
    if (link === undefined) return;
    this.consumers.delete(link.key);
    this.#consumerMonitors.delete(link.monitor.serial);
    this.ctx.demonitor(link.monitor, { flush: true });
    this.ctx.send(link.subscription.consumer, new CancelledMessage(link.key, message.reason));
    return this.#consumerGone(link, { kind: "cancel", reason: message.reason });
  }

  #consumerGone(link: ConsumerLink, why: CancelReason): Step {
    this.dispatcher!.cancel(link);
    // A broadcast's slowest consumer may have gone: more can flow.
    const after = () => this.serve();
    const handleCancel = this.callbacks.handleCancel;
    if (handleCancel === undefined) return after();
    return then(
      handleCancel.call(this.callbacks, why, link.subscription, this.state, this.ctx),
      (result) => then(this.apply(result, "handleCancel"), after),
    );
  }

  /** `drain()`: stop calling handleDemand; let the stage emit its last events. */
  prepareForDraining(): Step {
    if (this.draining) return;
    this.draining = true;
    const prepare = this.callbacks.prepareForDraining;
    if (prepare === undefined) return;
    return then(
      prepare.call(this.callbacks, this.state, this.ctx),
      (result) => this.apply(result, "prepareForDraining"),
    );
  }

  /** Whether a DOWN's monitor is one of the stage's subscriptions. */
  ownsMonitor(ref: Ref): boolean {
    return this.upstream?.owns(ref) === true || this.#consumerMonitors.has(ref.serial);
  }

  /** A DOWN of a subscription's monitor: a producer or a consumer of ours exited. */
  onDown(ref: Ref, reason: ExitReason): Step {
    if (this.upstream?.owns(ref)) return this.upstream.onDown(ref, reason);
    const consumer = this.#consumerMonitors.get(ref.serial);
    if (consumer === undefined) return;
    this.consumers.delete(consumer.key);
    this.#consumerMonitors.delete(ref.serial);
    return this.#consumerGone(consumer, { kind: "down", reason });
  }
}
