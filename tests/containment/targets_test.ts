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
import { checkContainment } from "./_property.ts";

for (const entry of targetEntries) {
  // deno-lint-ignore no-explicit-any
  test(entry.name, () => checkContainment(entry as any));
}
