/**
 * The exit clean-up, in order (internal): each step is a hook its subsystem
 * declares next to what it cleans; a new subsystem adds its hook here, and
 * `finalize` stays as it is. Links before monitors, as the BEAM sends them.
 *
 * @module
 */

import type { ExitHook } from "../state/ports.ts";
import { MAILBOX_EXIT_HOOK } from "../mailbox/delivery.ts";
import { TIMERS_EXIT_HOOK } from "../timers/timer_service.ts";
import { CALLS_EXIT_HOOK } from "../calls/calls.ts";
import { NAMES_EXIT_HOOK } from "./start.ts";
import {
  LINKS_EXIT_HOOK,
  START_EXIT_HOOK,
  TELEMETRY_EXIT_HOOK,
  WAITERS_EXIT_HOOK,
} from "./exit.ts";
import { MONITORS_EXIT_HOOK } from "./signals.ts";
import { REMOTE_EXIT_HOOK } from "./remote_links.ts";

/** Every exit hook, in the order they run. */
export const EXIT_HOOKS: readonly ExitHook[] = [
  MAILBOX_EXIT_HOOK,
  NAMES_EXIT_HOOK,
  START_EXIT_HOOK,
  TIMERS_EXIT_HOOK,
  CALLS_EXIT_HOOK,
  LINKS_EXIT_HOOK,
  MONITORS_EXIT_HOOK,
  REMOTE_EXIT_HOOK,
  WAITERS_EXIT_HOOK,
  TELEMETRY_EXIT_HOOK,
];
