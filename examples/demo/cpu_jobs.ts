/**
 * The demo's CPU-heavy job, defined by name so that every scheduler knows
 * it (`SystemOptions.modules`), and the check that shows it does not hold
 * the main thread: a 5 ms timer armed while the job runs elsewhere fires
 * on time.
 *
 * @module
 */

import { type System, Task } from "../../mod.ts";
import { defineTask } from "../../schedulers.ts";

/** Counts the primes below `limit` by trial division: pure CPU. */
export const countPrimes = defineTask("demo.count_primes", (limit: number): number => {
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
});

/** What one run of the job showed. */
export interface CpuJobReport {
  readonly primes: number;
  /** How long the job took, ms (as the caller waited for it). */
  readonly jobMs: number;
  /** How late a 5 ms timer armed on this thread during the job fired, ms. */
  readonly timerLateMs: number;
  /** Which scheduler ran it (`system.schedulers()` that had a task). */
  readonly schedulers: number;
}

/** Runs the job through `Task.cpu` while timing a 5 ms timer here. */
export async function runCpuJob(system: System, limit = 2_000_000): Promise<CpuJobReport> {
  const start = performance.now();
  const timer = new Promise<number>((resolve) => {
    const armed = performance.now();
    setTimeout(() => resolve(performance.now() - armed - 5), 5);
  });
  const primes = await Task.cpu(system, countPrimes, limit);
  const jobMs = performance.now() - start;
  return { primes, jobMs, timerLateMs: await timer, schedulers: system.schedulers().length };
}
