/**
 * The change listeners of the persistent term store (private to it).
 *
 * @module
 */

import type { PersistentTermChange, PersistentTermListener } from "./events.ts";

type OnError = (error: unknown, change: PersistentTermChange) => void;

interface Subscription {
  readonly listener: PersistentTermListener;
  readonly onError: OnError;
}

/**
 * Listeners in subscription order. Changes are delivered in the order they
 * happened, even when a listener makes one (it is queued and delivered after
 * the current one has reached every listener); a listener that throws is
 * reported to its `onError` and the others still run.
 */
export class ChangeListeners {
  #subscriptions: readonly Subscription[] = [];
  readonly #queue: PersistentTermChange[] = [];
  #draining = false;

  /** How many listeners are subscribed. */
  get size(): number {
    return this.#subscriptions.length;
  }

  /** Adds `listener`; the returned function removes it (once; later calls do nothing). */
  add(listener: PersistentTermListener, onError: OnError): () => void {
    // A record per subscription, so the same function subscribed twice unsubscribes once.
    const subscription: Subscription = { listener, onError };
    // Copy-on-write: a delivery in progress keeps the list it started with.
    this.#subscriptions = [...this.#subscriptions, subscription];
    return () => {
      this.#subscriptions = this.#subscriptions.filter((s) => s !== subscription);
    };
  }

  /** Delivers `change` to every listener, after the changes queued before it. */
  emit(change: PersistentTermChange): void {
    this.#queue.push(change);
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (let i = 0; i < this.#queue.length; i++) {
        const next = this.#queue[i];
        for (const subscription of this.#subscriptions) deliver(subscription, next);
      }
    } finally {
      this.#queue.length = 0;
      this.#draining = false;
    }
  }
}

function deliver({ listener, onError }: Subscription, change: PersistentTermChange): void {
  try {
    listener(change);
  } catch (error) {
    try {
      onError(error, change);
    } catch {
      // The error handler itself failed: nowhere left to report it.
    }
  }
}
