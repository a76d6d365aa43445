/**
 * The supervisor process (internal): a GenServer that traps exits, starts
 * its children in order, restarts them by its strategy within its intensity,
 * and stops them in reverse order when it stops.
 *
 * @module
 */

import type { Context } from "../context.ts";
import { ExitError } from "../errors.ts";
import { type ExitReason, isCleanExit } from "../exit_reason.ts";
import { ExitMessage, type GenServer, noreply, ok, reply, stop } from "../gen_server.ts";
import type { InitResult, NoReplyCallbackResult } from "../gen_server.ts";
import { type Pid, samePid } from "../pid.ts";
import type { ChildCounts, ChildInfo } from "./child_info.ts";
import {
  ChildNotFoundError,
  ChildRunningError,
  ChildStartError,
  DuplicateChildError,
  MaxChildrenError,
} from "./errors.ts";
import type { SupervisorReport } from "./report.ts";
import {
  SUPERVISOR_CHILD_EXIT,
  SUPERVISOR_CHILD_RESTART,
  SUPERVISOR_CHILD_RESTART_FAILED,
  SUPERVISOR_CHILD_START,
  SUPERVISOR_INTENSITY_EXCEEDED,
} from "../telemetry/catalog/supervisor_events.ts";
import type { Config, Spec } from "./_config.ts";
import type { FirstChildren, Outcome, Request } from "./_protocol.ts";
import { addRestart } from "./_restarts.ts";
import { shutdownChild } from "./_shutdown.ts";
import { rememberSupervisor } from "./supervisor_settings.ts";

/** What the supervisor process is started with (already validated). */
export interface SupervisorArg {
  /** Validated settings. */
  readonly config: Config;
  /** Validated children, in start order. */
  readonly specs: readonly Spec[];
}

interface Child {
  readonly spec: Spec;
  pid: Pid | undefined;
  /** Its restart failed; a Retry message is on its way. */
  restarting: boolean;
}

interface State {
  readonly config: Config;
  children: Child[];
  readonly restarts: number[];
}

/** Sent to itself after a failed restart, so other messages get handled in between (OTP's try_again). */
class Retry {
  constructor(readonly child: Child, readonly reason: ExitReason) {}
}

type Result = NoReplyCallbackResult<State>;

/** The supervisor's callbacks. */
export const supervisorServer: GenServer<State, SupervisorArg, Request, Outcome> = {
  async init(arg, ctx): Promise<InitResult<State>> {
    ctx.trapExit(true);
    rememberSupervisor(ctx.system, ctx.self, arg.config);
    const state: State = { config: arg.config, children: [], restarts: [] };
    for (const spec of arg.specs) {
      try {
        state.children.push({ spec, pid: await startSpec(ctx, spec), restarting: false });
      } catch (error) {
        await stopAll(state, ctx);
        const reason = reasonOf(error);
        return stop(new ChildStartError(String(spec.id), reason, { cause: error }), undefined);
      }
    }
    return ok(state);
  },

  handleInfo(message, state, ctx): Result | Promise<Result> {
    if (message instanceof ExitMessage) {
      // From outside any process (system.exit): stop as a parent's signal would.
      if (message.from === undefined) return stop(message.reason, state);
      const child = state.children.find((c) => samePid(c.pid, message.from));
      if (!child) return noreply(state); // a child already shut down, or a stranger's link
      return childExited(state, child, message.reason, ctx);
    }
    if (message instanceof Retry) {
      const child = message.child;
      if (!state.children.includes(child) || !child.restarting) return noreply(state);
      return restart(state, child, undefined, message.reason, ctx);
    }
    return noreply(state);
  },

  async handleCall(req, _from, state, ctx) {
    try {
      return reply({ ok: true, value: await handle(req, state, ctx) }, state);
    } catch (error) {
      return reply({ ok: false, error: error as Error }, state);
    }
  },

  async terminate(_reason, state, ctx) {
    await stopAll(state, ctx);
  },

  formatStatus(state) {
    return statusOf(state);
  },
};

/** Children a supervisor's status lists at most (a dynamic one may have millions). */
const STATUS_CHILDREN = 20;

/** What state inspection shows of a supervisor: its settings, its counts and its first children. */
function statusOf(state: State) {
  const { strategy, intensity, period, dynamic, maxChildren } = state.config;
  const children = state.children;
  let active = 0;
  let supervisors = 0;
  for (const c of children) {
    if (c.pid !== undefined) active++;
    if (c.spec.type === "supervisor") supervisors++;
  }
  return {
    strategy,
    intensity,
    period,
    ...(dynamic ? { dynamic, maxChildren } : {}),
    restartsInPeriod: state.restarts.length,
    counts: { specs: children.length, active, supervisors, workers: children.length - supervisors },
    children: children.slice(0, STATUS_CHILDREN).map((c) => ({
      ...childInfo(c),
      ...(c.restarting ? { restarting: true } : {}),
    })),
    ...(children.length > STATUS_CHILDREN ? { more: children.length - STATUS_CHILDREN } : {}),
  };
}

function reasonOf(error: unknown): ExitReason {
  return error instanceof ExitError ? error.reason : error;
}

async function startSpec(ctx: Context, spec: Spec): Promise<Pid | undefined> {
  const { server, arg, options } = spec.start;
  const pid = await ctx.startLink(server, arg, options ?? {});
  ctx.system.telemetry.execute(SUPERVISOR_CHILD_START, ONE, {
    supervisor: ctx.self,
    childId: String(spec.id),
    childPid: pid,
  });
  return pid;
}

/** Stops every running child, newest first. */
async function stopAll(state: State, ctx: Context): Promise<void> {
  for (const child of [...state.children].reverse()) await stopChild(child, ctx);
}

async function stopChild(child: Child, ctx: Context): Promise<void> {
  const pid = child.pid;
  child.pid = undefined;
  child.restarting = false;
  if (pid !== undefined) await shutdownChild(ctx, pid, child.spec.shutdown);
}

const REPORT_EVENTS = {
  restart: SUPERVISOR_CHILD_RESTART,
  restart_failed: SUPERVISOR_CHILD_RESTART_FAILED,
  give_up: SUPERVISOR_INTENSITY_EXCEEDED,
} as const;
const ONE = { count: 1 } as const;

/** Reports through the supervisor's own logger if it has one, else the system's; and emits telemetry. */
function log(state: State, ctx: Context, report: Omit<SupervisorReport, "kind" | "supervisor">) {
  const full: SupervisorReport = { kind: "supervisor", supervisor: ctx.self, ...report };
  ctx.system.telemetry.execute(REPORT_EVENTS[report.event], ONE, { ...full });
  const logger = state.config.logger;
  if (!logger) {
    ctx.system.report(full);
    return;
  }
  try {
    logger.report(full);
  } catch {
    // A logger that throws must not take the supervisor down.
  }
}

function childExited(
  state: State,
  child: Child,
  reason: ExitReason,
  ctx: Context,
): Result | Promise<Result> {
  const pid = child.pid;
  child.pid = undefined;
  ctx.system.telemetry.execute(SUPERVISOR_CHILD_EXIT, ONE, {
    supervisor: ctx.self,
    childId: String(child.spec.id),
    childPid: pid,
    reason,
  });
  const policy = child.spec.restart;
  if (policy === "temporary" || (policy === "transient" && isCleanExit(reason))) {
    if (policy === "temporary" || state.config.dynamic) {
      state.children = state.children.filter((c) => c !== child);
    }
    return noreply(state);
  }
  return restart(state, child, pid, reason, ctx);
}

/** One restart: within the budget, restart by the strategy; beyond it, give up. */
async function restart(
  state: State,
  child: Child,
  pid: Pid | undefined,
  reason: ExitReason,
  ctx: Context,
): Promise<Result> {
  const { clock, intensity, period, strategy } = state.config;
  const report = { childId: String(child.spec.id), childPid: pid, reason };
  const now = clock === undefined ? ctx.system.now() : clock.now();
  if (!addRestart(state.restarts, now, intensity, period)) {
    log(state, ctx, { event: "give_up", ...report });
    return stop("shutdown", state); // terminate stops the children, newest first
  }
  log(state, ctx, { event: "restart", ...report });
  let group = [child];
  if (strategy !== "one_for_one") {
    const at = state.children.indexOf(child);
    const affected = strategy === "one_for_all" ? state.children : state.children.slice(at);
    for (const other of [...affected].reverse()) {
      if (other !== child) await stopChild(other, ctx);
    }
    // Temporary children stopped for a sibling's sake are not restarted: they are gone.
    state.children = state.children.filter((c) =>
      c === child || !affected.includes(c) ||
      c.spec.restart !== "temporary"
    );
    group = affected.filter((c) => state.children.includes(c));
  }
  for (const member of group) {
    try {
      member.pid = await startSpec(ctx, member.spec);
      member.restarting = false;
    } catch (error) {
      const failure = reasonOf(error);
      member.restarting = true;
      log(state, ctx, {
        event: "restart_failed",
        childId: String(member.spec.id),
        childPid: undefined,
        reason: failure,
      });
      ctx.send(ctx.self, new Retry(member, failure));
      return noreply(state);
    }
  }
  return noreply(state);
}

function find(state: State, id: string): Child {
  const child = state.children.find((c) => c.spec.id === id);
  if (!child) throw new ChildNotFoundError(id);
  return child;
}

async function startNew(state: State, spec: Spec, ctx: Context): Promise<Pid | undefined> {
  const { dynamic, maxChildren } = state.config;
  if (!dynamic && state.children.some((c) => c.spec.id === spec.id)) {
    throw new DuplicateChildError(String(spec.id));
  }
  if (dynamic && state.children.length >= maxChildren) throw new MaxChildrenError(maxChildren);
  let pid: Pid | undefined;
  try {
    pid = await startSpec(ctx, spec);
  } catch (error) {
    throw new ChildStartError(String(spec.id), reasonOf(error), { cause: error });
  }
  if (pid !== undefined || !dynamic) state.children.push({ spec, pid, restarting: false });
  return pid;
}

function childInfo(c: Child): ChildInfo {
  return { id: c.spec.id, pid: c.pid, type: c.spec.type, restart: c.spec.restart };
}

async function handle(req: Request, state: State, ctx: Context): Promise<unknown> {
  switch (req.op) {
    case "which":
      return state.children.map(childInfo);
    case "which_first": {
      const listed: FirstChildren = {
        children: state.children.slice(0, req.limit).map(childInfo),
        total: state.children.length,
      };
      return listed;
    }
    case "count": {
      const supervisors = state.children.filter((c) => c.spec.type === "supervisor").length;
      const counts: ChildCounts = {
        specs: state.children.length,
        active: state.children.filter((c) => c.pid !== undefined).length,
        supervisors,
        workers: state.children.length - supervisors,
      };
      return counts;
    }
    case "start_child":
      return await startNew(state, req.spec, ctx);
    case "terminate_child": {
      const child = find(state, req.id);
      await stopChild(child, ctx);
      if (child.spec.restart === "temporary") {
        state.children = state.children.filter((c) => c !== child);
      }
      return undefined;
    }
    case "terminate_pid": {
      const child = state.children.find((c) => samePid(c.pid, req.pid));
      if (!child) throw new ChildNotFoundError(String(req.pid));
      await stopChild(child, ctx);
      state.children = state.children.filter((c) => c !== child);
      return undefined;
    }
    case "restart_child": {
      const child = find(state, req.id);
      if (child.pid !== undefined || child.restarting) throw new ChildRunningError(req.id);
      try {
        child.pid = await startSpec(ctx, child.spec);
      } catch (error) {
        throw new ChildStartError(req.id, reasonOf(error), { cause: error });
      }
      return child.pid;
    }
    case "delete_child": {
      const child = find(state, req.id);
      if (child.pid !== undefined || child.restarting) throw new ChildRunningError(req.id);
      state.children = state.children.filter((c) => c !== child);
      return undefined;
    }
  }
}
