/**
 * PartitionSupervisor: N children under a one_for_one supervisor, keys
 * routed by a keyed hash — deterministic under a fixed secret, even, sticky
 * across calls, and repointed after a restart.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { noreply, ok, reply } from "../../src/gen_server.ts";
import { NoProcError } from "../../src/errors.ts";
import type { Pid } from "../../src/pid.ts";
import { System } from "../../src/system.ts";
import { PartitionSupervisor } from "../../src/supervisor/partition_supervisor.ts";
import { assertNothingLeft, sleep } from "../_helpers.ts";

const SECRET = Uint8Array.from({ length: 16 }, (_, i) => i);

interface Counter {
  partition: number;
  count: number;
}

/** A counter per partition: cast increments, call reads. */
const counter = {
  init: (partition: number) => ok<Counter>({ partition, count: 0 }),
  handleCast: (_request: "inc", state: Counter) => noreply({ ...state, count: state.count + 1 }),
  handleCall: (_request: "get", _from: unknown, state: Counter) => reply(state, state),
};

function start(system: System, partitions: number, extra: Record<string, unknown> = {}) {
  return PartitionSupervisor.start(system, {
    child: { server: counter, arg: (i: number) => i },
    partitions,
    secret: SECRET,
    ...extra,
  });
}

/** Waits (real time, bounded) until `check` holds. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await sleep(1);
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe("PartitionSupervisor", () => {
  it("starts N children with ids partition-<i> and per-partition init args", async () => {
    for (const n of [1, 3, 7]) {
      const system = new System({ logger: null });
      const sup = await start(system, n, { name: "parts" });
      assert.equal(sup.partitions, n);
      assert.equal(sup.name, "parts");
      assert.equal(system.whereis("parts"), sup.pid);
      const children = await sup.whichChildren();
      assert.deepEqual(
        children.map((c) => c.id),
        Array.from({ length: n }, (_, i) => `partition-${i}`),
      );
      assert.ok(children.every((c) => c.pid !== undefined));
      assert.equal(new Set(children.map((c) => String(c.pid))).size, n);
      assert.deepEqual(await sup.countChildren(), {
        specs: n,
        active: n,
        supervisors: 0,
        workers: n,
      });
      for (const [i, child] of children.entries()) {
        const state = await system.call<Counter>(child.pid!, "get");
        assert.equal(state.partition, i);
      }
      await sup.stop();
      assertNothingLeft(system);
      system.shutdown();
    }
  });

  it("a non-function arg is given to every partition as is", async () => {
    const system = new System({ logger: null });
    const sup = await PartitionSupervisor.start(system, {
      child: { server: counter, arg: 42 },
      partitions: 3,
    });
    for (const child of await sup.whichChildren()) {
      assert.equal((await system.call<Counter>(child.pid!, "get")).partition, 42);
    }
    await sup.stop();
    system.shutdown();
  });

  it("routes deterministically under a fixed secret, to the child of whichPartition", async () => {
    const system = new System({ logger: null });
    const a = await start(system, 8);
    const b = await start(system, 8);
    const children = await a.whichChildren();
    for (let k = 0; k < 500; k++) {
      const key = `key-${k}`;
      const index = a.whichPartition(key);
      assert.ok(index >= 0 && index < 8);
      assert.equal(b.whichPartition(key), index);
      assert.equal(a.pidFor(key), children[index].pid);
    }
    assert.equal(a.whichPartition(7), b.whichPartition(7));
    assert.equal(
      a.whichPartition(new Uint8Array([1, 2])),
      b.whichPartition(new Uint8Array([1, 2])),
    );
    assert.throws(() => a.whichPartition({} as unknown as string), TypeError);
    await a.stop();
    await b.stop();
    assertNothingLeft(system);
    system.shutdown();
  });

  it("spreads 10 000 keys over 16 partitions within a few percent of even", async () => {
    const system = new System({ logger: null });
    const sup = await start(system, 16);
    const perPid = new Map<Pid, number>();
    const perPartition = new Array(16).fill(0);
    for (let k = 0; k < 10_000; k++) {
      const key = `user:${k}`;
      perPartition[sup.whichPartition(key)]++;
      const pid = sup.pidFor(key)!;
      perPid.set(pid, (perPid.get(pid) ?? 0) + 1);
    }
    assert.equal(perPid.size, 16);
    assert.deepEqual([...perPid.values()].sort(), [...perPartition].sort());
    const mean = 10_000 / 16;
    const worst = Math.max(...perPartition.map((n) => Math.abs(n - mean) / mean));
    // Binomial σ ≈ 3.9% of the mean here; the fixed secret gives a fixed, checked spread.
    assert.ok(worst < 0.12, `worst deviation ${(worst * 100).toFixed(1)}%: ${perPartition}`);
    await sup.stop();
    system.shutdown();
  });

  it("the same key always reaches the same child and its state", async () => {
    const system = new System({ logger: null });
    const sup = await start(system, 4);
    const keys = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];
    const expected = new Array(4).fill(0);
    for (let round = 0; round < 5; round++) {
      for (const key of keys) {
        assert.equal(sup.cast(key, "inc"), "ok");
        expected[sup.whichPartition(key)]++;
      }
    }
    for (const key of keys) {
      const state = await sup.call<Counter>(key, "get");
      assert.equal(state.partition, sup.whichPartition(key));
      assert.equal(state.count, expected[state.partition]);
    }
    await sup.stop();
    assertNothingLeft(system);
    system.shutdown();
  });

  it("send reaches the partition's handleInfo", async () => {
    const system = new System({ logger: null });
    const seen: [number, unknown][] = [];
    const sup = await PartitionSupervisor.start(system, {
      child: {
        server: {
          init: (i: number) => ok(i),
          handleInfo: (message: unknown, i: number) => {
            seen.push([i, message]);
            return noreply(i);
          },
          handleCall: (_r: unknown, _f: unknown, i: number) => reply(i, i),
        },
        arg: (i: number) => i,
      },
      partitions: 5,
      secret: SECRET,
    });
    assert.equal(sup.send("k1", "hello"), "ok");
    await sup.call("k1", "sync");
    assert.deepEqual(seen, [[sup.whichPartition("k1"), "hello"]]);
    await sup.stop();
    system.shutdown();
  });

  it("restarts a crashed partition: pidFor gives the new pid, others keep their state", async () => {
    const system = new System({ logger: null });
    const sup = await start(system, 4);
    // One key per partition.
    const keyOf: string[] = [];
    for (let k = 0; keyOf.filter(Boolean).length < 4; k++) {
      keyOf[sup.whichPartition(`k${k}`)] ??= `k${k}`;
    }
    for (const key of keyOf) for (let n = 0; n < 3; n++) sup.cast(key, "inc");
    for (const key of keyOf) assert.equal((await sup.call<Counter>(key, "get")).count, 3);

    const victim = keyOf[2];
    const old = sup.pidFor(victim)!;
    system.exit(old, "kill");
    await until(() => sup.pidFor(victim) !== undefined && sup.pidFor(victim) !== old, "restart");
    const fresh = sup.pidFor(victim)!;
    assert.notEqual(fresh, old);
    assert.equal(system.isAlive(old), false);
    const children = await sup.whichChildren();
    assert.equal(children[2].pid, fresh);
    assert.deepEqual(await sup.call<Counter>(victim, "get"), { partition: 2, count: 0 });
    for (const [i, key] of keyOf.entries()) {
      if (i !== 2) assert.equal((await sup.call<Counter>(key, "get")).count, 3);
    }
    await sup.stop();
    assertNothingLeft(system);
    system.shutdown();
  });

  it("a partition that is down: call rejects with NoProcError, cast/send say noproc", async () => {
    const system = new System({ logger: null });
    const sup = await start(system, 2);
    await sup.stop();
    assert.equal(sup.pidFor("x"), undefined);
    assert.equal(sup.cast("x", "inc"), "noproc");
    assert.equal(sup.send("x", "hi"), "noproc");
    await assert.rejects(sup.call("x", "get"), NoProcError);
    await assert.rejects(sup.stop(), NoProcError);
    assertNothingLeft(system);
    system.shutdown();
  });

  it("refuses bad options with TypeError / RangeError", async () => {
    const system = new System({ logger: null });
    const child = { server: counter };
    const bad: [unknown, ErrorConstructor][] = [
      [undefined, TypeError],
      [{}, TypeError],
      [{ child: { server: {} } }, TypeError],
      [{ child: { server: counter, options: { name: "x" } } }, TypeError],
      [{ child, partitions: 0 }, RangeError],
      [{ child, partitions: 2.5 }, RangeError],
      [{ child, partitions: -1 }, RangeError],
      [{ child, partitions: 2 ** 21 + 1 }, RangeError],
      [{ child, partitions: "4" }, TypeError],
      [{ child, name: "" }, TypeError],
      [{ child, secret: "0123456789abcdef" }, TypeError],
      [{ child, secret: new Uint8Array(8) }, RangeError],
      [{ child, partitions: 2, strategy: "one_for_some" }, TypeError],
      [{ child, partitions: 2, intensity: -1 }, RangeError],
    ];
    for (const [options, type] of bad) {
      await assert.rejects(
        // deno-lint-ignore no-explicit-any
        PartitionSupervisor.start(system, options as any),
        type,
        `expected ${type.name} for ${JSON.stringify(options)}`,
      );
    }
    assertNothingLeft(system);
    system.shutdown();
  });

  it("defaults to the host's core count (else 4)", async () => {
    const system = new System({ logger: null });
    const sup = await PartitionSupervisor.start(system, { child: { server: counter } });
    const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
      ?.hardwareConcurrency;
    assert.equal(sup.partitions, cores ?? 4);
    assert.equal((await sup.countChildren()).active, sup.partitions);
    await sup.stop();
    assertNothingLeft(system);
    system.shutdown();
  });
});
