/**
 * Crash reports: exactly one per crash, through the system's logger, with
 * the process, its name, the reason, the callback and the message it was
 * handling; none for clean exits (normal, shutdown, { shutdown }) or for a
 * process killed by an exit signal (as OTP's proc_lib / gen_server).
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BadReturnValueError } from "../src/errors.ts";
import type { ExitReason } from "../src/exit_reason.ts";
import {
  type GenServer,
  type InitResult,
  noreply,
  type NoReplyCallbackResult,
  ok,
  reply,
  stop,
} from "../src/gen_server.ts";
import type { CrashReport } from "../src/logger.ts";
import type { Pid } from "../src/pid.ts";
import { System } from "../src/system.ts";
import { collecting, flush, handled, inside, probe } from "./_helpers.ts";
import { injectFault } from "../src/testing/_inject_fault.ts";

type Step = (state: null) => NoReplyCallbackResult<null> | Promise<NoReplyCallbackResult<null>>;

/** Casts, infos and calls carry what the server does with them. */
const scripted: GenServer<null, undefined> = {
  init: () => ok(null),
  handleCast: (step, state) => (step as Step)(state),
  handleInfo: (message, state) =>
    typeof message === "function" ? (message as Step)(state) : noreply(state),
  handleCall: (request, _from, state) => {
    if (typeof request === "function") return (request as () => never)();
    return reply(request, state);
  },
  handleContinue: (value, state) => (value as Step)(state),
};

async function exitOf(system: System, pid: Pid, act: () => void): Promise<ExitReason> {
  const exited = system.whenExited(pid);
  act();
  const reason = await exited;
  await flush();
  return reason;
}

function assertOneReport(
  reports: readonly CrashReport[],
  expected: Partial<CrashReport>,
): CrashReport {
  assert.equal(reports.length, 1, `expected exactly one crash report, got ${reports.length}`);
  const report = reports[0];
  assert.equal(report.kind, "crash");
  for (const [key, value] of Object.entries(expected)) {
    assert.equal(report[key as keyof CrashReport], value, `report.${key}`);
  }
  return report;
}

describe("one crash report per crash", () => {
  it("a throw in handleCall: pid, name, reason, callback, the request, the stack", async () => {
    const { system, reports } = collecting();
    const pid = await system.start(scripted, undefined, { name: "svc" });
    const boom = new Error("boom");
    const request = () => {
      throw boom;
    };
    await handled(system.call(pid, request)).catch(() => {});
    await flush();
    const report = assertOneReport(reports, {
      pid,
      name: "svc",
      reason: boom,
      callback: "handleCall",
      message: request,
    });
    assert.equal(report.stack, boom.stack);
    system.shutdown();
  });

  it("a throw in handleCast", async () => {
    const { system, reports } = collecting();
    const pid = await system.start(scripted);
    const boom = new Error("cast boom");
    const step: Step = () => {
      throw boom;
    };
    assert.equal(await exitOf(system, pid, () => system.cast(pid, step)), boom);
    assertOneReport(reports, {
      pid,
      name: undefined,
      reason: boom,
      callback: "handleCast",
      message: step,
    });
    system.shutdown();
  });

  it("a throw in handleInfo", async () => {
    const { system, reports } = collecting();
    const pid = await system.start(scripted);
    const step: Step = () => {
      throw "a string reason";
    };
    await exitOf(system, pid, () => system.send(pid, step));
    assertOneReport(reports, {
      pid,
      reason: "a string reason",
      callback: "handleInfo",
      message: step,
    });
    system.shutdown();
  });

  it("a rejected Promise from a callback", async () => {
    const { system, reports } = collecting();
    const pid = await system.start(scripted);
    const boom = new Error("async boom");
    const step: Step = () => Promise.reject(boom);
    await exitOf(system, pid, () => system.cast(pid, step));
    assertOneReport(reports, { pid, reason: boom, callback: "handleCast", message: step });
    system.shutdown();
  });

  it("a throw in handleContinue", async () => {
    const { system, reports } = collecting();
    const pid = await system.start(scripted);
    const boom = new Error("continue boom");
    const later: Step = () => {
      throw boom;
    };
    await exitOf(system, pid, () => system.cast(pid, (s: null) => noreply(s, { continue: later })));
    assertOneReport(reports, { pid, reason: boom, callback: "handleContinue" });
    system.shutdown();
  });

  it("a bad return value", async () => {
    const { system, reports } = collecting();
    const pid = await system.start(scripted);
    const step = (() => "not a result") as unknown as Step;
    const reason = await exitOf(system, pid, () => system.cast(pid, step));
    assert.ok(reason instanceof BadReturnValueError);
    assertOneReport(reports, { pid, reason, callback: "handleCast", message: step });
    system.shutdown();
  });

  it("a crash, then terminate throws too: one report, with terminate's reason", async () => {
    const { system, reports } = collecting();
    const second = new Error("terminate boom");
    const pid = await system.start({
      ...scripted,
      terminate: () => {
        throw second;
      },
    });
    const reason = await exitOf(system, pid, () =>
      system.cast(pid, () => {
        throw new Error("first");
      }));
    assert.equal(reason, second);
    assertOneReport(reports, { pid, reason: second });
    system.shutdown();
  });

  it("an init crash: one report, callback init", async () => {
    const { system, reports } = collecting();
    const boom = new Error("init boom");
    await assert.rejects(() =>
      system.start(
        {
          init: (): InitResult<null> => {
            throw boom;
          },
        },
        undefined,
        { name: "svc" },
      )
    );
    assertOneReport(reports, { name: "svc", reason: boom, callback: "init" });
    system.shutdown();
  });

  it("an injected fault (testing hook) is reported like any crash", async () => {
    const { system, reports } = collecting();
    const pid = await system.start(scripted);
    const reason = new Error("injected");
    injectFault(system, pid, 2, reason);
    const exited = system.whenExited(pid);
    system.cast(pid, (s: null) => noreply(s));
    system.send(pid, "second");
    assert.equal(await exited, reason);
    assertOneReport(reports, { pid, reason, callback: "handleInfo", message: "second" });
    system.shutdown();
  });

  it("a crash that kills linked processes logs one report: the crashed process's", async () => {
    const { system, reports } = collecting();
    const a = await system.start(probe, undefined);
    const b = await system.start(probe, undefined);
    const c = await system.start(probe, { trapExit: true });
    await inside(system, b, (ctx) => {
      ctx.link(a);
      ctx.link(c);
    });
    await exitOf(system, a, () =>
      system.cast(b, () => {
        throw new Error("b crashes");
      }));
    assert.equal(system.isAlive(c), true);
    assertOneReport(reports, { pid: b });
    system.shutdown();
  });

  it(
    "stop(reason) from a handler: the report names the callback and the message being handled",
    async () => {
      const { system, reports } = collecting();
      const pid = await system.start(scripted);
      const step: Step = (s) => stop("bad_state", s);
      await exitOf(system, pid, () => system.cast(pid, step));
      assertOneReport(reports, { pid, reason: "bad_state", callback: "handleCast", message: step });
      system.shutdown();
    },
  );

  it("stop(reason) from a handler: exactly one report with the reason", async () => {
    const { system, reports } = collecting();
    const pid = await system.start(scripted);
    await exitOf(system, pid, () => system.cast(pid, (s: null) => stop({ error: "bad" }, s)));
    assert.equal(reports.length, 1);
    assert.deepEqual(reports[0].reason, { error: "bad" });
    assert.equal(reports[0].pid, pid);
    system.shutdown();
  });

  it("a logger that throws does not break the runtime", async () => {
    const system = new System({
      logger: {
        report: () => {
          throw new Error("logger down");
        },
      },
    });
    const pid = await system.start(scripted);
    await exitOf(system, pid, () =>
      system.cast(pid, () => {
        throw new Error("crash");
      }));
    const other = await system.start(scripted);
    assert.equal(await system.call(other, "still fine"), "still fine");
    system.shutdown();
  });
});

describe("no crash report for clean exits", () => {
  for (const reason of ["normal", "shutdown", { shutdown: "deploy" }] as ExitReason[]) {
    it(`stop result with ${JSON.stringify(reason)}`, async () => {
      const { system, reports } = collecting();
      const pid = await system.start(scripted);
      await exitOf(system, pid, () => system.cast(pid, (s: null) => stop(reason, s)));
      assert.deepEqual(reports, []);
      system.shutdown();
    });

    it(`System.stop with ${JSON.stringify(reason)}`, async () => {
      const { system, reports } = collecting();
      const pid = await system.start(scripted);
      await system.stop(pid, reason);
      await flush();
      assert.deepEqual(reports, []);
      system.shutdown();
    });
  }

  it("ignore() from init, stop('normal') from init, a kill, an exit signal", async () => {
    const { system, reports } = collecting();
    assert.equal(await system.start({ init: () => ({ type: "ignore" as const }) }), undefined);
    await assert.rejects(() => system.start({ init: () => stop("normal") }));
    const a = await system.start(scripted);
    const b = await system.start(scripted);
    system.exit(a, "kill");
    system.exit(b, "some_reason");
    await flush();
    assert.deepEqual(reports, []);
    system.shutdown();
  });

  it("shutdown() logs nothing", async () => {
    const { system, reports } = collecting();
    for (let i = 0; i < 3; i++) await system.start(scripted);
    system.shutdown();
    await flush();
    assert.deepEqual(reports, []);
  });
});
