/**
 * Containment of callback outcomes: whatever `init`, `handleCall`,
 * `handleCast`, `handleInfo`, `handleContinue` or `terminate` returns, throws
 * or rejects — synchronously, through a Promise or a hostile thenable — the
 * host survives, the caller waiting on the process settles by its timeout,
 * its exit reaches its links and monitors with one reason, one crash report
 * is logged per crash, and every table returns to baseline.
 *
 * 3,000 hostile outcomes per callback (see `_callback_entries.ts`).
 *
 * @module
 */

import { test } from "node:test";
import { callbackEntries } from "./_callback_entries.ts";
import { checkContainment, PROPERTY_TIME_LIMIT_MS } from "./_property.ts";

for (const entry of callbackEntries) {
  test(entry.name, { timeout: PROPERTY_TIME_LIMIT_MS + 60_000 }, () => checkContainment(entry));
}
