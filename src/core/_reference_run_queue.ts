/**
 * The run queue of the reference core: three intrusive FIFO lists (High,
 * Normal, Low) threaded through per-actor `prev` / `next` links, so push,
 * pick and unlink (on `free` or `setPriority`) are all O(1) and allocate
 * nothing.
 *
 * ```
 * head[p] -> a <-> b <-> c <- tail[p]       prev[a] = -1, next[c] = -1
 * ```
 *
 * @module
 */

import { LOW_PRIORITY_EVERY, Priority } from "./core.ts";
import { grown } from "./_reference_typed_arrays.ts";

/**
 * Runnable actor indices by priority, picked by the contract's High-first,
 * Low-every-8 rule.
 *
 * @example Round-robin within a priority
 * ```ts
 * import { RunQueue } from "./_reference_run_queue.ts";
 *
 * const queue = new RunQueue();
 * queue.ensure(2);
 * queue.push(0, 1);
 * queue.push(1, 1);
 * console.log(queue.pick(), queue.pick(), queue.pick()); // 0 1 -1
 * ```
 */
export class RunQueue {
  #prev = new Int32Array(0);
  #next = new Int32Array(0);
  readonly #head = new Int32Array([-1, -1, -1]);
  readonly #tail = new Int32Array([-1, -1, -1]);
  readonly #length = new Int32Array(3);
  /** Normal picks made while Low was waiting, since Low last ran. */
  #normalPicks = 0;

  /** Makes room for actor indices below `capacity`. */
  ensure(capacity: number): void {
    if (capacity <= this.#next.length) return;
    const prev = grown(this.#prev, capacity, -1);
    const next = grown(this.#next, capacity, -1);
    this.#prev = prev;
    this.#next = next;
  }

  /** Runnable actors of a priority. */
  length(priority: number): number {
    return this.#length[priority];
  }

  /** Appends an actor to the tail of its priority's list. */
  push(index: number, priority: number): void {
    const tail = this.#tail[priority];
    this.#prev[index] = tail;
    this.#next[index] = -1;
    if (tail >= 0) this.#next[tail] = index;
    else this.#head[priority] = index;
    this.#tail[priority] = index;
    this.#length[priority]++;
  }

  /** Unlinks an actor from anywhere in its priority's list. */
  remove(index: number, priority: number): void {
    const prev = this.#prev[index];
    const next = this.#next[index];
    if (prev >= 0) this.#next[prev] = next;
    else this.#head[priority] = next;
    if (next >= 0) this.#prev[next] = prev;
    else this.#tail[priority] = prev;
    this.#length[priority]--;
  }

  /**
   * Takes the next actor by the contract's rule: High while not empty; else
   * Low once after every {@linkcode LOW_PRIORITY_EVERY} Normal picks made
   * while Low waited; else whichever is not empty. -1 when all are empty.
   */
  pick(): number {
    const length = this.#length;
    let priority: number;
    if (length[Priority.High] > 0) {
      priority = Priority.High;
    } else if (length[Priority.Normal] > 0) {
      if (length[Priority.Low] === 0) {
        priority = Priority.Normal;
      } else if (this.#normalPicks >= LOW_PRIORITY_EVERY) {
        priority = Priority.Low;
        this.#normalPicks = 0;
      } else {
        priority = Priority.Normal;
        this.#normalPicks++;
      }
    } else if (length[Priority.Low] > 0) {
      priority = Priority.Low;
      this.#normalPicks = 0;
    } else {
      return -1;
    }
    const index = this.#head[priority];
    this.remove(index, priority);
    return index;
  }
}
