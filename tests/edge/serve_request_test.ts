import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { serveRequest } from "../../src/edge/serve_request.ts";
import { System } from "../../src/system.ts";
import { noreply, ok, reply } from "../../src/gen_server.ts";
import { runtimeOf } from "../../src/_runtime_access.ts";

const counter = {
  init: () => ok(0),
  handleCall: (_: "get", _from: unknown, n: number) => reply(n, n),
  handleCast: (_: "add", n: number) => noreply(n + 1),
};

/** A Worker ctx that records what it was asked to wait for. */
function context(): { waitUntil(p: Promise<unknown>): void; waited: Promise<unknown>[] } {
  const waited: Promise<unknown>[] = [];
  return { waitUntil: (p) => void waited.push(p), waited };
}

describe("serveRequest", () => {
  test("runs the work and answers what it answers", async () => {
    const system = new System();
    const pid = await system.start(counter);
    const ctx = context();
    const answer = await serveRequest(system, ctx, async () => {
      system.cast(pid, "add");
      return await system.call(pid, "get");
    });
    assert.equal(answer, 1);
    await Promise.all(ctx.waited);
    await system.shutdown();
  });

  test("schedules again a run an ended request took with it", async () => {
    const system = new System();
    const pid = await system.start(counter);
    // What a Cloudflare request that ended leaves behind: a run queued on the
    // host that will never happen, so every later kick thinks one is coming.
    const rt = runtimeOf(system);
    await system.runUntilIdle();
    rt.scheduled = true;
    assert.equal(system.cast(pid, "add"), "ok");
    const ctx = context();
    // Without the reschedule the call would wait forever: fail instead of hanging.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const never = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("the system never ran again")), 10_000);
    });
    const answer = await Promise.race([
      serveRequest(system, ctx, () => system.call(pid, "get")),
      never,
    ]);
    clearTimeout(timer);
    assert.equal(answer, 1);
    await system.shutdown();
  });

  test("after the work, keeps the request alive while the system still has work", async () => {
    const system = new System();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const pid = await system.start({
      init: () => ok(0),
      handleCast: async (_: "slow", n: number) => {
        await gate;
        return noreply(n + 1);
      },
      handleCall: (_: "get", _from: unknown, n: number) => reply(n, n),
    });
    const ctx = context();
    await serveRequest(system, ctx, () => system.cast(pid, "slow"));
    assert.equal(ctx.waited.length, 1, "an async handler is still running");
    let settled = false;
    void ctx.waited[0].then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(settled, false, "not before the handler ends");
    release();
    await ctx.waited[0];
    assert.equal(await system.call(pid, "get"), 1);
    // Nothing left: no wait asked.
    const idle = context();
    await serveRequest(system, idle, () => "done");
    assert.equal(idle.waited.length, 0);
    await system.shutdown();
  });

  test("settleMs bounds the wait", async () => {
    const system = new System();
    const pid = await system.start({
      init: () => ok(0),
      handleCast: (_: "forever", n: number) => new Promise<never>(() => {}).then(() => noreply(n)),
    });
    const ctx = context();
    await serveRequest(system, ctx, () => system.cast(pid, "forever"), { settleMs: 20 });
    assert.equal(ctx.waited.length, 1);
    await ctx.waited[0]; // resolves although the handler never ends
    system.exit(pid, "kill");
    await system.shutdown();
  });

  test("bad input is a TypeError before any work", async () => {
    const system = new System();
    let ran = false;
    const work = () => (ran = true);
    await assert.rejects(
      serveRequest(system, {} as never, work),
      (e: unknown) => e instanceof TypeError && /waitUntil/.test(e.message),
    );
    await assert.rejects(
      serveRequest(system, context(), work, { settleMs: -1 }),
      (e: unknown) => e instanceof TypeError && /settleMs/.test(e.message),
    );
    await assert.rejects(serveRequest({} as System, context(), work), TypeError);
    assert.equal(ran, false);
    await system.shutdown();
  });
});
