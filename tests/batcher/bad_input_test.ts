import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  Batcher,
  BatcherError,
  BatcherFullError,
  BatcherItemError,
  type BatcherOptions,
} from "../../batcher.ts";
import { harness, startBatcher, track } from "./_fixtures.ts";

const valid: BatcherOptions<unknown> = { maxItems: 10, interval: 10, flush: () => {} };

describe("Batcher: bad input", () => {
  it("refuses bad options at once, naming the option", () => {
    const { t } = harness();
    const cases: [Record<string, unknown>, typeof TypeError | typeof RangeError, RegExp][] = [
      [{ maxItems: 0 }, RangeError, /maxItems/],
      [{ maxItems: 1.5 }, RangeError, /maxItems/],
      [{ maxItems: -1 }, RangeError, /maxItems/],
      [{ maxItems: Infinity }, RangeError, /maxItems/],
      [{ maxItems: "10" }, TypeError, /maxItems/],
      [{ interval: 0 }, RangeError, /interval/],
      [{ interval: -5 }, RangeError, /interval/],
      [{ interval: NaN }, RangeError, /interval/],
      [{ interval: Infinity }, RangeError, /interval/],
      [{ interval: "50" }, TypeError, /interval/],
      [{ flush: undefined }, TypeError, /flush/],
      [{ flush: "write" }, TypeError, /flush/],
      [{ key: 1 }, TypeError, /key/],
      [{ merge: () => 1 }, TypeError, /merge needs key/],
      [{ key: () => 1, merge: {} }, TypeError, /merge/],
      [{ retry: { attempts: 0 } }, RangeError, /retry.attempts/],
      [{ retry: { attempts: 2, backoff: -1 } }, RangeError, /retry.backoff/],
      [{ retry: { attempts: 2, backoff: "1s" } }, TypeError, /retry.backoff/],
      [{ retry: 3 }, TypeError, /retry/],
      [{ maxPending: 0 }, RangeError, /maxPending/],
      [{ maxPending: 2.5 }, RangeError, /maxPending/],
      [{ flushTimeout: 0 }, RangeError, /flushTimeout/],
      [{ flushTimeout: -1 }, RangeError, /flushTimeout/],
      [{ name: "" }, TypeError, /name/],
      [{ name: 7 }, TypeError, /name/],
    ];
    for (const [patch, type, message] of cases) {
      const options = { ...valid, ...patch } as BatcherOptions<unknown>;
      assert.throws(() => Batcher.childSpec(options), (e: unknown) => {
        assert.ok(e instanceof type, `${JSON.stringify(patch)}: ${e}`);
        assert.match((e as Error).message, message);
        return true;
      });
      assert.throws(() => Batcher.start(t.system, options), type);
    }
    assert.throws(() => Batcher.childSpec(null as never), TypeError);
    const hostile = Object.defineProperty({ ...valid }, "maxItems", {
      get() {
        throw new Error("getter");
      },
    });
    assert.throws(() => Batcher.childSpec(hostile as BatcherOptions<unknown>), TypeError);
    assert.throws(() => Batcher.childSpec({ ...valid, id: "" }), TypeError);
    // Infinity is allowed where documented.
    Batcher.childSpec({ ...valid, maxPending: Infinity, flushTimeout: Infinity });
    t.dispose();
  });

  it("a key function that throws: that item is refused with a BatcherItemError, counted", async () => {
    const { t, refusals } = harness();
    const batches: { id: string }[][] = [];
    const b = await startBatcher(t, {
      maxItems: 10,
      interval: 10,
      key: (item: { id: string }) => {
        if (item.id === "bad") throw new TypeError("no key");
        return item.id;
      },
      flush: (items) => void batches.push(items),
    });
    assert.equal(b.add({ id: "bad" }), false);
    const refused = track(b.addAndWait({ id: "bad" }));
    assert.equal(b.add({ id: "good" }), true);
    await t.advance(10);
    const error = refused.error as BatcherItemError;
    assert.ok(error instanceof BatcherItemError);
    assert.ok(error instanceof BatcherError);
    assert.equal(error.step, "key");
    assert.equal((error.cause as Error).message, "no key");
    assert.deepEqual(batches, [[{ id: "good" }]]);
    assert.deepEqual(refusals.map((r) => r.reason), ["key", "key"]);
    assert.deepEqual([b.stats().refused, b.stats().received], [2, 1]);
    t.dispose();
  });

  it("a merge function that throws: the newer item is refused, the older one kept", async () => {
    const { t } = harness();
    const batches: number[][] = [];
    const b = await startBatcher(t, {
      maxItems: 10,
      interval: 10,
      key: () => "k",
      merge: (_older: number, newer: number) => {
        if (newer < 0) throw new RangeError("negative");
        return newer;
      },
      flush: (items) => void batches.push(items),
    });
    b.add(1);
    const refused = track(b.addAndWait(-1));
    await t.advance(10);
    assert.equal((refused.error as BatcherItemError).step, "merge");
    assert.deepEqual(batches, [[1]]);
    t.dispose();
  });

  it("10× the bound added at once: exactly the excess refused and counted, the batcher still stoppable", async () => {
    const { t, refusals } = harness();
    let flushed = 0;
    const b = await startBatcher(t, {
      maxItems: 100,
      interval: 10,
      maxPending: 1000,
      flush: (items: number[]) => void (flushed += items.length),
    });
    let accepted = 0;
    for (let i = 0; i < 10_000; i++) if (b.add(i)) accepted++;
    assert.equal(accepted, 1000);
    assert.equal(b.stats().refused, 9000);
    assert.equal(refusals.length, 9000);
    assert.ok(refusals.every((r) => r.reason === "full"));
    const full = track(b.addAndWait(-1));
    await t.runUntilIdle();
    assert.ok(full.error instanceof BatcherFullError);
    assert.equal((full.error as BatcherFullError).maxPending, 1000);
    const stopped = track(b.stop());
    await t.runUntilIdle();
    assert.equal(stopped.state, "ok");
    assert.equal(flushed, 1000);
    t.dispose();
  });

  it("a backoff function that throws or returns garbage retries at once", async () => {
    const { t } = harness();
    let calls = 0;
    const b = await startBatcher(t, {
      maxItems: 1,
      interval: 10,
      retry: {
        attempts: 3,
        backoff: (n) => {
          if (n === 1) throw new Error("bad backoff");
          return NaN;
        },
      },
      flush: () => {
        if (++calls < 3) throw new Error("fail");
      },
    });
    const waited = track(b.addAndWait(1));
    await t.runUntilIdle();
    assert.equal(waited.state, "ok");
    assert.equal(calls, 3);
    t.dispose();
  });
});
