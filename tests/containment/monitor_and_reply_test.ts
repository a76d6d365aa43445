/**
 * Containment of `system.monitor(target, onDown)` with a hostile `onDown`
 * (not a function: refused with a TypeError; one that throws: contained,
 * the other monitors still fire) and of `system.reply(from, value)` with a
 * hostile `from` or value (refused or ignored; the real caller settles, a
 * thenable reply is delivered as a value, not adopted).
 *
 * @module
 */

import { test } from "node:test";
import { monitorReplyEntries } from "./_monitor_reply_entries.ts";
import { checkContainment, PROPERTY_TIME_LIMIT_MS } from "./_property.ts";

for (const entry of monitorReplyEntries) {
  test(
    entry.name,
    { timeout: PROPERTY_TIME_LIMIT_MS + 60_000 },
    // deno-lint-ignore no-explicit-any
    () => checkContainment(entry as any),
  );
}
