/**
 * The kernel's timers as the state layer sees them (internal): what each
 * timer is for, and the interface of the timer service (implemented in the
 * timers layer, `timers/timer_service.ts`) that the runtime record holds.
 *
 * @module
 */

import type { Ref } from "../../pid.ts";
import type { Process } from "./process.ts";

/** What a timer does when it fires. */
export const TimerKind = {
  /** `sendAfter`: deliver `message` to `process` (or to `name`, resolved then). */
  Send: 1,
  /** The sweep of call deadlines (`state/call_deadlines.ts`): every call whose deadline passed times out. */
  CallTimeout: 2,
  /** A result's idle `timeout`. */
  Idle: 3,
  /** `initTimeout`. */
  Init: 4,
  /** `stop`'s timeout. */
  Stop: 5,
  /** `setTimer`: call `message` (a function). */
  Callback: 6,
} as const;

/** One pending timer. */
export interface TimerEntry {
  readonly kind: number;
  /** The process it is for: its exit cancels the timer. */
  readonly process?: Process;
  readonly name?: string;
  readonly message?: unknown;
  /** The handle given to users (`sendAfter`). */
  readonly ref?: Ref;
  /** `sendAfter` with a tracer: the token taken when the timer was set. */
  readonly trace?: unknown;
  /** Runtime-clock ms at which it is due. */
  deadline: number;
}

/** The timer service the runtime holds (see `timers/timer_service.ts`). */
export interface Timers {
  /** Pending timers. */
  readonly size: number;
  /** Schedules `entry` in `ms` ms: its core timer id (a SystemLimitError when the table is full). */
  schedule(ms: number, entry: TimerEntry): number;
  /** Schedules `entry` at runtime-clock time `deadline` (at once if past): its core timer id. */
  scheduleAt(deadline: number, entry: TimerEntry): number;
  /** Weak timers pending (they count in the core's timer table, not in `size`). */
  readonly weakCount: number;
  /** Marks a timer weak (not counted, not holding the host open) or strong again. */
  setWeak(id: number, weak: boolean): void;
  /** Cancels a timer by core id: its entry, if it was pending. */
  cancel(id: number): TimerEntry | undefined;
  /** Cancels the timer a ref of this system names. */
  cancelRef(ref: Ref): TimerEntry | undefined;
  /** Moves the core clock to now and fires what is due, in order. */
  advance(): void;
  /** As `advance`, with the clock reading `now` (runtime clock) the caller already took. */
  advanceTo(now: number): void;
  /** Makes sure the host wakes the scheduler when the next timer is due. */
  arm(): void;
  /** Sets the host timer again from the current host context (the old one may be lost). */
  rearm(): void;
  /** Stops the host timer (the system is shutting down). */
  stop(): void;
}
