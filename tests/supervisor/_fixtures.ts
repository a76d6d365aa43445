/**
 * Fixtures of the supervisor tests (private: not a test file).
 *
 * @module
 */

import { type GenServer, ok } from "../../src/gen_server.ts";
import type { Pid } from "../../src/pid.ts";
import type { System } from "../../src/system.ts";
import { type ChildSpec, Supervisor, type SupervisorReport } from "../../src/supervisor/mod.ts";
import { manual } from "../_helpers.ts";

/** What a worker is started with: its id, a shared log, and how it behaves. */
export interface WorkerArg {
  id: string;
  log: string[];
  /** Trap exits, so a shutdown runs terminate (and logs "stop id"). */
  trap?: boolean;
  /** Its init throws while this returns true. */
  failInit?: () => boolean;
  /** Its terminate never finishes: it ignores shutdown. */
  hang?: boolean;
}

/** A worker that logs its starts and stops. */
export const worker: GenServer<WorkerArg, WorkerArg> = {
  init(arg, ctx) {
    if (arg.failInit?.()) throw new Error(`init of ${arg.id} failed`);
    if (arg.trap) ctx.trapExit(true);
    arg.log.push(`start ${arg.id}`);
    return ok(arg);
  },
  terminate(_reason, arg) {
    arg.log.push(`stop ${arg.id}`);
    return arg.hang ? new Promise(() => {}) : undefined;
  },
};

/** A spec for a trapping worker `id` logging to `log`. */
export function spec(
  id: string,
  log: string[],
  extra: Partial<ChildSpec> = {},
  arg: Partial<WorkerArg> = {},
): ChildSpec {
  return { id, start: { server: worker, arg: { id, log, trap: true, ...arg } }, ...extra };
}

/** A manual system plus a supervisor logger collecting reports. */
export function setup() {
  const { system, clock, reports: crashes } = manual();
  const reports: SupervisorReport[] = [];
  const logger = { report: (r: SupervisorReport) => void reports.push(r) };
  return { system, clock, crashes, reports, logger };
}

/** Runs the system until idle, then settles `promise`. */
export async function settle<T>(system: System, promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  await system.runUntilIdle();
  return await promise;
}

/** Child id → pid (undefined when not running). */
export async function pids(system: System, sup: Pid): Promise<Record<string, Pid | undefined>> {
  const children = await settle(system, Supervisor.whichChildren(system, sup));
  return Object.fromEntries(children.map((c) => [c.id!, c.pid]));
}

/** Crashes `pid` (an untrappable kill: reason "killed", abnormal) and lets the system react. */
export async function crash(system: System, pid: Pid | undefined): Promise<void> {
  if (pid === undefined) throw new Error("no pid to crash");
  system.exit(pid, "kill");
  await system.runUntilIdle();
}
