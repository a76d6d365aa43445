/**
 * The n largest of many values, without sorting them all (internal): a
 * min-heap of size n keeps the best seen so far, O(P log n) for P processes.
 *
 * @module
 */

import type { Pid } from "../pid.ts";

/** Something ranked: by value, larger first; ties go to the older process (smaller serial). */
export interface Ranked {
  readonly pid: Pid;
  readonly value: number;
}

function worse(a: Ranked, b: Ranked): boolean {
  return a.value < b.value || (a.value === b.value && a.pid.serial > b.pid.serial);
}

/** The `n` best of `items`, best first. */
export function topN<T extends Ranked>(items: Iterable<T>, n: number): T[] {
  if (n === 0) return [];
  const heap: T[] = []; // heap[0] is the worst kept
  for (const item of items) {
    if (heap.length < n) {
      heap.push(item);
      siftUp(heap, heap.length - 1);
    } else if (worse(heap[0], item)) {
      heap[0] = item;
      siftDown(heap, 0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}

function siftUp<T extends Ranked>(heap: T[], at: number): void {
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!worse(heap[at], heap[parent])) return;
    [heap[at], heap[parent]] = [heap[parent], heap[at]];
    at = parent;
  }
}

function siftDown<T extends Ranked>(heap: T[], at: number): void {
  for (;;) {
    const left = 2 * at + 1;
    const right = left + 1;
    let worst = at;
    if (left < heap.length && worse(heap[left], heap[worst])) worst = left;
    if (right < heap.length && worse(heap[right], heap[worst])) worst = right;
    if (worst === at) return;
    [heap[at], heap[worst]] = [heap[worst], heap[at]];
    at = worst;
  }
}
