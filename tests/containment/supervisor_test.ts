/**
 * Containment in supervision: hostile child specs are refused before any
 * child starts; children crashing with hostile reasons (thrown, returned in
 * `stop`, sent as exit signals) are restarted as their restart type says
 * while the supervisor is within its intensity, with one crash report per
 * crash; once the supervisor is gone, every table is empty.
 *
 * @module
 */

import { test } from "node:test";
import { supervisorEntries } from "./_supervisor_entries.ts";
import { checkContainment, PROPERTY_TIME_LIMIT_MS } from "./_property.ts";

for (const entry of supervisorEntries) {
  test(
    entry.name,
    { timeout: PROPERTY_TIME_LIMIT_MS + 60_000 },
    // deno-lint-ignore no-explicit-any
    () => checkContainment(entry as any),
  );
}
