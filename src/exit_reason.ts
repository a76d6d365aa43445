/**
 * Exit reasons, as OTP has them.
 *
 * A process exits with a reason. `"normal"`, `"shutdown"` and
 * `{ shutdown: detail }` are clean exits: no crash report, and a linked
 * process that does not trap exits ignores `"normal"`. `"kill"` cannot be
 * trapped and reaches links as `"killed"`. `"noproc"` is what a monitor of a
 * process that was already dead reports. Anything else — usually an `Error`
 * thrown by a callback — is a crash.
 *
 * @module
 */

import { inspect } from "./_inspect.ts";

/**
 * Why a process exited: one of the named reasons, or any value (a crash).
 *
 * @example Stopping a server with a clean reason
 * ```ts
 * import { type ExitReason, isCleanExit, ok, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const pid = await system.start({ init: () => ok(null) });
 * const reason: ExitReason = { shutdown: "deploy" };
 * await system.stop(pid, reason);
 * console.log(isCleanExit(reason)); // true: no crash report
 * ```
 */
export type ExitReason =
  | "normal"
  | "shutdown"
  | { readonly shutdown: unknown }
  | "kill"
  | "killed"
  | "noproc"
  | "timeout"
  | unknown;

/**
 * Whether a reason is a clean exit (`"normal"`, `"shutdown"`, `{ shutdown }`):
 * no crash report, and `transient` children are not restarted.
 *
 * @example Clean and crash reasons
 * ```ts
 * import { isCleanExit } from "@beamlet/beamlet";
 *
 * isCleanExit("normal"); // true
 * isCleanExit({ shutdown: "deploy" }); // true
 * isCleanExit(new Error("boom")); // false
 * ```
 */
export function isCleanExit(reason: ExitReason): boolean {
  if (reason === "normal" || reason === "shutdown") return true;
  if (typeof reason !== "object" || reason === null) return false;
  try {
    return !(reason instanceof Error) && "shutdown" in reason;
  } catch {
    return false; // a Proxy whose traps throw: unreadable, so not a clean exit
  }
}

/**
 * A short, bounded description of a reason for logs and errors: the string
 * itself, `Name: message` for an Error, JSON for plain data (cut at 200
 * characters), and a readable form for the rest (`10n`, `Symbol(x)`,
 * `[Circular]`). It never throws, whatever the value: cycles, null-prototype
 * objects, throwing getters and Proxies whose traps throw all print.
 *
 * @example Describing reasons
 * ```ts
 * import { formatReason } from "@beamlet/beamlet";
 *
 * formatReason("killed"); // "killed"
 * formatReason(new TypeError("bad")); // "TypeError: bad"
 * ```
 */
export function formatReason(reason: ExitReason): string {
  return inspect(reason, 200);
}
