/**
 * Containment of `{ via, key }` names whose registry throws or lies: a
 * process started, addressed and killed through such a name leaves the host
 * alive, no zombie behind a failed start, its callers settled and, once it
 * is gone, every table empty.
 *
 * @module
 */

import { test } from "node:test";
import { viaEntries } from "./_via_entries.ts";
import { checkContainment, PROPERTY_TIME_LIMIT_MS } from "./_property.ts";

for (const entry of viaEntries) {
  test(
    entry.name,
    { timeout: PROPERTY_TIME_LIMIT_MS + 60_000 },
    // deno-lint-ignore no-explicit-any
    () => checkContainment(entry as any),
  );
}
