import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Context } from "../../src/context.ts";
import { type GenServer, noreply, ok, reply } from "../../src/gen_server.ts";
import type { Pid } from "../../src/pid.ts";
import { System } from "../../src/system.ts";
import type { MessageTracer, TracedKind } from "../../src/tracing/message_tracer.ts";

/** A tracer that logs every call the runtime makes to it. */
function recordingTracer(): { tracer: MessageTracer; log: string[] } {
  const log: string[] = [];
  let next = 0;
  const tracer: MessageTracer = {
    send: (kind: TracedKind, target) => {
      const token = `${kind}#${++next}`;
      log.push(`send ${token} -> ${target.name ?? "?"}`);
      return token;
    },
    callEnd: (token, error) => log.push(`callEnd ${token}${error ? " error" : ""}`),
    handleStart: (token, kind, target, queueTime) => {
      assert.equal(typeof queueTime, "number");
      log.push(`handleStart ${token} ${kind} ${target.name ?? "?"}`);
      return `scope(${token})`;
    },
    run: (scope, fn, ...args) => {
      log.push(`run ${scope ?? "empty"}`);
      return fn(...args);
    },
    handleEnd: (scope, error) => log.push(`handleEnd ${scope}${error ? " error" : ""}`),
  };
  return { tracer, log };
}

const server: GenServer<number, undefined, "get" | "crash", number, number, unknown> = {
  init: () => ok(0),
  handleCall: (request, _from, n) => {
    if (request === "crash") throw new Error("boom");
    return reply(n, n);
  },
  handleCast: (add, n) => noreply(n + add),
  handleInfo: (_m, n) => noreply(n),
};

describe("SystemOptions.tracer", () => {
  it("follows the documented order for a call and a cast", async () => {
    const { tracer, log } = recordingTracer();
    const system = new System({ tracer, logger: null });
    const pid = await system.start(server, undefined, { name: "srv" });
    log.length = 0;
    system.cast(pid, 2);
    assert.equal(await system.call(pid, "get"), 2);
    await system.shutdown();
    assert.deepEqual(log.slice(0, 9), [
      "send cast#1 -> srv",
      "send call#2 -> srv",
      "handleStart cast#1 cast srv",
      "run scope(cast#1)",
      "handleEnd scope(cast#1)",
      "handleStart call#2 call srv",
      "run scope(call#2)",
      "handleEnd scope(call#2)",
      "callEnd call#2",
    ]);
  });

  it("ends the handling and the call with the error when the callback throws", async () => {
    const { tracer, log } = recordingTracer();
    const system = new System({ tracer, logger: null });
    const pid = await system.start(server, undefined, { name: "srv" });
    log.length = 0;
    await assert.rejects(system.call(pid, "crash"));
    assert.ok(log.includes("handleEnd scope(call#1) error"), log.join("\n"));
    assert.ok(log.includes("callEnd call#1 error"), log.join("\n"));
    await system.shutdown();
  });

  it("runs init in an empty scope and does not trace runtime messages", async () => {
    const { tracer, log } = recordingTracer();
    const system = new System({ tracer, logger: null });
    const watched = await system.start(server, undefined, { name: "watched" });
    log.length = 0;
    const watcher = await system.start<number, undefined>(
      {
        init: (_arg: undefined, ctx: Context) => {
          ctx.monitor(watched);
          return ok(0);
        },
        handleInfo: (_m, n) => noreply(n + 1),
      },
      undefined,
      { name: "watcher" },
    );
    assert.deepEqual(log, ["run empty"]); // init
    log.length = 0;
    await system.stop(watched);
    await system.runUntilIdle();
    // terminate of "watched" and the DOWN to "watcher": run in an empty scope, no handleStart.
    assert.ok(log.every((line) => line === "run empty"), log.join("\n"));
    assert.ok(log.length >= 1);
    await system.stop(watcher);
    await system.shutdown();
  });

  it("a token evicted by drop_oldest is not handed to the message that takes its slot", async () => {
    const { tracer, log } = recordingTracer();
    const system = new System({ tracer, logger: null });
    const watched = await system.start(server, undefined, { name: "watched" });
    const pid: Pid = await system.start<number, undefined>(
      {
        init: (_arg: undefined, ctx: Context) => {
          ctx.monitor(watched);
          return ok(0);
        },
        handleCast: (_m, n) => noreply(n),
        handleInfo: (_m, n) => noreply(n),
      },
      undefined,
      { name: "bounded", mailbox: { bound: 1, overflow: "drop_oldest" } },
    );
    system.suspend(pid);
    system.cast(pid, "queued"); // token cast#N sits in the only slot
    system.exit(watched, "kill"); // its DOWN evicts the cast and takes the slot
    await system.whenExited(watched);
    log.length = 0;
    system.resume(pid);
    await system.runUntilIdle();
    assert.ok(!log.some((line) => line.startsWith("handleStart")), log.join("\n"));
    await system.shutdown();
  });

  it("refuses a tracer that does not implement MessageTracer", () => {
    assert.throws(
      () => new System({ tracer: { send: () => 1 } as unknown as MessageTracer }),
      /missing callEnd, handleStart, run, handleEnd/,
    );
  });
});
