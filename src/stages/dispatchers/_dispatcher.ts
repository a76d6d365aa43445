/**
 * The dispatcher seam (internal): how a producer hands events to its
 * consumers. A producer keeps one; the dispatcher keeps each consumer's
 * outstanding demand (`link.demand`) and never sends a consumer more than
 * that. What it cannot place goes back to the producer's buffer.
 *
 * @module
 */

import type { Ref } from "../../pid.ts";
import type { Subscription, SubscriptionOptions } from "../types.ts";

/** A producer's view of one consumer. */
export interface ConsumerLink {
  readonly subscription: Subscription;
  /** The subscription ref's serial (the protocol's key). */
  readonly key: number;
  readonly options: SubscriptionOptions;
  /** The producer's monitor of the consumer. */
  readonly monitor: Ref;
  /** Events asked by this consumer and not yet sent (kept by the dispatcher). */
  demand: number;
}

/** What a dispatcher reports to its producer. */
export interface DispatchSink {
  /** Sends `events` to `link`'s consumer. */
  send(link: ConsumerLink, events: unknown[]): void;
  /** `count` events left the producer (counted once, whatever the copies). */
  sent(count: number): void;
  /** `count` events were dropped. */
  drop(count: number, reason: "buffer_full" | "no_partition"): void;
}

/**
 * A dispatcher. The producer asks it how many events it could place now
 * (`capacity`) and serves that, less what it already owes and holds: so
 * demand is never counted twice, whoever subscribes or leaves meanwhile.
 */
export interface Dispatcher {
  /** Adds a consumer (`link.demand` starts at 0); throws a SubscriptionError to refuse it. */
  subscribe(link: ConsumerLink): void;
  /** Removes a consumer. */
  cancel(link: ConsumerLink): void;
  /** `link` asked `count` more (a partition's waiting events go at once). */
  ask(count: number, link: ConsumerLink, sink: DispatchSink): void;
  /** Sends what demand allows; returns the events it could not place (to buffer). */
  dispatch(events: unknown[], sink: DispatchSink): unknown[];
  /** Events it could place now. */
  capacity(): number;
  /** Outstanding demand of its consumers (for stats). */
  demand(): number;
  /** Events held inside the dispatcher (partition queues). */
  held(): number;
  /** Events discarded since the last call (their demand is to be served again). */
  takeDiscarded(): number;
}

/**
 * What the demand and broadcast dispatchers share: their consumers in
 * subscription order, each with its own demand, and no events held.
 */
export abstract class ConsumerListDispatcher implements Dispatcher {
  protected readonly links: ConsumerLink[] = [];

  subscribe(link: ConsumerLink): void {
    link.demand = 0;
    this.links.push(link);
  }

  cancel(link: ConsumerLink): void {
    const at = this.links.indexOf(link);
    if (at >= 0) this.links.splice(at, 1);
    link.demand = 0;
  }

  ask(count: number, link: ConsumerLink, _sink: DispatchSink): void {
    link.demand += count;
  }

  abstract dispatch(events: unknown[], sink: DispatchSink): unknown[];
  abstract capacity(): number;
  abstract demand(): number;

  held(): number {
    return 0;
  }

  takeDiscarded(): number {
    return 0;
  }
}
