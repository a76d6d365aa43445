/**
 * The broadcast dispatcher (internal): every consumer gets every event, so
 * only as many events as the slowest consumer asked can go (`capacity` is
 * the smallest demand); the rest waits in the producer's buffer. A consumer
 * that subscribes late gets the events emitted from then on.
 *
 * @module
 */

import type { ConsumerLink, Dispatcher, DispatchSink } from "./_dispatcher.ts";

/** Sends every event to every consumer. */
export class BroadcastDispatcher implements Dispatcher {
  readonly #links: ConsumerLink[] = [];

  subscribe(link: ConsumerLink): void {
    link.demand = 0;
    this.#links.push(link);
  }

  cancel(link: ConsumerLink): void {
    const at = this.#links.indexOf(link);
    if (at >= 0) this.#links.splice(at, 1);
    link.demand = 0;
  }

  ask(count: number, link: ConsumerLink, _sink: DispatchSink): void {
    link.demand += count;
  }

  dispatch(events: unknown[], sink: DispatchSink): unknown[] {
    const count = Math.min(events.length, this.capacity());
    if (count === 0) return events;
    const batch = count === events.length ? events : events.slice(0, count);
    for (const link of this.#links) {
      link.demand -= count;
      sink.send(link, batch);
    }
    sink.sent(count);
    return count === events.length ? [] : events.slice(count);
  }

  capacity(): number {
    if (this.#links.length === 0) return 0;
    let min = Infinity;
    for (const link of this.#links) if (link.demand < min) min = link.demand;
    return min;
  }

  demand(): number {
    return this.capacity();
  }

  held(): number {
    return 0;
  }

  takeDiscarded(): number {
    return 0;
  }
}
