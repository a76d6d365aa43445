/**
 * The bounded history of alert and resolve records: a ring that drops the
 * oldest record once full, so a flapping SLO cannot grow memory.
 *
 * @module
 */

import type { SloAlertRecord } from "./types.ts";

/** @internal See the module doc. */
export class AlertHistory {
  readonly #ring: (SloAlertRecord | undefined)[];
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    this.#ring = new Array(capacity).fill(undefined);
  }

  push(record: SloAlertRecord): void {
    this.#ring[this.#next] = record;
    this.#next = (this.#next + 1) % this.#ring.length;
    if (this.#size < this.#ring.length) this.#size++;
  }

  /** The newest `limit` records (all by default), oldest first. */
  list(limit: number = this.#size): SloAlertRecord[] {
    const n = Math.min(Math.max(0, Math.floor(limit)), this.#size);
    const out: SloAlertRecord[] = [];
    const capacity = this.#ring.length;
    for (let i = n; i > 0; i--) out.push(this.#ring[(this.#next - i + capacity) % capacity]!);
    return out;
  }
}
