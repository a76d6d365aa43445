/**
 * The partition dispatcher (internal): `hash(event)` names the partition an
 * event goes to; each partition has at most one consumer (subscribed with
 * `partition`). Events of a partition whose consumer has no demand wait in
 * that partition's queue — the queues are the producer's buffer with this
 * dispatcher (same size in total, same overflow policy, drops counted), so
 * an event never waits behind another partition's: it goes as soon as its
 * own consumer asks. `undefined` from the hash discards the event (counted;
 * the producer is asked again for the demand it was emitted for, so
 * consumers are not starved by discards); a throw or an unknown partition
 * is a {@linkcode PartitionError}.
 *
 * @module
 */

import { inspect } from "../../_inspect.ts";
import { PartitionError, SubscriptionError } from "../errors.ts";
import type { PartitionKey } from "../types.ts";
import type { PartitionSpec } from "../_options.ts";
import type { ConsumerLink, Dispatcher, DispatchSink } from "./_dispatcher.ts";
import { Fifo } from "../../_fifo.ts";

interface Partition {
  readonly key: PartitionKey;
  link: ConsumerLink | undefined;
  readonly queue: Fifo<unknown>;
  /** The events going to its consumer in the `dispatch` under way (undefined outside one). */
  batch: unknown[] | undefined;
}

/** No key seen yet in a `dispatch` (a value no hash returns). */
const NO_KEY: unique symbol = Symbol("no key");

/** Sends each event to its partition's consumer. */
export class PartitionDispatcher implements Dispatcher {
  readonly #partitions = new Map<PartitionKey, Partition>();
  readonly #byLink = new Map<ConsumerLink, Partition>();
  readonly #hash: (event: unknown) => unknown;
  readonly #bound: number;
  readonly #overflow: "drop_oldest" | "drop_newest";
  #held = 0;
  #discarded = 0;

  constructor(spec: PartitionSpec, bound: number, overflow: "drop_oldest" | "drop_newest") {
    for (const key of spec.keys) {
      this.#partitions.set(key, {
        key,
        link: undefined,
        queue: new Fifo(),
        batch: undefined,
      });
    }
    this.#hash = spec.hash;
    this.#bound = bound;
    this.#overflow = overflow;
  }

  subscribe(link: ConsumerLink): void {
    const key = link.options.partition;
    if (key === undefined) {
      throw new SubscriptionError(
        `this producer has a partition dispatcher: subscribe with partition (one of ${
          inspect([...this.#partitions.keys()], 80)
        })`,
      );
    }
    const partition = this.#partitions.get(key);
    if (partition === undefined) {
      throw new SubscriptionError(`partition ${inspect(key, 40)} does not exist`);
    }
    if (partition.link !== undefined) {
      throw new SubscriptionError(`partition ${inspect(key, 40)} already has a consumer`);
    }
    link.demand = 0;
    partition.link = link;
    this.#byLink.set(link, partition);
  }

  cancel(link: ConsumerLink): void {
    const partition = this.#byLink.get(link);
    if (partition === undefined) return;
    this.#byLink.delete(link);
    // What comes for it now waits in its queue, for its next consumer.
    partition.link = undefined;
    link.demand = 0;
  }

  ask(count: number, link: ConsumerLink, sink: DispatchSink): void {
    const partition = this.#byLink.get(link);
    if (partition === undefined) return;
    link.demand += count;
    const served = Math.min(partition.queue.length, link.demand);
    if (served > 0) {
      const events = partition.queue.take(served);
      this.#held -= served;
      link.demand -= served;
      sink.send(link, events);
      sink.sent(served);
    }
  }

  dispatch(events: unknown[], sink: DispatchSink): unknown[] {
    // Per event: one hash call, and a Map lookup only when the key changes (runs of one
    // partition are the common case); the batches are fields of the partitions, listed in
    // `touched` in the order they were started.
    const touched: Partition[] = [];
    let discarded = 0;
    let dropped = 0;
    let lastKey: unknown = NO_KEY;
    let partition: Partition | undefined;
    try {
      for (let i = 0; i < events.length; i++) {
        const event = events[i];
        let key: unknown;
        try {
          key = this.#hash(event);
        } catch (error) {
          throw new PartitionError("the partition hash threw", undefined, { cause: error });
        }
        if (key === undefined) {
          discarded++;
          continue;
        }
        if (key !== lastKey) {
          partition = this.#partitions.get(key as PartitionKey);
          if (partition === undefined) {
            throw new PartitionError(
              `the partition hash returned ${inspect(key, 40)}, which is not a partition`,
              key,
            );
          }
          lastKey = key;
        }
        const link = partition!.link;
        if (link !== undefined && link.demand > 0) {
          link.demand--;
          const batch = partition!.batch;
          if (batch === undefined) {
            partition!.batch = [event];
            touched.push(partition!);
          } else {
            batch.push(event);
          }
        } else {
          dropped += this.#enqueue(partition!, event);
        }
      }
    } finally {
      let sent = 0;
      for (let i = 0; i < touched.length; i++) {
        const target = touched[i];
        const batch = target.batch!;
        target.batch = undefined;
        sink.send(target.link!, batch);
        sent += batch.length;
      }
      if (sent > 0) sink.sent(sent);
      if (dropped > 0) sink.drop(dropped, "buffer_full");
      if (discarded > 0) {
        sink.drop(discarded, "no_partition");
        // Discarded events do not answer the demand they were emitted for.
        this.#discarded += discarded;
      }
    }
    return [];
  }

  capacity(): number {
    // A partition with demand has an empty queue: its demand is what can go now.
    return this.demand();
  }

  demand(): number {
    let sum = 0;
    for (const link of this.#byLink.keys()) sum += link.demand;
    return sum;
  }

  held(): number {
    return this.#held;
  }

  takeDiscarded(): number {
    const discarded = this.#discarded;
    this.#discarded = 0;
    return discarded;
  }

  /** Queues an event for a partition without demand; returns how many were dropped (0 or 1). */
  #enqueue(partition: Partition, event: unknown): number {
    if (this.#held < this.#bound) {
      partition.queue.push(event);
      this.#held++;
      return 0;
    }
    if (this.#overflow === "drop_newest" || partition.queue.length === 0) return 1;
    partition.queue.shift();
    partition.queue.push(event);
    return 1;
  }
}
