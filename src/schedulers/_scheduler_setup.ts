/**
 * How a Worker's System learns which scheduler it is (internal): the
 * Worker's entry sets this just before `new System(...)` and the
 * constructor takes it, so the public options carry nothing internal.
 *
 * @module
 */

/** What a System in a scheduler Worker is given. */
export interface SchedulerSetup {
  readonly index: number;
  readonly count: number;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
}

let pending: SchedulerSetup | undefined;

/** Runs `make` with `setup` available to the System it constructs. */
export function withSchedulerSetup<T>(setup: SchedulerSetup, make: () => T): T {
  pending = setup;
  try {
    return make();
  } finally {
    pending = undefined;
  }
}

/** The setup of the System being constructed in a Worker (once), if any. */
export function takeSchedulerSetup(): SchedulerSetup | undefined {
  const setup = pending;
  pending = undefined;
  return setup;
}
