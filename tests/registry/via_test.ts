import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AlreadyStartedError, NoProcError } from "../../src/errors.ts";
import type { From } from "../../src/from.ts";
import { noreply, ok, reply } from "../../src/gen_server.ts";
import { System } from "../../src/system.ts";
import { Registry } from "../../src/registry/registry.ts";

const counter = {
  init: (start: number) => ok(start),
  handleCall: (_request: "get", _from: From<number>, n: number) => reply(n, n),
  handleCast: (add: number, n: number) => noreply(n + add),
  handleInfo: (add: unknown, n: number) => noreply(n + (add as number)),
};

describe("{ via: registry, key } names", () => {
  it("start under a via name, then call, cast and send through it", async () => {
    const system = new System({ logger: null });
    const registry = new Registry(system, { keys: "unique" });
    const name = { via: registry, key: "customer:42" };
    const pid = await system.start(counter, 1, { name });
    assert.equal(registry.whereisName("customer:42"), pid);
    assert.deepEqual(registry.lookup("customer:42").map((entry) => entry.pid), [pid]);
    assert.equal(system.cast(name, 10), "ok");
    assert.equal(system.send({ via: registry, key: "customer:42" }, 100), "ok");
    assert.equal(await system.call(name, "get"), 111);
    system.shutdown();
  });

  it("a taken via name: AlreadyStartedError naming the holder, and nothing is started", async () => {
    const system = new System({ logger: null });
    const registry = new Registry(system, { keys: "unique" });
    const name = { via: registry, key: "leader" };
    const pid = await system.start(counter, 0, { name });
    await assert.rejects(system.start(counter, 0, { name }), (error: unknown) => {
      assert.ok(error instanceof AlreadyStartedError);
      assert.equal(error.pid, pid);
      assert.match(error.message, /via\("leader"\)/);
      return true;
    });
    assert.equal(system.processes().length, 1);
    system.shutdown();
  });

  it("the name is released when the process exits and can be taken again", async () => {
    const system = new System({ logger: null });
    const registry = new Registry(system, { keys: "unique" });
    const name = { via: registry, key: "worker" };
    const first = await system.start(counter, 0, { name });
    await system.stop(first);
    assert.equal(registry.whereisName("worker"), undefined);
    await assert.rejects(system.call(name, "get"), (error: unknown) => {
      assert.ok(error instanceof NoProcError);
      assert.equal(error.target, 'via("worker")');
      return true;
    });
    const second = await system.start(counter, 5, { name });
    assert.notEqual(second, first);
    assert.equal(await system.call(name, "get"), 5);
    system.exit(second, "kill");
    await system.whenExited(second);
    assert.equal(registry.whereisName("worker"), undefined);
    assert.equal(registry.tableSizes().entries, 0);
    system.shutdown();
  });

  it("a failed init leaves the via name free", async () => {
    const system = new System({ logger: null });
    const registry = new Registry(system, { keys: "unique" });
    const name = { via: registry, key: "fragile" };
    await assert.rejects(
      system.start(
        {
          init: () => {
            throw new Error("no");
          },
        },
        undefined,
        { name },
      ),
    );
    assert.equal(registry.whereisName("fragile"), undefined);
    assert.equal(registry.count(), 0);
    system.shutdown();
  });

  it("a duplicate-key registry cannot hold via names: start rejects with a TypeError", async () => {
    const system = new System({ logger: null });
    const registry = new Registry(system, { keys: "duplicate" });
    await assert.rejects(
      system.start(counter, 0, { name: { via: registry, key: "x" } }),
      TypeError,
    );
    assert.equal(system.processes().length, 0);
    system.shutdown();
  });

  it("a target that is neither a pid, a name nor { via, key } is a TypeError", () => {
    const system = new System({ logger: null });
    // @ts-expect-error: testing bad input from untyped callers
    assert.throws(() => system.cast({ key: "x" }, 1), TypeError);
    system.shutdown();
  });
});
