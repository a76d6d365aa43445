/**
 * The routing seam for pids of other nodes (experimental): give
 * `new System({ remote })` a {@linkcode RemoteResolver} and every `call`,
 * `cast`, `send` and `exit` to a pid whose node is not the system's own goes
 * through the {@linkcode MailboxPort} it returns — local processes never do.
 * Errors that cross the seam have a `code` and serialize
 * ({@linkcode SerializedError}); `fromJSON` on `NoProcError`,
 * `CallTimeoutError`, `ExitError` and `OverloadedError` revives them.
 *
 * @example Two systems in one process, joined by a loopback port
 * ```ts
 * import { ok, type Pid, reply, System } from "@beamlet/beamlet";
 * import type { MailboxPort } from "@beamlet/beamlet/remote";
 *
 * const there = new System({ node: "there" });
 * const portOf = (pid: Pid): MailboxPort => ({
 *   deliver: (kind, message) => kind === "cast" ? there.cast(pid, message) : there.send(pid, message),
 *   call: (request, _from, timeout) => there.call(pid, request, { timeout }),
 *   exit: (_from, reason) => there.exit(pid, reason),
 * });
 * const here = new System({ node: "here", remote: (pid) => pid.node === "there" ? portOf(pid) : undefined });
 * const echo = await there.start({ init: () => ok(0), handleCall: (r: string, _f, n: number) => reply(r, n) });
 * console.log(await here.call(echo, "hi")); // "hi"
 * ```
 *
 * @module
 */

export type { MailboxPort, RemoteResolver } from "./src/options.ts";
export type { SerializedError } from "./src/errors.ts";
