/**
 * Observers of a process's exit (private: not a test file): a recorder
 * process linked to it and monitoring it (trapping exits, so it lives on),
 * an outside monitor, and `whenExited` — and the checks that they all saw
 * one exit, with one reason.
 *
 * @module
 */

import {
  DownMessage,
  ExitMessage,
  type GenServer,
  noreply,
  ok,
  reply,
} from "../../src/gen_server.ts";
import type { Context } from "../../src/context.ts";
import { Pid } from "../../src/pid.ts";
import { describeValue } from "./_hostile.ts";
import { describeError, isPromiseUnsafe, type Run, sameReason, type Tracked } from "./_run.ts";

/** What a recorder runs as itself (a cast or call carries one). */
export type RecorderTask = (ctx: Context, log: unknown[]) => unknown;

/**
 * A process that traps exits, runs the functions it is sent, and logs every
 * plain message (and any cast or call that is not a function: a lying
 * registry may send it anything).
 */
export const recorderServer: GenServer<unknown[], unknown[]> = {
  init: (log, ctx) => {
    ctx.trapExit(true);
    return ok(log);
  },
  handleCast: (task, log, ctx) => {
    if (typeof task === "function") (task as RecorderTask)(ctx, log);
    else log.push(task);
    return noreply(log);
  },
  handleCall: (task, _from, log, ctx) => {
    if (typeof task === "function") return reply((task as RecorderTask)(ctx, log), log);
    log.push(task);
    return reply(undefined, log);
  },
  handleInfo: (message, log) => {
    log.push(message);
    return noreply(log);
  },
};

/** A running recorder: its pid and its log (read directly: it is the test's array). */
export interface Recorder {
  readonly pid: Pid;
  readonly log: unknown[];
}

/** Starts a recorder; undefined (and a violation) if even that fails. */
export async function startRecorder(run: Run): Promise<Recorder | undefined> {
  const log: unknown[] = [];
  const started = run.track(() => run.t.system.start(recorderServer, log));
  if (!await run.drive(0)) return undefined;
  if (started.state !== "fulfilled" || !(started.value instanceof Pid)) {
    run.fail("other", `a sane recorder process did not start: ${describeError(started.error)}`);
    return undefined;
  }
  return { pid: started.value, log };
}

/** The reason a link signal carries for an exit reason (`kill` reaches links as `killed`). */
export function linkReason(reason: unknown): unknown {
  return reason === "kill" ? "killed" : reason;
}

/** Everything that watches one process's exit. */
export class Observation {
  readonly pid: Pid;
  readonly recorder: Recorder | undefined;
  /** What the outside monitor got, with the virtual time. */
  readonly downs: { reason: unknown; at: number }[] = [];
  /** `whenExited`, its reason boxed (a thenable reason must not be adopted by the harness). */
  readonly exited: Tracked<{ reason: unknown }>;
  /** Virtual time of the exit, as first seen. */
  diedAt: number | undefined = undefined;
  /** Callbacks of the process that ran after its exit was seen (a dead process never acts). */
  callbacksAfterDeath = 0;

  private constructor(run: Run, pid: Pid, recorder: Recorder | undefined) {
    this.pid = pid;
    this.recorder = recorder;
    const system = run.t.system;
    system.monitor(pid, (reason) => {
      this.downs.push({ reason, at: run.t.clock.now() });
      this.diedAt ??= run.t.clock.now();
    });
    this.exited = run.track(() =>
      system.whenExited(pid).then((reason) => {
        this.diedAt ??= run.t.clock.now();
        return { reason };
      })
    );
  }

  /** Whether the exit has been seen. */
  get dead(): boolean {
    return this.diedAt !== undefined;
  }

  /** Counts a callback of the process; call it first thing in each callback. */
  acted(): void {
    if (this.dead) this.callbacksAfterDeath++;
  }

  /**
   * Watches `pid`: an outside monitor, `whenExited`, and (with a recorder)
   * a link and a monitor from the recorder, set up before anything else runs.
   */
  static async attach(run: Run, pid: Pid, recorder?: Recorder): Promise<Observation | undefined> {
    const observation = new Observation(run, pid, recorder);
    if (recorder) {
      const task: RecorderTask = (ctx) => {
        ctx.link(pid);
        ctx.monitor(pid);
      };
      run.t.system.cast(recorder.pid, task);
      if (!await run.drive(0)) return undefined;
    }
    return observation;
  }

  /**
   * Checks the exit every observer saw: the process is gone (not alive, its
   * name free), `whenExited`, the outside monitor, the recorder's monitor and
   * link each saw it exactly once with one same reason, and no callback of
   * it ran afterwards. Returns that reason (undefined if nobody saw one).
   */
  checkExit(run: Run, who: string, name?: string): { reason: unknown } | undefined {
    const system = run.t.system;
    run.check(
      !system.isAlive(this.pid),
      "other",
      `${who} is still alive after it exited or was killed`,
    );
    if (name !== undefined) {
      run.check(
        system.whereis(name) === undefined,
        "tableLeak",
        `${who} exited but its name ${JSON.stringify(name)} is still taken`,
      );
    }
    run.check(
      this.downs.length === 1,
      "other",
      `the outside monitor of ${who} fired ${this.downs.length} times (once)`,
    );
    run.check(this.exited.settled, "unsettledCall", `whenExited(${who}) never settled`);
    // The outside monitor's reason is the reference: a callback argument, never adopted.
    const seen = this.downs.length > 0
      ? { reason: this.downs[0].reason }
      : this.exited.state === "fulfilled"
      ? { reason: this.exited.value!.reason }
      : undefined;
    if (seen === undefined) return undefined;
    const reason = seen.reason;
    if (this.exited.state === "fulfilled" && !isPromiseUnsafe(reason)) {
      // A reason that cannot travel through a Promise as itself may reach whenExited replaced.
      const exited = this.exited.value!.reason;
      run.check(
        sameReason(exited, reason),
        "other",
        () =>
          `whenExited(${who}) resolved with ${describeValue(exited)}, its monitor got ${
            describeValue(reason)
          } (a thenable reason adopted?)`,
      );
    } else if (this.exited.state === "rejected") {
      run.fail("other", `whenExited(${who}) rejected with ${describeValue(this.exited.error)}`);
    }
    if (this.recorder) {
      const log = this.recorder.log;
      const downs = log.filter((m): m is DownMessage =>
        m instanceof DownMessage && m.pid === this.pid
      );
      const exits = log.filter((m): m is ExitMessage =>
        m instanceof ExitMessage && m.from === this.pid
      );
      run.check(
        downs.length === 1,
        "other",
        `a monitoring process got ${downs.length} DOWN messages for ${who} (once)`,
      );
      run.check(
        exits.length === 1,
        "other",
        `a linked process (trapping exits) got ${exits.length} EXIT messages from ${who} (once)`,
      );
      if (downs.length >= 1) {
        run.check(
          sameReason(downs[0].reason, reason),
          "other",
          () =>
            `a monitoring process got DOWN ${describeValue(downs[0].reason)}, the outside monitor ${
              describeValue(reason)
            }`,
        );
      }
      if (exits.length >= 1) {
        run.check(
          sameReason(exits[0].reason, linkReason(reason)),
          "other",
          () =>
            `a linked process got EXIT ${describeValue(exits[0].reason)}, the outside monitor ${
              describeValue(reason)
            }`,
        );
      }
    }
    run.check(
      this.callbacksAfterDeath === 0,
      "other",
      `${this.callbacksAfterDeath} callback(s) of ${who} ran after it exited`,
    );
    return seen;
  }
}
