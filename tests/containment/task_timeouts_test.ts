/**
 * Containment of `Task.await`, `Task.yield` and `Task.shutdown` timeouts: a
 * bad one is refused with a TypeError or RangeError and leaves the task
 * alone; a good one settles the awaiter by then on the system clock (virtual
 * time in a test system); every table returns to baseline.
 *
 * @module
 */

import { test } from "node:test";
import { taskEntries } from "./_task_entries.ts";
import { checkContainment, PROPERTY_TIME_LIMIT_MS } from "./_property.ts";

for (const entry of taskEntries) {
  test(entry.name, { timeout: PROPERTY_TIME_LIMIT_MS + 60_000 }, () => checkContainment(entry));
}
