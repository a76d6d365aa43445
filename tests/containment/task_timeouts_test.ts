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
import { checkContainment } from "./_property.ts";

for (const entry of taskEntries) {
  test(entry.name, () => checkContainment(entry));
}
