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

/** Why a process exited: one of the named reasons, or any value (a crash). */
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
  return reason === "normal" || reason === "shutdown" ||
    (typeof reason === "object" && reason !== null && !(reason instanceof Error) &&
      "shutdown" in reason);
}

/**
 * A short, bounded description of a reason for logs and errors.
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
  if (typeof reason === "string") return reason;
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  try {
    const text = JSON.stringify(reason);
    if (text === undefined) return String(reason);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(reason);
  }
}
