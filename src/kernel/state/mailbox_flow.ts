/**
 * The flow-control record of a mailbox (internal): queue-length watermarks
 * and shedding by waiting time (CoDel), for the processes started with
 * `mailbox.watermarks` or `mailbox.shed` (`Process.flow`). Plain data; the
 * logic is in `mailbox/flow_control.ts`.
 *
 * @module
 */

/** Where the queue stands for its watermarks: `Low` (at first, and once back to `low`) or `High`. */
export const Level = { Low: 0, High: 1 } as const;
export type Level = typeof Level[keyof typeof Level];

/**
 * One process's watermarks and CoDel state. A zero `high` means no
 * watermarks; a zero `target` means no shedding. Times are runtime-clock ms
 * (`Runtime.now()`, the core clock's origin).
 */
export class MailboxFlow {
  /** Queue length that emits `level: "high"` (0: no watermarks). */
  readonly high: number;
  /** Queue length at or below which, once high, `level: "low"` is emitted. */
  readonly low: number;
  /** The last level emitted (`Low` until the queue first reaches `high`). */
  level: Level = Level.Low;

  /** Longest acceptable wait in the mailbox, ms (0: no shedding). */
  readonly target: number;
  /** How long the wait must stay above `target` before shedding begins, ms. */
  readonly interval: number;
  /** When the standing wait began to count (now + interval), 0 while below target. */
  firstAboveTime = 0;
  /** In CoDel's dropping state: shedding at the control law's pace. */
  dropping = false;
  /** When the next message is shed while dropping. */
  dropNext = 0;
  /** Messages shed in the current dropping state (the control law's `count`). */
  count = 0;
  /** `count` when the last dropping state began. */
  lastCount = 0;
  /** The last dequeue's verdict: its message waited too long for too long. */
  okToDrop = false;
  /** How long the message just taken out waited, ms. */
  sojourn = 0;
  /** Messages shed since the process started (counted like refusals). */
  shed = 0;

  /**
   * Events of the last dequeue not yet emitted: they run user code, so the
   * scheduler emits them once the message taken out has left its slot
   * (which a send from a handler could otherwise take over).
   */
  pending = false;
  /** Messages shed by the last dequeue, and the longest any of them waited. */
  pendingShed = 0;
  pendingLongest = 0;
  /** The queue's length when it fell back to `low` (-1: it did not). */
  pendingLow = -1;

  constructor(high: number, low: number, target: number, interval: number) {
    this.high = high;
    this.low = low;
    this.target = target;
    this.interval = interval;
  }
}
