/**
 * The demand dispatcher (internal, the default): each batch goes to the
 * consumer with the most outstanding demand. Demand a consumer leaves
 * behind when it goes is simply forgotten: what the producer still emits
 * for it goes to the others or to the buffer, and is never asked twice.
 *
 * @module
 */

import { type ConsumerLink, ConsumerListDispatcher, type DispatchSink } from "./_dispatcher.ts";

/** Sends to whoever asked most. */
export class DemandDispatcher extends ConsumerListDispatcher {
  dispatch(events: unknown[], sink: DispatchSink): unknown[] {
    let at = 0;
    while (at < events.length) {
      let best: ConsumerLink | undefined;
      for (const link of this.links) {
        if (link.demand > 0 && (best === undefined || link.demand > best.demand)) best = link;
      }
      if (best === undefined) break;
      const count = Math.min(best.demand, events.length - at);
      best.demand -= count;
      sink.send(best, at === 0 && count === events.length ? events : events.slice(at, at + count));
      at += count;
    }
    if (at > 0) sink.sent(at);
    return at === 0 ? events : events.slice(at);
  }

  capacity(): number {
    return this.demand();
  }

  demand(): number {
    let sum = 0;
    for (const link of this.links) sum += link.demand;
    return sum;
  }
}
