/**
 * A list of listeners that survives throwing members (private to the registry).
 *
 * @module
 */

/** Listeners in subscription order; `emit` runs each once, isolating failures. */
export class Listeners<E> {
  readonly #listeners: ((event: E) => void)[] = [];
  readonly #onError: (error: unknown, event: E) => void;

  constructor(onError: (error: unknown, event: E) => void) {
    this.#onError = onError;
  }

  get size(): number {
    return this.#listeners.length;
  }

  /** Adds `listener`; the returned function removes it (once; later calls do nothing). */
  add(listener: (event: E) => void): () => void {
    // A wrapper per subscription, so the same function subscribed twice unsubscribes once.
    const subscription = (event: E) => listener(event);
    this.#listeners.push(subscription);
    return () => {
      const index = this.#listeners.indexOf(subscription);
      if (index >= 0) this.#listeners.splice(index, 1);
    };
  }

  /** Runs the listeners subscribed now (a listener added meanwhile waits for the next event). */
  emit(event: E): void {
    if (this.#listeners.length === 0) return;
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        try {
          this.#onError(error, event);
        } catch {
          // The error handler itself failed: nowhere left to report it.
        }
      }
    }
  }
}
