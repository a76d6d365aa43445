/**
 * The broadcast dispatcher (internal): every consumer gets every event, so
 * only as many events as the slowest consumer asked can go (`capacity` is
 * the smallest demand); the rest waits in the producer's buffer. A consumer
 * that subscribes late gets the events emitted from then on.
 *
 * @module
 */

import { ConsumerListDispatcher, type DispatchSink } from "./_dispatcher.ts";

/** Sends every event to every consumer. */
export class BroadcastDispatcher extends ConsumerListDispatcher {
  dispatch(events: unknown[], sink: DispatchSink): unknown[] {
    const count = Math.min(events.length, this.capacity());
    if (count === 0) return events;
    const batch = count === events.length ? events : events.slice(0, count);
    for (const link of this.links) {
      link.demand -= count;
      sink.send(link, batch);
    }
    sink.sent(count);
    return count === events.length ? [] : events.slice(count);
  }

  capacity(): number {
    if (this.links.length === 0) return 0;
    let min = Infinity;
    for (const link of this.links) if (link.demand < min) min = link.demand;
    return min;
  }

  demand(): number {
    return this.capacity();
  }
}
