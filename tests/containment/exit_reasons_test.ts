/**
 * Containment of exit reasons: `system.exit`, `ctx.exit`, `system.stop`, a
 * `stop(reason)` result and link propagation, each with hostile reasons
 * (cycles, null-prototype objects holding BigInts, Proxies whose traps throw,
 * thenables, Symbols, ...). The host survives, the process exits as OTP says
 * (a trapping process gets the EXIT message instead), every caller, link and
 * monitor gets that one reason, a process killed while an async callback is
 * pending never acts again, and every table returns to baseline.
 *
 * @module
 */

import { test } from "node:test";
import { exitReasonEntries } from "./_exit_reason_entries.ts";
import { checkContainment, PROPERTY_TIME_LIMIT_MS } from "./_property.ts";

for (const entry of exitReasonEntries) {
  test(
    entry.name,
    { timeout: PROPERTY_TIME_LIMIT_MS + 60_000 },
    // deno-lint-ignore no-explicit-any
    () => checkContainment(entry as any),
  );
}
