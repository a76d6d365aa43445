import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { asyncStream } from "../../src/task/async_stream.ts";
import { TaskTimeoutError } from "../../src/task/errors.ts";
import { collecting, deferred, flush, ManualClock, sleep } from "../_helpers.ts";

/** An item that never completes. */
const SLOW = -1;
const never = () => new Promise<never>(() => {});

/** Resolves `all` once `done()` was called `count` times. */
function counting(count: number): { done(): void; all: Promise<void> } {
  const all = deferred();
  let left = count;
  return { done: () => void (--left === 0 && all.resolve()), all: all.promise };
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

/** A task fn that counts how many run at once; item n sleeps n ms. */
function counted() {
  const counter = { live: 0, max: 0 };
  const fn = async (n: number) => {
    counter.live++;
    counter.max = Math.max(counter.max, counter.live);
    await sleep(n);
    counter.live--;
    return n * 10;
  };
  return { counter, fn };
}

describe("asyncStream", () => {
  it("yields results in input order with maxConcurrency never exceeded", async () => {
    const { system } = collecting();
    const { counter, fn } = counted();
    const input = [20, 1, 15, 2, 10, 3, 5, 1];
    const results = await collect(asyncStream(system, input, fn, { maxConcurrency: 3 }));
    assert.deepEqual(results, input.map((n) => ({ ok: n * 10 })));
    assert.ok(counter.max <= 3, `max concurrency ${counter.max}`);
    assert.ok(counter.max >= 2);
    assert.deepEqual(system.processes(), []);
  });

  it("yields results as they complete when unordered", async () => {
    const { system } = collecting();
    const { counter, fn } = counted();
    const input = [30, 1, 2, 3];
    const results = await collect(
      asyncStream(system, input, fn, { maxConcurrency: 2, ordered: false }),
    );
    assert.ok(counter.max <= 2);
    assert.deepEqual(
      results.map((r) => ("ok" in r ? r.ok : -1)).sort((a, b) => a - b),
      [10, 20, 30, 300],
    );
    assert.notDeepEqual(results[0], { ok: 300 }, "the slow first item does not hold the others");
  });

  it("takes async iterables and is lazy", async () => {
    const { system } = collecting();
    let pulled = 0;
    async function* numbers() {
      for (let n = 1;; n++) {
        pulled++;
        yield n;
      }
    }
    const seen: number[] = [];
    for await (const r of asyncStream(system, numbers(), (n) => n, { maxConcurrency: 2 })) {
      if ("ok" in r) seen.push(r.ok);
      if (seen.length === 3) break;
    }
    assert.deepEqual(seen, [1, 2, 3]);
    assert.ok(pulled <= 5, `pulled ${pulled}`);
  });

  it("yields { exit } for a crashed item", async () => {
    const { system } = collecting();
    const results = await collect(asyncStream(system, [1, 2], (n) => {
      if (n === 2) throw new Error("two");
      return n;
    }));
    assert.deepEqual(results[0], { ok: 1 });
    assert.ok("exit" in results[1] && results[1].exit instanceof Error);
  });

  it("kill_task: kills a slow item, yields { exit: 'timeout' } and goes on", async () => {
    // The system's clock stands still until the quick items are done, so
    // their timeout cannot run out first, however slow the machine.
    const clock = new ManualClock();
    const { system } = collecting({ clock });
    const quick = counting(2);
    const results = collect(asyncStream(
      system,
      [1, SLOW, 2],
      async (n) => {
        if (n === SLOW) return await never();
        await sleep(n);
        quick.done();
        return n;
      },
      { timeout: 30, onTimeout: "kill_task" },
    ));
    await quick.all;
    await flush();
    clock.advance(31);
    assert.deepEqual(await results, [{ ok: 1 }, { exit: "timeout" }, { ok: 2 }]);
    assert.deepEqual(system.processes(), []);
  });

  it("exit: the iteration throws TaskTimeoutError and every task is killed", async () => {
    const clock = new ManualClock(); // still until the quick item is done, as above
    const { system } = collecting({ clock });
    const quick = counting(1);
    const stream = asyncStream(system, [1, SLOW, SLOW, SLOW], async (n) => {
      if (n === SLOW) return await never();
      await sleep(n);
      quick.done();
      return n;
    }, { timeout: 20, maxConcurrency: 4 });
    const seen: unknown[] = [];
    const iterated = assert.rejects(async () => {
      for await (const r of stream) seen.push(r);
    }, TaskTimeoutError);
    await quick.all;
    await flush();
    clock.advance(21);
    await iterated;
    assert.deepEqual(seen, [{ ok: 1 }]);
    assert.deepEqual(system.processes(), []);
  });

  it("stopping early kills the tasks still running", async () => {
    const { system } = collecting();
    const input = [1, 500, 500, 500, 500];
    const stream = asyncStream(system, input, async (n) => {
      await sleep(n);
      return n;
    }, { maxConcurrency: 3, ordered: false });
    for await (const r of stream) {
      assert.deepEqual(r, { ok: 1 });
      break;
    }
    assert.deepEqual(system.processes(), []);
  });

  it("throws TypeError for a non-iterable, RangeError for bad options", () => {
    const { system } = collecting();
    assert.throws(() => asyncStream(system, 42 as never, (n) => n), TypeError);
    assert.throws(() => asyncStream(system, null as never, (n) => n), TypeError);
    assert.throws(() => asyncStream(system, [1], "f" as never), TypeError);
    assert.throws(() => asyncStream(system, [1], (n) => n, { maxConcurrency: 0 }), RangeError);
    assert.throws(() => asyncStream(system, [1], (n) => n, { onTimeout: "x" as never }), TypeError);
  });
});
