/**
 * A clock that only moves when a test moves it.
 *
 * @module
 */

import type { Clock } from "../clock.ts";

/**
 * A {@linkcode Clock} under the test's control: `now()` stays put until
 * `advance(ms)` or `set(ms)` moves it, and it never moves backwards (a
 * backward move throws a `RangeError`), as a monotonic clock must not.
 *
 * Moving the clock alone fires nothing: timers fire when the system next
 * runs. To move time and fire what came due, in order, use
 * {@linkcode TestSystem.advance}, which steps this clock from deadline to
 * deadline.
 *
 * @example Moving time by hand
 * ```ts
 * import { VirtualClock } from "@beamlet/beamlet/testing";
 * import { System } from "@beamlet/beamlet";
 *
 * const clock = new VirtualClock();
 * const system = new System({ scheduling: "manual", clock });
 * clock.advance(250);
 * console.log(clock.now()); // 250
 * clock.set(1000);
 * console.log(clock.now()); // 1000
 * ```
 */
export class VirtualClock implements Clock {
  #now: number;

  /** A clock reading `start` ms (default 0). */
  constructor(start = 0) {
    if (typeof start !== "number" || !Number.isFinite(start)) {
      throw new RangeError(
        `VirtualClock: start must be a finite number of ms, got ${String(start)}`,
      );
    }
    this.#now = start;
  }

  /** The current time, ms. */
  now(): number {
    return this.#now;
  }

  /**
   * Moves the clock forward by `ms` (a finite number >= 0) and returns the new time.
   *
   * @example
   * ```ts
   * import { VirtualClock } from "@beamlet/beamlet/testing";
   *
   * const clock = new VirtualClock(100);
   * console.log(clock.advance(50)); // 150
   * ```
   */
  advance(ms: number): number {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(
        `VirtualClock.advance: ms must be a finite number >= 0 (time never goes back), got ${
          String(ms)
        }`,
      );
    }
    this.#now += ms;
    return this.#now;
  }

  /**
   * Sets the clock to `ms`, which must not be earlier than `now()`.
   *
   * @example
   * ```ts
   * import { VirtualClock } from "@beamlet/beamlet/testing";
   *
   * const clock = new VirtualClock();
   * clock.set(5000);
   * console.log(clock.now()); // 5000
   * ```
   */
  set(ms: number): void {
    if (typeof ms !== "number" || !Number.isFinite(ms)) {
      throw new RangeError(`VirtualClock.set: ms must be a finite number, got ${String(ms)}`);
    }
    if (ms < this.#now) {
      throw new RangeError(
        `VirtualClock.set: time never goes back: cannot set ${ms} ms, the clock reads ${this.#now} ms`,
      );
    }
    this.#now = ms;
  }
}
