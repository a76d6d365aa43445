/**
 * Call deadlines (internal): one FIFO queue per timeout value instead of a
 * timer per call.
 *
 * A call's deadline is the clock reading when it was made plus its
 * timeout, and readings never go back, so calls with the same timeout are
 * queued in deadline order: the earliest is always at the head. A settled
 * call stays in its queue (marked `settled`) and is dropped when it reaches
 * the head, or when the queue is compacted because settled calls outnumber
 * pending ones. One core timer, set for the earliest head among the queues,
 * sweeps them (`calls/calls.ts`): making and settling a call cost a push and
 * a flag, and the timer wheel sees one timer per sweep instead of two
 * operations per call.
 *
 * @module
 */

import type { PendingCall } from "./pending_call.ts";

/** The calls with one timeout value, in deadline order, settled ones included. */
export class DeadlineQueue {
  readonly owner: CallDeadlines;
  readonly timeout: number;
  calls: PendingCall[] = [];
  head = 0;
  /** Calls in the queue not yet settled. */
  live = 0;

  constructor(owner: CallDeadlines, timeout: number) {
    this.owner = owner;
    this.timeout = timeout;
  }
}

/** Every deadline queue, and the sweep timer. */
export class CallDeadlines {
  readonly #queues = new Map<number, DeadlineQueue>();
  #last: DeadlineQueue | undefined = undefined;
  /** Core timer id of the sweep (0: none), and the runtime time it is due. */
  timer = 0;
  due = Infinity;
  /** Calls not yet settled, in all queues. */
  pending = 0;

  /** Queues a call whose `deadline` is set (and not Infinity). */
  add(call: PendingCall): void {
    let queue = this.#last;
    if (queue === undefined || queue.timeout !== call.timeout) {
      queue = this.#queues.get(call.timeout);
      if (queue === undefined) {
        queue = new DeadlineQueue(this, call.timeout);
        this.#queues.set(call.timeout, queue);
      }
      this.#last = queue;
    }
    const waiting = queue.calls.length - queue.head;
    if (waiting >= 64 && waiting > 4 * queue.live) compact(queue);
    queue.calls.push(call);
    queue.live++;
    this.pending++;
    call.queue = queue;
  }

  /**
   * Drops settled calls from the heads and hands every call due by `now` to
   * `expire`, in deadline order per queue: the earliest deadline still
   * pending afterwards (Infinity: none).
   */
  sweep(now: number, expire: (call: PendingCall) => void): number {
    let earliest = Infinity;
    for (const queue of this.#queues.values()) {
      // `queue.calls` is read afresh each time: `expire` reaches the caller's
      // code (a tracer), which may make a call that compacts this queue.
      while (queue.head < queue.calls.length) {
        const call = queue.calls[queue.head];
        if (!call.settled && call.deadline > now) break;
        queue.calls[queue.head++] = undefined!;
        if (!call.settled) expire(call); // expire settles it: `live` drops there
      }
      const calls = queue.calls;
      if (queue.head === calls.length) {
        queue.calls = [];
        queue.head = 0;
        if (queue !== this.#last) this.#queues.delete(queue.timeout);
      } else {
        if (queue.head > 1024 && queue.head * 2 > calls.length) compact(queue);
        earliest = Math.min(earliest, queue.calls[queue.head].deadline);
      }
    }
    return earliest;
  }
}

/**
 * A call left its queue's pending count (settled: it stays until swept or
 * compacted): whether it was the last pending call of all.
 */
export function leaveQueue(call: PendingCall): boolean {
  const queue = call.queue;
  if (queue === undefined) return false;
  call.queue = undefined;
  queue.live--;
  return --queue.owner.pending === 0;
}

/** Keeps only the pending calls of a queue, in order. */
function compact(queue: DeadlineQueue): void {
  const kept: PendingCall[] = [];
  const calls = queue.calls;
  for (let i = queue.head; i < calls.length; i++) if (!calls[i].settled) kept.push(calls[i]);
  queue.calls = kept;
  queue.head = 0;
}
