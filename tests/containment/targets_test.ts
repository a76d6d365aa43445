/**
 * Containment of targets: `cast`, `send`, `call`, `ctx.link`,
 * `system.monitor` and `ctx.monitor` given a live, dead or foreign pid, a
 * name, or a hostile value. Live targets are reached, dead ones are
 * `noproc` (a call fails at once, a link or monitor reports `noproc`),
 * anything else is a TypeError; nothing reaches the wrong process and no
 * table is left behind.
 *
 * @module
 */

import { test } from "node:test";
import { targetEntries } from "./_target_entries.ts";
import { checkContainment, PROPERTY_TIME_LIMIT_MS } from "./_property.ts";

for (const entry of targetEntries) {
  test(
    entry.name,
    { timeout: PROPERTY_TIME_LIMIT_MS + 60_000 },
    // deno-lint-ignore no-explicit-any
    () => checkContainment(entry as any),
  );
}
