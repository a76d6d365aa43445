/**
 * The K best processes by one attribute, kept while a walk offers them one
 * at a time (internal): a heap whose root is the worst kept, so a process
 * that does not make the cut costs one comparison, one that does O(log K).
 *
 * "Best" is the largest value for `desc` and the smallest for `asc`; ties
 * go to the older process (the smaller serial) in both orders, as
 * `/processes` has always sorted them.
 *
 * @module
 */

import type { ProcessAttribute } from "../introspection/process_attribute.ts";
import type { WalkedProcess } from "./process_table_snapshot.ts";

/** The K best processes seen so far by one attribute, in one order. */
export class Ranking {
  readonly #attribute: ProcessAttribute;
  /** +1: larger is better (desc); -1: smaller is better (asc). */
  readonly #sign: 1 | -1;
  readonly #capacity: number;
  /** heap[0] is the worst kept. */
  readonly #heap: WalkedProcess[] = [];

  /** An empty ranking of at most `capacity` processes. */
  constructor(attribute: ProcessAttribute, order: "asc" | "desc", capacity: number) {
    this.#attribute = attribute;
    this.#sign = order === "desc" ? 1 : -1;
    this.#capacity = capacity;
  }

  /** Keeps `entry` if it is among the best `capacity` seen so far. */
  offer(entry: WalkedProcess): void {
    const heap = this.#heap;
    if (heap.length < this.#capacity) {
      heap.push(entry);
      this.#siftUp(heap.length - 1);
    } else if (heap.length > 0 && this.#worse(heap[0], entry)) {
      heap[0] = entry;
      this.#siftDown(0);
    }
  }

  /** The processes kept, best first (the ranking is emptied). */
  drain(): WalkedProcess[] {
    return this.#heap.splice(0).sort((a, b) => this.#worse(a, b) ? 1 : this.#worse(b, a) ? -1 : 0);
  }

  /** Whether `a` ranks below `b`. */
  #worse(a: WalkedProcess, b: WalkedProcess): boolean {
    const va = this.#sign * a.summary[this.#attribute];
    const vb = this.#sign * b.summary[this.#attribute];
    return va < vb || (va === vb && a.pid.serial > b.pid.serial);
  }

  #siftUp(at: number): void {
    const heap = this.#heap;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.#worse(heap[at], heap[parent])) return;
      [heap[at], heap[parent]] = [heap[parent], heap[at]];
      at = parent;
    }
  }

  #siftDown(at: number): void {
    const heap = this.#heap;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let worst = at;
      if (left < heap.length && this.#worse(heap[left], heap[worst])) worst = left;
      if (right < heap.length && this.#worse(heap[right], heap[worst])) worst = right;
      if (worst === at) return;
      [heap[at], heap[worst]] = [heap[worst], heap[at]];
      at = worst;
    }
  }
}
