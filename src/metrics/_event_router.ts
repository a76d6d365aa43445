/**
 * Maps an event name to the items listening to it, so one telemetry handler
 * (attached with `attachMany`) serves many definitions. Lookup walks a trie
 * of segments, as `Telemetry.execute` does: no key string is built per event.
 *
 * @module
 */

import type { TelemetryEvent } from "../telemetry/types.ts";

interface Node<T> {
  items: T[] | undefined;
  readonly children: Map<string, Node<T>>;
}

/** Items by exact event name. */
export class EventRouter<T> {
  #root = new Map<string, Node<T>>();
  #events: TelemetryEvent[] = [];
  #only: T[] | undefined;

  /** Adds `item` under `event`. */
  add(event: TelemetryEvent, item: T): void {
    let level = this.#root;
    let node: Node<T> | undefined;
    for (const segment of event) {
      node = level.get(segment);
      if (node === undefined) {
        node = { items: undefined, children: new Map() };
        level.set(segment, node);
      }
      level = node.children;
    }
    if (node!.items === undefined) {
      node!.items = [];
      this.#events.push(event);
    }
    node!.items.push(item);
    this.#only = this.#events.length === 1 ? node!.items : undefined;
  }

  /**
   * The items of exactly `event`, or `undefined`. With a single event the
   * walk is skipped: telemetry only calls a handler for the events it was
   * attached to.
   */
  get(event: TelemetryEvent): readonly T[] | undefined {
    if (this.#only !== undefined) return this.#only;
    let node = this.#root.get(event[0]);
    for (let i = 1; node !== undefined && i < event.length; i++) node = node.children.get(event[i]);
    return node?.items;
  }

  /** Every event with at least one item, in first-added order. */
  events(): readonly TelemetryEvent[] {
    return this.#events;
  }
}
