/**
 * Containment of options: `start` options (`name`, `mailbox.*`, `priority`,
 * `initTimeout`), the `call` and `stop` timeouts, and `sendAfter` /
 * `ctx.sendAfter` / `setTimer` delays. A bad value (NaN, negative, beyond
 * the timer wheel's 2^36 ms, `"100"`, `[100]`, `true`, `100n`, a Symbol, a
 * Proxy...) is refused with a TypeError or RangeError before anything is
 * delivered or registered; a good one works and settles its caller by its
 * timeout; every table returns to baseline.
 *
 * @module
 */

import { test } from "node:test";
import { optionEntries } from "./_option_entries.ts";
import { checkContainment, PROPERTY_TIME_LIMIT_MS } from "./_property.ts";

for (const entry of optionEntries) {
  test(
    entry.name,
    { timeout: PROPERTY_TIME_LIMIT_MS + 60_000 },
    // deno-lint-ignore no-explicit-any
    () => checkContainment(entry as any),
  );
}
