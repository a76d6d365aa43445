/**
 * The registry: unique and duplicate keys, errors that leave it unchanged,
 * entries that vanish when their process exits (kill, normal stop, crash),
 * events in order, listener failures isolated, no monitor left behind — and a
 * property: random start/register/unregister/kill sequences agree with a model.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { NoProcError } from "../../src/errors.ts";
import { ok } from "../../src/gen_server.ts";
import type { Pid } from "../../src/pid.ts";
import { System } from "../../src/system.ts";
import {
  AlreadyRegisteredError,
  type KeysMode,
  Registry,
  type RegistryEntry,
} from "../../src/registry/mod.ts";
import { probe } from "../_helpers.ts";

const idle = { init: () => ok(null) };

function setup(keys: KeysMode = "unique", name?: string): { system: System; registry: Registry } {
  const system = new System({ logger: null });
  return { system, registry: new Registry(system, { keys, name }) };
}

/** Lets the DOWN callbacks (microtasks) of exits that already happened run. */
async function settle(system: System): Promise<void> {
  await system.runUntilIdle();
  await Promise.resolve();
  await Promise.resolve();
}

function snapshot(registry: Registry): unknown {
  return { all: registry.select(() => true), sizes: registry.tableSizes() };
}

function assertEmpty(system: System, registry: Registry): void {
  const { entries, keys, pids } = registry.tableSizes();
  assert.deepEqual({ entries, keys, pids }, { entries: 0, keys: 0, pids: 0 });
  assert.equal(system.tableSizes().monitors, 0, "monitors left behind");
}

describe("Registry: construction", () => {
  it("rejects a bad keys mode, name or system with TypeError", () => {
    const system = new System({ logger: null });
    // deno-lint-ignore no-explicit-any
    const bad = (options: any) => () => new Registry(system, options);
    assert.throws(
      bad({ keys: "unqiue" }),
      (e) => e instanceof TypeError && /"unqiue"/.test(e.message),
    );
    assert.throws(bad({}), TypeError);
    assert.throws(bad(undefined), TypeError);
    assert.throws(bad({ keys: "unique", name: 7 }), TypeError);
    // deno-lint-ignore no-explicit-any
    assert.throws(() => new Registry({} as any, { keys: "unique" }), TypeError);
    const registry = new Registry(system, { keys: "duplicate", name: "topics" });
    assert.equal(registry.mode, "duplicate");
    assert.equal(registry.name, "topics");
    system.shutdown();
  });

  it("rejects a non-Pid and non-function arguments with TypeError", async () => {
    const { system, registry } = setup();
    // deno-lint-ignore no-explicit-any
    const anyRegistry = registry as any;
    assert.throws(() => anyRegistry.register("pid", "k"), TypeError);
    assert.throws(() => anyRegistry.unregister({ serial: 1 }, "k"), TypeError);
    assert.throws(() => anyRegistry.keys(1), TypeError);
    assert.throws(() => anyRegistry.select("all"), TypeError);
    assert.throws(() => anyRegistry.match("k", null), TypeError);
    assert.throws(() => anyRegistry.dispatch("k"), TypeError);
    assert.throws(() => anyRegistry.onRegister(1), TypeError);
    assert.equal(registry.count(), 0);
    await settle(system);
    system.shutdown();
  });
});

describe("Registry: unique keys", () => {
  it("registers, looks up, lists keys and values, unregisters", async () => {
    const { system, registry } = setup();
    const a = await system.start(idle);
    registry.register(a, "cache", { shard: 1 });
    registry.register(a, "leader");
    assert.deepEqual(registry.lookup("cache"), [{ pid: a, value: { shard: 1 } }]);
    assert.deepEqual(registry.lookup("leader"), [{ pid: a, value: undefined }]);
    assert.deepEqual(registry.keys(a), ["cache", "leader"]);
    assert.deepEqual(registry.values("cache", a), [{ shard: 1 }]);
    assert.equal(registry.count(), 2);
    assert.equal(registry.unregister(a, "cache"), 1);
    assert.equal(registry.unregister(a, "cache"), 0);
    assert.deepEqual(registry.lookup("cache"), []);
    assert.deepEqual(registry.keys(a), ["leader"]);
    system.shutdown();
  });

  it("a taken key throws AlreadyRegisteredError with key and holder, and changes nothing", async () => {
    const { system, registry } = setup("unique", "sessions");
    const a = await system.start(idle);
    const b = await system.start(idle);
    registry.register(a, "user:1", "a");
    const events: unknown[] = [];
    registry.onRegister((event) => events.push(event));
    const before = snapshot(registry);
    const monitors = system.tableSizes().monitors;
    assert.throws(
      () => registry.register(b, "user:1", "b"),
      (error) =>
        error instanceof AlreadyRegisteredError && error.key === "user:1" && error.pid === a &&
        error.registry === "sessions" && error.name === "AlreadyRegisteredError",
    );
    // The same process asking twice is refused too (Elixir: {:already_registered, self}).
    assert.throws(() => registry.register(a, "user:1"), AlreadyRegisteredError);
    assert.deepEqual(snapshot(registry), before);
    assert.equal(system.tableSizes().monitors, monitors, "no monitor taken for b");
    assert.deepEqual(registry.keys(b), []);
    assert.deepEqual(events, []);
    system.shutdown();
  });

  it("a key held by a process that just died can be taken at once", async () => {
    const { system, registry } = setup();
    const a = await system.start(idle);
    const b = await system.start(idle);
    const left: unknown[] = [];
    registry.onUnregister(({ pid, reason }) => left.push([pid, reason]));
    registry.register(a, "leader");
    system.exit(a, "kill"); // the DOWN callback has not run yet
    assert.deepEqual(registry.lookup("leader"), [], "lookup skips the dead holder");
    registry.register(b, "leader");
    assert.deepEqual(registry.lookup("leader"), [{ pid: b, value: undefined }]);
    await settle(system);
    assert.deepEqual(left, [[a, "exit"]], "one exit event, not two");
    assert.deepEqual(registry.lookup("leader"), [{ pid: b, value: undefined }]);
    system.shutdown();
    await settle(system);
    assertEmpty(system, registry);
  });
});

describe("Registry: duplicate keys", () => {
  it("holds many processes per key, and the same pid+key more than once", async () => {
    const { system, registry } = setup("duplicate");
    const a = await system.start(idle);
    const b = await system.start(idle);
    registry.register(a, "room", "a1");
    registry.register(b, "room", "b1");
    registry.register(a, "room", "a2");
    assert.deepEqual(registry.lookup("room"), [
      { pid: a, value: "a1" },
      { pid: b, value: "b1" },
      { pid: a, value: "a2" },
    ]);
    assert.deepEqual(registry.keys(a), ["room", "room"]);
    assert.deepEqual(registry.values("room", a), ["a1", "a2"]);
    assert.equal(registry.countMatch("room"), 3);
    assert.equal(registry.countMatch("room", (v) => String(v).startsWith("a")), 2);
    assert.deepEqual(registry.match("room", (v) => v === "b1"), [{ pid: b, value: "b1" }]);
    assert.equal(registry.unregister(a, "room"), 2, "unregister removes every entry of pid+key");
    assert.deepEqual(registry.lookup("room"), [{ pid: b, value: "b1" }]);
    system.shutdown();
  });

  it("dispatch calls its function once with every entry, and not at all for none", async () => {
    const { system, registry } = setup("duplicate");
    const a = await system.start(idle);
    const b = await system.start(idle);
    registry.register(a, "news", 1);
    registry.register(b, "news", 2);
    const calls: RegistryEntry[][] = [];
    assert.equal(registry.dispatch("news", (entries) => calls.push(entries)), true);
    assert.equal(registry.dispatch("sports", (entries) => calls.push(entries)), false);
    assert.deepEqual(calls, [[{ pid: a, value: 1 }, { pid: b, value: 2 }]]);
    system.shutdown();
  });

  it("select filters over key, pid and value; results are copies", async () => {
    const { system, registry } = setup("duplicate");
    const a = await system.start(idle);
    const b = await system.start(idle);
    registry.register(a, "user:1", 10);
    registry.register(b, "user:2", 20);
    registry.register(b, "admin:1", 30);
    const users = registry.select(({ key }) => String(key).startsWith("user:"));
    assert.deepEqual(users, [
      { key: "user:1", pid: a, value: 10 },
      { key: "user:2", pid: b, value: 20 },
    ]);
    assert.deepEqual(registry.select(({ pid }) => pid === b).map((e) => e.key), [
      "user:2",
      "admin:1",
    ]);
    (users[0] as { value: unknown }).value = 99;
    assert.deepEqual(registry.lookup("user:1"), [{ pid: a, value: 10 }]);
    system.shutdown();
  });
});

describe("Registry: keys compare with SameValueZero", () => {
  it("NaN finds NaN, -0 finds 0, objects compare by identity", async () => {
    const { system, registry } = setup();
    const a = await system.start(idle);
    const objectKey = { id: 1 };
    registry.register(a, NaN, "nan");
    registry.register(a, 0, "zero");
    registry.register(a, objectKey, "object");
    assert.deepEqual(registry.lookup(NaN), [{ pid: a, value: "nan" }]);
    assert.deepEqual(registry.lookup(-0), [{ pid: a, value: "zero" }]);
    assert.deepEqual(registry.lookup(objectKey), [{ pid: a, value: "object" }]);
    assert.deepEqual(registry.lookup({ id: 1 }), [], "an equal-looking object is another key");
    assert.equal(registry.unregister(a, NaN), 1);
    system.shutdown();
  });
});

describe("Registry: dead processes", () => {
  it("registering a dead pid, or another system's pid, throws NoProcError and changes nothing", async () => {
    const { system, registry } = setup();
    const other = new System({ logger: null });
    const a = await system.start(idle);
    await system.stop(a);
    const foreign = await other.start(idle);
    const monitors = system.tableSizes().monitors;
    assert.throws(
      () => registry.register(a, "k"),
      (e) => e instanceof NoProcError && e.target === String(a),
    );
    assert.throws(() => registry.register(foreign, "k"), NoProcError);
    assert.deepEqual(registry.tableSizes(), { entries: 0, keys: 0, pids: 0, listeners: 0 });
    assert.equal(system.tableSizes().monitors, monitors);
    system.shutdown();
    other.shutdown();
  });

  for (
    const [how, end] of [
      ["kill", (system: System, pid: Pid) => system.exit(pid, "kill")],
      ["normal stop", (system: System, pid: Pid) => void system.stop(pid)],
      ["crash", (system: System, pid: Pid) =>
        void system.cast(pid, () => {
          throw new Error("boom");
        })],
    ] as const
  ) {
    it(`entries vanish when the process exits (${how})`, async () => {
      const { system, registry } = setup("duplicate");
      const a = await system.start(probe, undefined);
      const b = await system.start(probe, undefined);
      registry.register(a, "k", 1);
      registry.register(a, "j", 2);
      registry.register(b, "k", 3);
      end(system, a);
      await system.whenExited(a);
      await Promise.resolve();
      assert.deepEqual(registry.lookup("k"), [{ pid: b, value: 3 }]);
      assert.deepEqual(registry.lookup("j"), []);
      assert.deepEqual(registry.keys(a), []);
      assert.equal(registry.count(), 1);
      assert.deepEqual(registry.tableSizes(), { entries: 1, keys: 1, pids: 1, listeners: 0 });
      system.shutdown();
      await settle(system);
      assertEmpty(system, registry);
    });
  }
});

describe("Registry: events", () => {
  it("fire in order on register, unregister and exit; unsubscribe stops them", async () => {
    const { system, registry } = setup("duplicate", "topics");
    const a = await system.start(idle);
    const b = await system.start(idle);
    const log: unknown[] = [];
    const offRegister = registry.onRegister(({ registry: name, key, pid, value }) =>
      log.push(["register", name, key, pid, value])
    );
    registry.onUnregister(({ key, pid, value, reason }) => log.push([reason, key, pid, value]));
    registry.register(a, "x", 1);
    registry.register(b, "x", 2);
    registry.register(b, "y", 3);
    registry.unregister(a, "x");
    system.exit(b, "kill");
    await settle(system);
    offRegister();
    registry.register(a, "z", 4);
    assert.deepEqual(log, [
      ["register", "topics", "x", a, 1],
      ["register", "topics", "x", b, 2],
      ["register", "topics", "y", b, 3],
      ["unregister", "x", a, 1],
      ["exit", "x", b, 2],
      ["exit", "y", b, 3],
    ]);
    system.shutdown();
  });

  it("a throwing listener is reported and neither breaks the registry nor the other listeners", async () => {
    const system = new System({ logger: null });
    const failures: unknown[] = [];
    const registry = new Registry(system, {
      keys: "unique",
      onListenerError: (error, event) => failures.push([(error as Error).message, event.key]),
    });
    const seen: unknown[] = [];
    registry.onRegister(() => {
      throw new Error("listener 1");
    });
    registry.onRegister(({ key }) => seen.push(key));
    registry.onUnregister(() => {
      throw new Error("listener 3");
    });
    const a = await system.start(idle);
    registry.register(a, "k");
    assert.deepEqual(registry.lookup("k"), [{ pid: a, value: undefined }]);
    system.exit(a, "kill");
    await settle(system);
    assert.deepEqual(seen, ["k"]);
    assert.deepEqual(failures, [["listener 1", "k"], ["listener 3", "k"]]);
    assertEmpty(system, registry);
    system.shutdown();
  });
});

describe("Registry: monitors", () => {
  it("one monitor per registered pid, removed with its last key", async () => {
    const { system, registry } = setup("duplicate");
    const a = await system.start(idle);
    const base = system.tableSizes().monitors;
    registry.register(a, "x");
    // tableSizes() counts an outside monitor on both of its ends (its target's
    // monitoredBy and the system's external table): measure it rather than assume 1.
    const one = system.tableSizes().monitors;
    assert.ok(one > base);
    registry.register(a, "y");
    registry.register(a, "y");
    assert.equal(system.tableSizes().monitors, one, "still one monitor for a");
    registry.unregister(a, "x");
    assert.equal(system.tableSizes().monitors, one);
    registry.unregister(a, "y");
    assert.equal(system.tableSizes().monitors, base);
    assertEmpty(system, registry);
    // Re-registering after a full unregister monitors again, and a stale DOWN does nothing.
    registry.register(a, "x");
    system.exit(a, "kill");
    await settle(system);
    assertEmpty(system, registry);
    system.shutdown();
  });
});

// ---- the property ---------------------------------------------------------------------

type Step =
  | { op: "start" }
  | { op: "register"; p: number; k: number; v: number }
  | { op: "unregister"; p: number; k: number }
  | { op: "kill"; p: number; settle: boolean };

const KEYS = ["a", "b", 0];

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ op: "start" }),
  fc.record({ op: fc.constant("register" as const), p: fc.nat(3), k: fc.nat(2), v: fc.nat(9) }),
  fc.record({ op: fc.constant("unregister" as const), p: fc.nat(3), k: fc.nat(2) }),
  fc.record({ op: fc.constant("kill" as const), p: fc.nat(3), settle: fc.boolean() }),
);

interface ModelEntry {
  pid: Pid;
  key: unknown;
  value: number;
}

describe("Registry: property", () => {
  it("lookups never return a dead process and agree with a model", {
    timeout: 120_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<KeysMode>("unique", "duplicate"),
        fc.array(step, { maxLength: 40 }),
        async (mode, steps) => {
          const { system, registry } = setup(mode);
          const pids: Pid[] = [];
          const alive = new Set<Pid>();
          let model: ModelEntry[] = [];
          let events = 0;
          let exits = 0;
          registry.onRegister(() => events++);
          registry.onUnregister(({ reason }) => {
            events--;
            if (reason === "exit") exits++;
          });
          try {
            for (const s of steps) {
              if (s.op === "start") {
                const pid = await system.start(idle);
                pids.push(pid);
                alive.add(pid);
              } else if (pids.length > 0) {
                const pid = pids[s.p % pids.length];
                if (s.op === "register") {
                  const key = KEYS[s.k];
                  const holder = model.find((e) => e.key === key);
                  if (!alive.has(pid)) {
                    assert.throws(() => registry.register(pid, key, s.v), NoProcError);
                  } else if (mode === "unique" && holder) {
                    assert.throws(
                      () => registry.register(pid, key, s.v),
                      (e) => e instanceof AlreadyRegisteredError && e.pid === holder.pid,
                    );
                  } else {
                    registry.register(pid, key, s.v);
                    model.push({ pid, key, value: s.v });
                  }
                } else if (s.op === "unregister") {
                  const key = KEYS[s.k];
                  const removed = registry.unregister(pid, key);
                  const expected = model.filter((e) => e.pid === pid && e.key === key).length;
                  if (alive.has(pid)) assert.equal(removed, expected);
                  model = model.filter((e) => !(e.pid === pid && e.key === key));
                } else {
                  system.exit(pid, "kill");
                  alive.delete(pid);
                  model = model.filter((e) => e.pid !== pid);
                  if (s.settle) await settle(system);
                }
              }
              for (const key of KEYS) {
                const found = registry.lookup(key);
                for (const { pid } of found) {
                  assert.ok(system.isAlive(pid), "lookup returned a dead pid");
                }
                const expected = model.filter((e) => e.key === key).map(({ pid, value }) => ({
                  pid,
                  value,
                }));
                assert.deepEqual(found, expected);
              }
              for (const pid of pids) {
                assert.deepEqual(
                  registry.keys(pid),
                  model.filter((e) => e.pid === pid).map((e) => e.key),
                );
              }
              assert.equal(registry.count(), model.length);
            }
            await settle(system);
            // Every exit was processed: the tables hold exactly the model, and events balance.
            assert.equal(registry.tableSizes().entries, model.length);
            assert.equal(events, model.length);
            system.shutdown();
            await settle(system);
            assertEmpty(system, registry);
            assert.equal(events, 0, "every registration got its unregister event");
            assert.ok(exits >= 0);
          } finally {
            system.shutdown();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
