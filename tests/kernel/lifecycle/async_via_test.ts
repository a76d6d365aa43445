/**
 * A `{ via, key }` registry that registers asynchronously
 * (`src/kernel/lifecycle/start.ts`): its `registerName` returns a Promise;
 * the process exists meanwhile (addressable, its messages queue) and its
 * init runs once the answer is true; false refuses the start with
 * AlreadyStartedError, a rejection with its error, and nothing is left
 * behind; a process killed while it waits runs nothing later (and a
 * registration that succeeds after its death is undone). No NATS: an
 * in-memory registry answers when the test says.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AlreadyStartedError, ExitError } from "../../../src/errors.ts";
import { type GenServer, noreply, ok, reply } from "../../../src/gen_server.ts";
import type { Context } from "../../../src/context.ts";
import type { Pid } from "../../../src/pid.ts";
import type { ViaName, ViaRegistry } from "../../../src/options.ts";
import { System } from "../../../src/system.ts";
import { counter } from "../../schedulers/_actors.ts";

/** The behaviours the second scheduler loads (`tests/schedulers/_actors.ts`). */
const ACTORS = new URL(
  import.meta.url.endsWith(".ts") ? "../../schedulers/_actors.ts" : "../../schedulers/_actors.js",
  import.meta.url,
);

/** One registration waiting for the test's answer. */
interface Pending {
  readonly key: unknown;
  readonly pid: Pid;
  answer(ok: boolean): void;
  fail(error: unknown): void;
}

/** An in-memory registry whose `registerName` answers when the test says. */
class SlowRegistry implements ViaRegistry {
  readonly names = new Map<unknown, Pid>();
  readonly pending: Pending[] = [];
  readonly unregistered: [unknown, Pid][] = [];

  whereisName(key: unknown): Pid | undefined {
    return this.names.get(key);
  }

  registerName(key: unknown, pid: Pid): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({
        key,
        pid,
        answer: (yes) => {
          if (yes && !this.names.has(key)) {
            this.names.set(key, pid);
            resolve(true);
          } else resolve(false);
        },
        fail: reject,
      });
    });
  }

  unregisterName(key: unknown, pid: Pid): void {
    this.unregistered.push([key, pid]);
    if (this.names.get(key) === pid) this.names.delete(key);
  }

  /** Waits for the next registration to ask. */
  async next(): Promise<Pending> {
    for (let i = 0; i < 1000 && this.pending.length === 0; i++) await tick();
    const next = this.pending.shift();
    if (next === undefined) throw new Error("no registration came");
    return next;
  }
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

/** Records what it handles; init counts. */
function recorder(log: unknown[]): GenServer<null, string, string, string, string> {
  return {
    init: (arg) => {
      log.push(`init ${arg}`);
      return ok(null);
    },
    handleCall: (request, _from, state) => {
      log.push(`call ${request}`);
      return reply(`re ${request}`, state);
    },
    handleCast: (message, state) => {
      log.push(`cast ${message}`);
      return noreply(state);
    },
    terminate: (reason) => void log.push(`terminate ${String(reason)}`),
  };
}

/** Settles to "resolved" / the error, or "pending" after a few host turns. */
async function outcome(promise: Promise<unknown>): Promise<unknown> {
  let state: unknown = "pending";
  promise.then(() => state = "resolved", (error) => state = error);
  for (let i = 0; i < 5; i++) await tick();
  return state;
}

function fresh(): { system: System; registry: SlowRegistry; log: unknown[] } {
  return { system: new System(), registry: new SlowRegistry(), log: [] };
}

describe("start under a { via, key } name whose registry answers later", () => {
  it("true: init runs after the answer, and what was sent meanwhile comes after init", async () => {
    const { system, registry, log } = fresh();
    const name: ViaName = { via: registry, key: "k" };
    const started = system.start(recorder(log), "a", { name });
    const pending = await registry.next();
    assert.equal(await outcome(started), "pending");
    assert.deepEqual(log, []); // init waits
    const pid = pending.pid;
    assert.equal(system.isAlive(pid), true); // the process exists: addressable
    system.cast(pid, "early");
    const called = system.call(pid, "hello");
    await tick();
    assert.deepEqual(log, []);
    pending.answer(true);
    assert.equal(await started, pid);
    assert.equal(await called, "re hello");
    assert.deepEqual(log, ["init a", "cast early", "call hello"]);
    assert.equal(system.whereis("k"), undefined); // not a local name
    assert.equal(await system.call(name, "by name"), "re by name");
    await system.stop(pid);
    assert.deepEqual(registry.unregistered, [["k", pid]]);
    assert.equal(registry.whereisName("k"), undefined);
  });

  it("false: AlreadyStartedError, no process left, init never ran", async () => {
    const { system, registry, log } = fresh();
    const before = system.processes().length;
    const started = system.start(recorder(log), "a", { name: { via: registry, key: "k" } });
    const pending = await registry.next();
    registry.names.set("k", pending.pid); // someone else took it meanwhile (any pid will do)
    const other = await system.start(recorder([]), "other");
    registry.names.set("k", other);
    pending.answer(true); // taken: the registry says false
    await assert.rejects(started, (error: unknown) => {
      assert.ok(error instanceof AlreadyStartedError);
      assert.equal(error.pid, other);
      return true;
    });
    assert.equal(system.isAlive(pending.pid), false);
    assert.equal(system.processes().length, before + 1); // only `other`
    assert.deepEqual(log, []);
    assert.deepEqual(registry.unregistered, []); // the name was never its own
  });

  it("a rejection: the start rejects with that error, nothing left behind", async () => {
    const { system, registry, log } = fresh();
    const before = system.processes().length;
    const started = system.start(recorder(log), "a", { name: { via: registry, key: "k" } });
    const pending = await registry.next();
    const boom = new Error("registry down");
    pending.fail(boom);
    await assert.rejects(started, (error: unknown) => error === boom);
    assert.equal(system.isAlive(pending.pid), false);
    assert.equal(system.processes().length, before);
    assert.deepEqual(log, []);
  });

  it("killed while waiting: nothing runs later, and a late success is undone", async () => {
    const { system, registry, log } = fresh();
    const started = system.start(recorder(log), "a", { name: { via: registry, key: "k" } });
    const pending = await registry.next();
    const down = system.whenExited(pending.pid);
    system.exit(pending.pid, "kill");
    assert.equal(await down, "killed");
    await assert.rejects(started, (error: unknown) => error instanceof ExitError);
    pending.answer(true); // the registry registered the dead pid: the kernel unregisters it
    for (let i = 0; i < 5; i++) await tick();
    assert.deepEqual(log, []);
    assert.equal(registry.whereisName("k"), undefined);
    assert.equal(system.processes().length, 0);
  });

  it("a stop requested while waiting stops it after its init", async () => {
    const { system, registry, log } = fresh();
    const started = system.start(recorder(log), "a", { name: { via: registry, key: "k" } });
    const pending = await registry.next();
    const stopped = system.stop(pending.pid, "normal");
    await tick();
    pending.answer(true);
    assert.equal(await started, pending.pid);
    await stopped;
    assert.deepEqual(log, ["init a", "terminate normal"]);
    assert.equal(registry.whereisName("k"), undefined);
  });

  it("the init timeout covers the wait", async () => {
    const { system, registry, log } = fresh();
    const started = system.start(recorder(log), "a", {
      name: { via: registry, key: "k" },
      initTimeout: 20,
    });
    const pending = await registry.next(); // never answered in time
    await assert.rejects(started, (error: unknown) => {
      assert.ok(error instanceof ExitError);
      assert.equal(error.reason, "timeout");
      return true;
    });
    assert.equal(system.isAlive(pending.pid), false);
    pending.answer(true);
    await tick();
    assert.equal(registry.whereisName("k"), undefined);
    assert.deepEqual(log, []);
  });

  it("two starts of one key at once: one starts, the other is AlreadyStartedError", async () => {
    const { system, registry } = fresh();
    const name: ViaName = { via: registry, key: "k" };
    const first = system.start(recorder([]), "1", { name });
    const second = system.start(recorder([]), "2", { name });
    const a = await registry.next();
    const b = await registry.next();
    b.answer(true);
    a.answer(true);
    const results = await Promise.allSettled([first, second]);
    assert.equal(results[0].status, "rejected");
    assert.ok((results[0] as PromiseRejectedResult).reason instanceof AlreadyStartedError);
    assert.deepEqual(results[1], { status: "fulfilled", value: b.pid });
    assert.equal(system.processes().length, 1);
  });

  it("a linked start from a process: refused, the parent is told and lives on", async () => {
    const { system, registry } = fresh();
    const log: unknown[] = [];
    type Ask = (ctx: Context) => Promise<unknown>;
    const parent = await system.start<null, undefined, Ask, unknown>({
      init: () => ok(null),
      handleCall: async (ask, _from, state, ctx) => reply(await ask(ctx), state),
    });
    const name: ViaName = { via: registry, key: "k" };
    const asked = system.call(parent, async (ctx: Context) => {
      try {
        return await ctx.startLink(recorder(log), "child", { name });
      } catch (error) {
        return error;
      }
    });
    const pending = await registry.next();
    pending.answer(false);
    assert.ok(await asked instanceof AlreadyStartedError);
    assert.equal(system.isAlive(parent), true);
    assert.equal(system.isAlive(pending.pid), false);
    assert.deepEqual(log, []);

    // Accepted: the child is linked to its parent.
    const again = system.call(
      parent,
      (ctx: Context) => ctx.startLink(recorder(log), "x", { name }),
    );
    const yes = await registry.next();
    yes.answer(true);
    const child = await again as Pid;
    assert.equal(child, yes.pid);
    const childDown = system.whenExited(child);
    system.exit(parent, "kill");
    assert.equal(await childDown, "killed");
  });

  it("the parent dies while its child waits: the child dies, its init never runs", async () => {
    const { system, registry, log } = fresh();
    const parent = await system.start<null, undefined, string, unknown>({
      init: () => ok(null),
      handleCast: (_m, state, ctx) => {
        void ctx.startLink(recorder(log), "child", { name: { via: registry, key: "k" } });
        return noreply(state);
      },
    });
    system.cast(parent, "go");
    const pending = await registry.next();
    const childDown = system.whenExited(pending.pid);
    system.exit(parent, "kill");
    assert.equal(await childDown, "killed");
    pending.answer(true);
    for (let i = 0; i < 5; i++) await tick();
    assert.deepEqual(log, []);
    assert.equal(registry.whereisName("k"), undefined);
    assert.equal(system.processes().length, 0);
  });

  it("a manual system waits for the answer in runUntilIdle", async () => {
    const system = new System({ scheduling: "manual" });
    const registry = new SlowRegistry();
    const log: unknown[] = [];
    const started = system.start(recorder(log), "m", { name: { via: registry, key: "k" } });
    const pending = registry.pending.shift()!; // asked at once, inside start
    assert.ok(pending !== undefined);
    // runUntilIdle waits for the answer, as for a callback Promise in flight.
    const idle = system.runUntilIdle();
    await tick();
    assert.deepEqual(log, []);
    pending.answer(true);
    await idle;
    assert.equal(await started, pending.pid);
    assert.deepEqual(log, ["init m"]);
  });

  it("placed on another scheduler: named once the registry says yes, killed if it says no", async () => {
    const system = new System({ schedulers: 2, modules: [ACTORS], logger: null });
    try {
      await system.ready;
      const registry = new SlowRegistry();
      const name: ViaName = { via: registry, key: "room" };
      const started = system.start(counter, 5, { placement: { scheduler: 1 }, name });
      const yes = await registry.next();
      assert.equal(yes.pid.scheduler, 1);
      yes.answer(true);
      const pid = await started;
      assert.equal(pid, yes.pid);
      assert.equal(await system.call(name, "get"), 5);

      const refused = system.start(counter, 6, {
        placement: { scheduler: 1 },
        name: { via: registry, key: "other" },
      });
      const no = await registry.next();
      const gone = system.whenExited(no.pid);
      no.answer(false);
      await assert.rejects(refused, AlreadyStartedError);
      // Killed ("noproc" when the kill overtook the monitor across the threads).
      assert.ok(["killed", "noproc"].includes(await gone as string));

      const failing = system.start(counter, 7, {
        placement: { scheduler: 1 },
        name: { via: registry, key: "third" },
      });
      const fails = await registry.next();
      const killed = system.whenExited(fails.pid);
      const boom = new Error("registry down");
      fails.fail(boom);
      await assert.rejects(failing, (error: unknown) => error === boom);
      assert.ok(["killed", "noproc"].includes(await killed as string));
    } finally {
      system.shutdown();
    }
  });

  it("a registry answering synchronously is unchanged (true, false)", async () => {
    const system = new System();
    const names = new Map<unknown, Pid>();
    const sync: ViaRegistry = {
      whereisName: (key) => names.get(key),
      registerName: (key, pid) => names.has(key) ? false : (names.set(key, pid), true),
      unregisterName: (key, pid) => void (names.get(key) === pid && names.delete(key)),
    };
    const pid = await system.start(recorder([]), "s", { name: { via: sync, key: "k" } });
    assert.equal(names.get("k"), pid);
    await assert.rejects(
      system.start(recorder([]), "t", { name: { via: sync, key: "k" } }),
      AlreadyStartedError,
    );
  });
});
