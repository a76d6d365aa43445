/**
 * getState: the raw state of a live process, as :sys.get_state/1 — by pid,
 * name or { via, key }; NoProcError for a dead or unknown one.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { NoProcError } from "../../src/errors.ts";
import { type GenServer, noreply, ok, reply } from "../../src/gen_server.ts";
import { getState } from "../../src/introspection/mod.ts";
import { Registry } from "../../src/registry/registry.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";
import { counter } from "./_fixtures.ts";

/** A server whose state holds a secret it redacts for inspection. */
const vault: GenServer<{ token: string; uses: number }, string> = {
  init: (token) => ok({ token, uses: 0 }),
  handleCast: (_message, state) => noreply({ ...state, uses: state.uses + 1 }),
  formatStatus: (state) => ({ token: "[redacted]", uses: state.uses }),
};

describe("getState", () => {
  it("is the state itself, after the last finished callback, by pid, name and via", async () => {
    const t = createTestSystem();
    const registry = new Registry(t.system, { keys: "unique" });
    const pid = await t.start(counter, undefined, { name: "counter" });
    assert.equal(getState(t.system, pid), 0);
    t.system.cast(pid, "hit");
    t.system.cast(pid, "hit");
    await t.runUntilIdle();
    assert.equal(getState(t.system, "counter"), 2);
    const state = { items: [1, 2] };
    const holder = await t.start({ init: () => ok(state) }, undefined, {
      name: { via: registry, key: "holder" },
    });
    assert.equal(getState(t.system, { via: registry, key: "holder" }), state); // the same object
    assert.equal(getState(t.system, holder), state);
    t.dispose();
  });

  it("ignores formatStatus: the raw state, secrets included", async () => {
    const t = createTestSystem();
    const pid = await t.start(vault, "s3cr3t");
    t.system.cast(pid, "use");
    await t.runUntilIdle();
    assert.deepEqual(getState(t.system, pid), { token: "s3cr3t", uses: 1 });
    assert.deepEqual(t.system.formatState(pid), { token: "[redacted]", uses: 1 });
    t.dispose();
  });

  it("is the state before an async callback that has not returned yet", async () => {
    const t = createTestSystem();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: GenServer<number> = {
      init: () => ok(1),
      handleCall: async (_request, _from, n) => {
        await gate;
        return reply(n, n + 1);
      },
    };
    const pid = await t.start(slow);
    const answer = t.system.call(pid, "bump");
    await t.runUntilIdle();
    assert.equal(t.system.processInfo(pid)?.currentCallback, "handleCall");
    assert.equal(getState(t.system, pid), 1);
    release();
    for (let i = 0; i < 5; i++) await t.runUntilIdle();
    assert.equal(await answer, 1);
    assert.equal(getState(t.system, pid), 2);
    t.dispose();
  });

  it("is undefined while init has not returned", async () => {
    const t = createTestSystem();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const starting = t.system.start(
      {
        init: async () => {
          await gate;
          return ok("ready");
        },
      },
      undefined,
      { name: "late" },
    );
    await t.runUntilIdle();
    assert.equal(getState(t.system, "late"), undefined);
    release();
    const pid = await starting;
    assert.equal(getState(t.system, pid!), "ready");
    t.dispose();
  });

  it("throws NoProcError for a dead pid, an unknown name or via key; TypeError for a non-target", async () => {
    const t = createTestSystem();
    const registry = new Registry(t.system, { keys: "unique" });
    const pid = await t.start(counter);
    t.system.exit(pid, "kill");
    await t.runUntilIdle();
    assert.throws(
      () => getState(t.system, pid),
      (error: unknown) => error instanceof NoProcError && error.pid === pid,
    );
    assert.throws(() => getState(t.system, "nobody"), NoProcError);
    assert.throws(() => getState(t.system, { via: registry, key: "nobody" }), NoProcError);
    for (const bad of [42, null, undefined, {}, [pid]]) {
      assert.throws(() => getState(t.system, bad as never), TypeError);
    }
    assert.throws(() => getState({} as never, pid), TypeError);
    t.dispose();
  });
});
