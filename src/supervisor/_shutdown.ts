/**
 * Shutting one child down (internal), as OTP's supervisor does: unlink it,
 * send it `"shutdown"`, wait up to its shutdown time, then kill it.
 *
 * @module
 */

import type { Context } from "../context.ts";
import type { ExitReason } from "../exit_reason.ts";
import type { Pid } from "../pid.ts";
import type { Shutdown } from "./child_spec.ts";
import { delay } from "./_delay.ts";

/** Resolves with the child's exit reason once it has exited. */
export async function shutdownChild(
  ctx: Context,
  pid: Pid,
  shutdown: Shutdown,
): Promise<ExitReason> {
  const system = ctx.system;
  // Unlinked first: its exit must not come back as an EXIT to restart.
  ctx.unlink(pid);
  const exited = system.whenExited(pid);
  if (shutdown === "brutal_kill") {
    ctx.exit(pid, "kill");
    return await exited;
  }
  ctx.exit(pid, "shutdown");
  if (shutdown === "infinity") return await exited;
  const timer = delay(system, shutdown);
  const first = await Promise.race([
    exited.then((reason) => ({ reason })),
    timer.fired.then(() => undefined),
  ]);
  timer.cancel();
  if (first) return first.reason;
  ctx.exit(pid, "kill");
  return await exited;
}
