/**
 * Containment of crash reports: `formatReason` (and the errors and console
 * logger built on it) turn any value into a string without throwing, and a
 * crash with any reason, while handling any message, logs exactly one crash
 * report through any logger — one that throws, or one that is no logger at
 * all — without taking the host down.
 *
 * @module
 */

import { test } from "node:test";
import { reportEntries } from "./_report_entries.ts";
import { checkContainment, PROPERTY_TIME_LIMIT_MS } from "./_property.ts";

for (const entry of reportEntries) {
  test(
    entry.name,
    { timeout: PROPERTY_TIME_LIMIT_MS + 60_000 },
    // deno-lint-ignore no-explicit-any
    () => checkContainment(entry as any),
  );
}
