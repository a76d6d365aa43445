/**
 * Containment of the options inside callback results: a hostile `timeout`
 * (`Number.MAX_SAFE_INTEGER`, just above 2^36, NaN, `"100"`, ...), `continue`
 * or `hibernate` value — or a getter that throws for it — crashes that
 * process alone, or is applied; either way the host survives, callers settle,
 * observers see one exit, and every table returns to baseline.
 *
 * @module
 */

import { test } from "node:test";
import { resultOptionEntries } from "./_result_option_entries.ts";
import { checkContainment, PROPERTY_TIME_LIMIT_MS } from "./_property.ts";

for (const entry of resultOptionEntries) {
  test(entry.name, { timeout: PROPERTY_TIME_LIMIT_MS + 60_000 }, () => checkContainment(entry));
}
