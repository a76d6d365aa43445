/**
 * A pipeline's rate limit (internal): at most `allowed` messages per
 * `interval` ms, in windows aligned on the first reading of the clock,
 * shared by every producer of the pipeline (as Broadway's is). The clock is
 * the system's, so a test drives it with a virtual clock.
 *
 * @module
 */

/** `allowed` messages per `interval` ms. */
export class RateLimiter {
  readonly allowed: number;
  readonly interval: number;
  readonly #now: () => number;
  #windowStart: number;
  #used = 0;

  constructor(allowed: number, interval: number, now: () => number) {
    this.allowed = allowed;
    this.interval = interval;
    this.#now = now;
    this.#windowStart = now();
  }

  #roll(): void {
    const now = this.#now();
    if (now - this.#windowStart < this.interval) return;
    this.#windowStart = now - ((now - this.#windowStart) % this.interval);
    this.#used = 0;
  }

  /** How many may go now. */
  available(): number {
    this.#roll();
    return this.allowed - this.#used;
  }

  /** Takes up to `wanted` of this window's allowance: how many were granted. */
  take(wanted: number): number {
    this.#roll();
    const granted = Math.min(wanted, this.allowed - this.#used);
    this.#used += granted;
    return granted;
  }

  /** Ms until the next window opens (at least 1). */
  msUntilNextWindow(): number {
    this.#roll();
    return Math.max(1, this.#windowStart + this.interval - this.#now());
  }
}
