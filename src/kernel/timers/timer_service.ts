/**
 * The runtime's timers on the core's timer wheel (internal): what each core
 * timer id means, and one host timer that wakes the scheduler when the next
 * one is due.
 *
 * @module
 */

import { type Core, CoreCode, MAX_TIMERS } from "../../core/core.ts";
import type { Ref } from "../../pid.ts";
import type { TimerEntry, Timers } from "../state/timers.ts";
import type { ExitHook } from "../state/ports.ts";
import { type HostTimer, setHostTimer } from "../../_host_timer.ts";
import { SystemLimitError } from "../../errors.ts";

/** Core timer ids ↔ entries, and the host timer that wakes the scheduler. */
export class TimerService implements Timers {
  readonly #core: Core;
  readonly #now: () => number;
  readonly #manual: boolean;
  readonly #wake: () => void;
  readonly #fire: (entry: TimerEntry) => void;
  readonly #entries = new Map<number, TimerEntry>();
  readonly #byRef = new Map<number, number>();
  #host: HostTimer | undefined = undefined;
  /** A timer that neither counts in `size` nor holds the host open (0: none). */
  #weak = 0;
  #hostDue = Infinity;

  /**
   * `now` reads the runtime clock; `wake` runs the scheduler; `fire` does
   * what a fired timer is for (injected: it reaches layers above this one);
   * `manual` never arms host timers.
   */
  constructor(
    core: Core,
    now: () => number,
    manual: boolean,
    wake: () => void,
    fire: (entry: TimerEntry) => void,
  ) {
    this.#core = core;
    this.#now = now;
    this.#manual = manual;
    this.#wake = wake;
    this.#fire = fire;
  }

  /** Pending timers. */
  get size(): number {
    return this.#entries.size - this.weakCount;
  }

  /** Weak timers pending (0 or 1). */
  get weakCount(): number {
    return this.#weak !== 0 ? 1 : 0;
  }

  /**
   * Marks a timer weak (or strong again): a weak timer still fires, but is
   * not counted in `size` and does not keep the host's event loop alive —
   * the call-deadline sweep while no call is pending.
   */
  setWeak(id: number, weak: boolean): void {
    if (weak) {
      if (this.#entries.has(id)) this.#weak = id;
    } else if (this.#weak === id) {
      this.#weak = 0;
    }
  }

  /**
   * Schedules `entry` in `ms` ms (checked by the caller: `0..MAX_TIMEOUT_MS`):
   * its core timer id. Throws a SystemLimitError when the timer table is full
   * or the core is out of memory.
   */
  schedule(ms: number, entry: TimerEntry): number {
    return this.#add(Math.max(this.#now(), this.#core.now()) + ms, entry, ms);
  }

  /**
   * Schedules `entry` at runtime-clock time `deadline` (when the core's
   * clock is already past it, it fires at the next advance): its core timer
   * id, or a SystemLimitError as for `schedule`.
   */
  scheduleAt(deadline: number, entry: TimerEntry): number {
    const now = this.#core.now();
    return this.#add(Math.max(deadline, now), entry, Math.max(0, deadline - now));
  }

  #add(deadline: number, entry: TimerEntry, ms: number): number {
    entry.deadline = deadline;
    const id = this.#core.timerSchedule(entry.deadline);
    if (id < 0) throw refusal(id, ms);
    this.#entries.set(id, entry);
    const process = entry.process;
    if (process !== undefined) (process.timers ??= new Set()).add(id);
    if (entry.ref) this.#byRef.set(entry.ref.serial, id);
    this.arm();
    return id;
  }

  /** Cancels a timer: its entry, or undefined if it already fired or was cancelled. */
  cancel(id: number): TimerEntry | undefined {
    const entry = this.#forget(id);
    if (!entry) return undefined;
    this.#core.timerCancel(id);
    // Nothing left to wake for: stop holding the host's event loop open, but
    // keep the timer (clearing and re-arming per call costs more than a call).
    if (this.size === 0) this.#host?.unref();
    return entry;
  }

  /** Cancels the timer a `sendAfter` ref names (a ref of this system: the caller checks its node). */
  cancelRef(ref: Ref): TimerEntry | undefined {
    const id = this.#byRef.get(ref.serial);
    return id === undefined ? undefined : this.cancel(id);
  }

  /** Moves the core clock to now and passes each fired entry to `fire`, in firing order. */
  advance(): void {
    this.advanceTo(this.#now());
  }

  /** As `advance`, with a clock reading (runtime clock) the caller already took. */
  advanceTo(now: number): void {
    const fire = this.#fire;
    if (now < this.#core.now()) return;
    const count = this.#core.advance(now);
    if (count <= 0) return;
    const ids: number[] = [];
    for (let i = 0; i < count; i++) ids.push(this.#core.timerFired(i));
    for (const id of ids) {
      const entry = this.#forget(id);
      if (entry) fire(entry); // `fire` contains its own failures
    }
  }

  /** Makes sure the host wakes the scheduler when the next timer is due. */
  arm(): void {
    if (this.#manual) return;
    const due = this.#core.timerNextDue();
    if (due < 0) return;
    if (this.#host !== undefined && this.#hostDue <= due) {
      // Waking early is harmless: the wake-up re-arms for what is still pending.
      if (this.size > 0) this.#host.ref();
      else this.#host.unref();
      return;
    }
    this.#host?.cancel();
    this.#hostDue = due;
    this.#host = setHostTimer(() => {
      this.#host = undefined;
      this.#hostDue = Infinity;
      this.#wake();
    }, Math.ceil(Math.max(0, due - this.#now())));
    if (this.size === 0) this.#host.unref();
  }

  /**
   * Sets the host timer again from here, whatever was set before: the host
   * may have dropped it (a Cloudflare Workers request that set it ended).
   * The old one is cancelled where the host allows; if it still fires, the
   * wake-up finds nothing due and re-arms.
   */
  rearm(): void {
    try {
      this.#host?.cancel();
    } catch {
      // A host that will not let one request cancel another's timer: let it fire.
    }
    this.#host = undefined;
    this.#hostDue = Infinity;
    this.arm();
  }

  /** Clears the host timer (system shutdown). */
  stop(): void {
    this.#host?.cancel();
    this.#host = undefined;
    this.#hostDue = Infinity;
  }

  #forget(id: number): TimerEntry | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    if (this.#weak === id) this.#weak = 0;
    entry.process?.timers?.delete(id);
    if (entry.ref) this.#byRef.delete(entry.ref.serial);
    return entry;
  }
}

/** Why the core refused a timer, as the error the caller gets. */
function refusal(code: number, ms: number): Error {
  if (code === CoreCode.Limit) {
    return new SystemLimitError("timers", `the timer table is full (${MAX_TIMERS} pending timers)`);
  }
  if (code === CoreCode.OutOfMemory) {
    return new SystemLimitError("memory", "the scheduler core is out of memory for a timer");
  }
  // Range / Past / BadArgument: the caller's checks should have refused the value first.
  return new RangeError(`a timer of ${ms} ms was refused by the core (${code})`);
}

/** Exit hook: the timers that target the process (sendAfter, idle and init timeouts) are cancelled. */
export const TIMERS_EXIT_HOOK: ExitHook = {
  step: "timers",
  run(rt, process) {
    const timers = process.timers;
    if (timers !== undefined) {
      for (const timer of [...timers]) rt.timerService.cancel(timer);
      process.timers = undefined;
    }
    process.initTimer = 0;
  },
};
