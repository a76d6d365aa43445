/**
 * Ordering guarantees: messages from one sender to one receiver arrive in
 * send order, each exactly once, under random interleavings of many senders
 * (fast-check's scheduler drives them); exit signals and DOWN notices are
 * ordered after the messages their sender sent before exiting.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Context } from "../src/context.ts";
import {
  DownMessage,
  ExitMessage,
  type GenServer,
  noreply,
  type NoReplyResult,
  ok,
  reply,
} from "../src/gen_server.ts";
import type { Pid } from "../src/pid.ts";
import { System } from "../src/system.ts";
import { collecting, deferred, flush, inside, logOf, probe } from "./_helpers.ts";

/** Until `pid`'s mailbox is empty: host turns, however many it takes (no time involved). */
async function drained(system: System, pid: Pid): Promise<void> {
  while ((system.processInfo(pid)?.messageQueueLength ?? 0) > 0) await flush();
}

type Kind = "cast" | "send" | "call";
interface Numbered {
  sender: string;
  n: number;
}

/** Records every numbered message it gets, by any route; `"log"` calls return the record. */
function recordingServer(
  asyncHandler: (() => Promise<unknown>) | undefined,
): GenServer<Numbered[], undefined> {
  const handle = (
    message: unknown,
    seen: Numbered[],
  ): NoReplyResult<Numbered[]> | Promise<NoReplyResult<Numbered[]>> => {
    seen.push(message as Numbered);
    return asyncHandler ? asyncHandler().then(() => noreply(seen)) : noreply(seen);
  };
  return {
    init: () => ok([]),
    handleCast: handle,
    handleInfo: handle,
    handleCall: (request, _from, seen) => {
      if (request === "log") return reply([...seen], seen);
      seen.push(request as Numbered);
      return reply("ok", seen);
    },
  };
}

function deliver(
  api: Pick<Context, "cast" | "send" | "call">,
  server: Pid,
  kind: Kind,
  message: Numbered,
): Promise<unknown> {
  if (kind === "cast") return Promise.resolve(api.cast(server, message));
  if (kind === "send") return Promise.resolve(api.send(server, message));
  return api.call(server, message, { timeout: Infinity });
}

describe("per-sender ordering", () => {
  it(
    "each sender's messages (cast, send, call mixed) arrive in order, exactly once, under random interleavings",
    {
      timeout: 120_000,
    },
    async () => {
      const kinds = fc.constantFrom<Kind>("cast", "send", "call");
      const senders = fc.array(
        fc.record({
          inProcess: fc.boolean(),
          messages: fc.array(kinds, { minLength: 1, maxLength: 8 }),
        }),
        { minLength: 1, maxLength: 5 },
      );
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), senders, fc.boolean(), async (s, plan, asyncServer) => {
          const system = new System({ logger: null });
          try {
            const server = await system.start(
              recordingServer(
                asyncServer ? () => s.schedule(Promise.resolve(), "server") : undefined,
              ),
            );
            const done: Promise<unknown>[] = [];
            for (const [index, { inProcess, messages }] of plan.entries()) {
              const sender = `${inProcess ? "p" : "o"}${index}`;
              const sendAll = async (api: Pick<Context, "cast" | "send" | "call">) => {
                for (const [n, kind] of messages.entries()) {
                  await s.schedule(Promise.resolve(), `${sender} #${n}`);
                  const result = await deliver(api, server, kind, { sender, n });
                  assert.ok(result === "ok", `${sender} #${n} ${kind}: ${String(result)}`);
                }
              };
              if (!inProcess) {
                done.push(sendAll(system));
                continue;
              }
              const finished = deferred();
              done.push(finished.promise);
              const pid = await system.start(probe, undefined);
              system.cast(pid, (ctx: Context) => {
                sendAll(ctx).then(finished.resolve, finished.reject);
              });
            }
            await s.waitFor(Promise.all(done));
            const seen = await s.waitFor(
              system.call<Numbered[]>(server, "log", { timeout: Infinity }),
            );
            for (const [index, { inProcess, messages }] of plan.entries()) {
              const sender = `${inProcess ? "p" : "o"}${index}`;
              const got = seen.filter((m) => m.sender === sender).map((m) => m.n);
              assert.deepEqual(got, messages.map((_, n) => n), `order of ${sender}`);
            }
            assert.equal(seen.length, plan.reduce((sum, p) => sum + p.messages.length, 0));
          } finally {
            system.shutdown();
          }
        }),
        { numRuns: 60 },
      );
    },
  );

  it("bursts from processes sent in one callback keep their order against an outside sender", async () => {
    const { system } = collecting();
    const server = await system.start(recordingServer(undefined));
    const senders: Pid[] = [];
    for (let i = 0; i < 4; i++) senders.push(await system.start(probe, undefined));
    for (const [i, pid] of senders.entries()) {
      system.cast(pid, (ctx: Context) => {
        for (let n = 0; n < 500; n++) ctx.cast(server, { sender: `p${i}`, n });
      });
    }
    for (let n = 0; n < 500; n++) system.send(server, { sender: "outside", n });
    for (const pid of senders) await inside(system, pid, () => "done"); // their bursts are sent
    const seen = await system.call<Numbered[]>(server, "log");
    for (const sender of ["p0", "p1", "p2", "p3", "outside"]) {
      assert.deepEqual(
        seen.filter((m) => m.sender === sender).map((m) => m.n),
        Array.from({ length: 500 }, (_, n) => n),
      );
    }
    system.shutdown();
  });
});

describe("exit signals are ordered after the sender's messages", () => {
  it("a trapping process gets a linked sender's messages, then its ExitMessage", async () => {
    const { system } = collecting();
    const receiver = await system.start(probe, { trapExit: true });
    const sender = await system.start(probe, undefined);
    await inside(system, sender, (ctx) => ctx.link(receiver));
    const boom = new Error("after three messages");
    system.cast(sender, (ctx: Context) => {
      ctx.send(receiver, "m1");
      ctx.send(receiver, "m2");
      ctx.send(receiver, "m3");
      throw boom;
    });
    await system.whenExited(sender);
    const log = await logOf(system, receiver);
    assert.deepEqual(log.slice(0, 3), ["m1", "m2", "m3"]);
    assert.equal(log.length, 4);
    assert.ok(log[3] instanceof ExitMessage);
    assert.equal(log[3].from, sender);
    assert.equal(log[3].reason, boom);
    system.shutdown();
  });

  it("exit(pid, reason) sent after messages arrives after them", async () => {
    const { system } = collecting();
    const receiver = await system.start(probe, { trapExit: true });
    const sender = await system.start(probe, undefined);
    await inside(system, sender, (ctx) => {
      ctx.send(receiver, "a");
      ctx.exit(receiver, "bye");
      ctx.send(receiver, "b");
    });
    const log = await logOf(system, receiver);
    assert.equal(log.length, 3);
    assert.equal(log[0], "a");
    assert.ok(log[1] instanceof ExitMessage && log[1].reason === "bye");
    assert.equal(log[2], "b");
    system.shutdown();
  });

  it("a DOWN comes after the messages the monitored process sent before exiting", async () => {
    const { system } = collecting();
    const watcher = await system.start(probe, undefined);
    const target = await system.start(probe, undefined);
    await inside(system, watcher, (ctx) => ctx.monitor(target));
    system.cast(target, (ctx: Context) => {
      ctx.send(watcher, "last words");
      ctx.exit(ctx.self, "kill");
    });
    await system.whenExited(target);
    const log = await logOf(system, watcher);
    assert.equal(log.length, 2);
    assert.equal(log[0], "last words");
    assert.ok(log[1] instanceof DownMessage && log[1].reason === "killed");
    system.shutdown();
  });

  it(
    "with a full bounded mailbox, the EXIT still comes after the sender's queued messages",
    async () => {
      const { system } = collecting();
      const receiver = await system.start(probe, { trapExit: true }, { mailbox: { bound: 3 } });
      const sender = await system.start(probe, undefined);
      await inside(system, sender, (ctx) => ctx.link(receiver));
      system.suspend(receiver);
      const results = await inside(system, sender, (ctx) => [
        ctx.send(receiver, "m1"),
        ctx.send(receiver, "m2"),
        ctx.send(receiver, "m3"),
      ]);
      assert.deepEqual(results, ["ok", "ok", "ok"]);
      const exited = system.whenExited(sender);
      system.cast(sender, (ctx: Context) => ctx.exit(ctx.self, "crash_after_m3"));
      await exited;
      system.resume(receiver);
      await drained(system, receiver); // before the log call needs room in its mailbox
      const log = await logOf(system, receiver);
      assert.equal(log.length, 4);
      assert.deepEqual(log.slice(0, 3), ["m1", "m2", "m3"]);
      assert.ok(log[3] instanceof ExitMessage && log[3].reason === "crash_after_m3");
      system.shutdown();
    },
  );

  it(
    "with a full bounded mailbox, a DOWN still comes after the target's queued messages",
    async () => {
      const { system } = collecting();
      const watcher = await system.start(probe, undefined, { mailbox: { bound: 2 } });
      const target = await system.start(probe, undefined);
      await inside(system, watcher, (ctx) => ctx.monitor(target));
      system.suspend(watcher);
      await inside(system, target, (ctx) => [ctx.send(watcher, "m1"), ctx.send(watcher, "m2")]);
      system.exit(target, "kill");
      system.resume(watcher);
      await drained(system, watcher);
      const log = await logOf(system, watcher);
      assert.equal(log.length, 3);
      assert.deepEqual(log.slice(0, 2), ["m1", "m2"]);
      assert.ok(log[2] instanceof DownMessage);
      system.shutdown();
    },
  );
});
