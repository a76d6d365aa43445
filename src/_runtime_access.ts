/**
 * The one way from a `System` to its kernel runtime (internal): `System`
 * registers the accessor in a static block, and only the testing helpers
 * (`src/testing/`), the edge entry (`src/edge/`) and state inspection
 * (`src/introspection/_live_process.ts`) use it — so internals
 * such as fault injection or rescheduling after a Worker request are
 * reached through `@beamlet/beamlet/testing` and `/edge`, never through a
 * method of `System`.
 *
 * @module
 */

import type { Runtime } from "./kernel/state/runtime.ts";

let access: ((system: object) => Runtime | undefined) | undefined;

/** Called once, by `System`'s static block. */
export function provideRuntimeAccess(accessor: (system: object) => Runtime | undefined): void {
  access = accessor;
}

/** The kernel runtime of `system`; a TypeError for anything that is not a `System`. */
export function runtimeOf(system: object): Runtime {
  const rt = access?.(system);
  if (rt === undefined) throw new TypeError("expected a System");
  return rt;
}
