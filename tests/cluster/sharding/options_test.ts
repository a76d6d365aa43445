/**
 * A sharding's options and its entity wrapper, without a cluster: the
 * defaults; bad options and hostile objects refused with a TypeError or
 * RangeError naming the option; keys checked; the entity answers its
 * region's hand-off request with `handoff.begin(state, key)` after the
 * messages it already had, then stops, and passes every other call through.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { noreply, ok, reply, System } from "../../../mod.ts";
import { checkKey, shardingSettings } from "../../../src/cluster/sharding/_options.ts";
import {
  entityServer,
  type HandoffAnswer,
  HandoffRequest,
  PassivateRequest,
} from "../../../src/cluster/sharding/_entity.ts";
import type { EntityInit } from "../../../src/cluster/sharding/options.ts";

const entity = {
  init: ({ handoff }: EntityInit) => ok((handoff as number | undefined) ?? 0),
  handleCall: (_request: "get", _from: unknown, n: number) => reply(n, n),
  handleCast: (add: number, n: number) => noreply(n + add),
};

describe("Sharding options", () => {
  it("fills the defaults", () => {
    const settings = shardingSettings({ name: "carts", entity });
    assert.equal(settings.shards, 64);
    assert.equal(settings.handoffTimeoutMs, 5000);
    assert.equal(settings.passivateAfterMs, Infinity);
    assert.equal(settings.callTimeoutMs, 5000);
    assert.equal(settings.begin(7, "k"), 7);
  });

  it("refuses bad options naming the option, and hostile objects with a TypeError", () => {
    const hostile = new Proxy({}, {
      get() {
        throw new Error("boom");
      },
    });
    const bad: [unknown, ErrorConstructor, RegExp][] = [
      [undefined, TypeError, /options must be an object/],
      [hostile, TypeError, /options\.name cannot be read/],
      [{ name: "carts", entity: hostile }, TypeError, /options\.entity\.init cannot be read/],
      [{ name: "carts", entity: { ...entity, handleCall: 1 } }, TypeError, /handleCall/],
      [{ name: "carts", entity, shards: 1.5 }, RangeError, /options\.shards/],
      [{ name: "carts", entity, handoff: 1 }, TypeError, /options\.handoff/],
      [{ name: "carts", entity, passivateAfterMs: "1" }, TypeError, /passivateAfterMs/],
      [{ name: "carts", entity, handoffTimeoutMs: Infinity }, RangeError, /handoffTimeoutMs/],
    ];
    for (const [options, type, message] of bad) {
      assert.throws(() => shardingSettings(options), (error: Error) => {
        assert.ok(error instanceof type, `${error.name}: ${error.message}`);
        assert.match(error.message, message);
        return true;
      });
    }
    assert.equal(
      shardingSettings({ name: "carts", entity, passivateAfterMs: Infinity }).passivateAfterMs,
      Infinity,
    );
  });

  it("takes string and number keys only", () => {
    assert.equal(checkKey("call", "k"), "k");
    assert.equal(checkKey("call", 3), 3);
    for (const key of [NaN, null, undefined, {}, [], Symbol(), 1n]) {
      assert.throws(() => checkKey("call", key), TypeError);
    }
  });
});

describe("the entity wrapper", () => {
  it("hands off after the messages it had, then stops; passes other calls through", async () => {
    const system = new System({ logger: null });
    try {
      const settings = shardingSettings({
        name: "counters",
        entity,
        handoff: { begin: (state: number, key: unknown) => ({ state, key }) },
      });
      const server = entityServer(settings.entity, settings.begin);
      const pid = await system.start(server, { key: "k", handoff: 5 });
      assert.equal(await system.call(pid, "get"), 5);
      system.cast(pid, 2);
      const exited = system.whenExited(pid);
      const answer = await system.call(pid, new HandoffRequest("k")) as HandoffAnswer;
      assert.deepEqual(answer, { ok: true, value: { state: 7, key: "k" } });
      assert.equal(await exited, "normal");
      const other = await system.start(server, { key: "j", handoff: undefined });
      const passivated = system.whenExited(other);
      assert.equal(await system.call(other, new PassivateRequest()), true);
      assert.equal(await passivated, "normal");
    } finally {
      system.shutdown();
    }
  });

  it("answers a throwing handoff.begin with its error, and still stops", async () => {
    const system = new System({ logger: null });
    try {
      const settings = shardingSettings({
        name: "counters",
        entity,
        handoff: {
          begin: () => {
            throw new RangeError("no");
          },
        },
      });
      const pid = await system.start(entityServer(settings.entity, settings.begin), {
        key: 1,
        handoff: undefined,
      });
      const exited = system.whenExited(pid);
      const answer = await system.call(pid, new HandoffRequest(1)) as HandoffAnswer;
      assert.equal(answer.ok, false);
      assert.ok(!answer.ok && answer.error instanceof RangeError);
      assert.equal(await exited, "normal");
    } finally {
      system.shutdown();
    }
  });
});
