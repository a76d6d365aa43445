import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Batcher, BatcherFullError, type BatcherOptions, BatchFlushError } from "../../batcher.ts";
import { Supervisor } from "../../src/supervisor/supervisor.ts";
import { harness, startBatcher, track } from "./_fixtures.ts";

/** An item: its key, and the ids of every item merged into it. */
type Item = { key: number; ids: number[] };

type Op =
  | { op: "add"; key: number; wait: boolean }
  | { op: "advance"; ms: number }
  | { op: "idle" }
  | { op: "flush" };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({ op: fc.constant("add" as const), key: fc.nat(6), wait: fc.boolean() }),
    weight: 6,
  },
  { arbitrary: fc.record({ op: fc.constant("advance" as const), ms: fc.nat(120) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("idle" as const) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("flush" as const) }), weight: 1 },
);

const setup = fc.record({
  maxItems: fc.integer({ min: 1, max: 5 }),
  interval: fc.integer({ min: 1, max: 100 }),
  maxPending: fc.integer({ min: 1, max: 12 }),
  attempts: fc.integer({ min: 1, max: 3 }),
  backoff: fc.nat(50),
  coalesce: fc.boolean(),
  async: fc.boolean(),
  // Whether each flush attempt fails, in turn (cycled).
  failures: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
  // How it ends: stop(), an exit signal, or its supervisor's shutdown (system.stopAll).
  end: fc.constantFrom("stop" as const, "exit" as const, "supervisor" as const),
});

describe("Batcher: nothing accepted is lost (property)", () => {
  it("every accepted item is flushed exactly once or reported failed, and the counters add up", async () => {
    await fc.assert(
      fc.asyncProperty(setup, fc.array(op, { maxLength: 60 }), async (s, ops) => {
        const { t, reports, flushes } = harness();
        const flushed: number[] = [];
        const failed: number[] = [];
        let attemptIndex = 0;
        let nextId = 0;
        const refusedIds = new Set<number>();
        const options: BatcherOptions<Item, number> = {
          maxItems: s.maxItems,
          interval: s.interval,
          maxPending: s.maxPending,
          retry: { attempts: s.attempts, backoff: s.backoff },
          key: s.coalesce ? (item: Item) => item.key : undefined,
          merge: s.coalesce
            ? (older, newer) => ({ key: older.key, ids: [...older.ids, ...newer.ids] })
            : undefined,
          flush: (items: Item[], info) => {
            assert.ok(items.length >= 1 && items.length <= s.maxItems);
            if (s.coalesce) assert.equal(new Set(items.map((i) => i.key)).size, items.length);
            const fail = s.failures[attemptIndex++ % s.failures.length];
            const ids = items.flatMap((i) => i.ids);
            if (fail) {
              if (info.attempt === s.attempts) failed.push(...ids);
              return s.async ? Promise.reject(new Error("fail")) : (() => {
                throw new Error("fail");
              })();
            }
            if (s.async) return Promise.resolve().then(() => void flushed.push(...ids));
            flushed.push(...ids);
            return undefined;
          },
        };
        let b: Batcher<Item>;
        if (s.end === "supervisor") {
          const spec = Batcher.childSpec({ ...options, id: "batcher", shutdown: "infinity" });
          const started = track(Supervisor.start(t.system, [spec]));
          await t.runUntilIdle();
          assert.equal(started.state, "ok");
          b = spec.batcher;
        } else b = await startBatcher(t, options);
        const waits = new Map<number, ReturnType<typeof track<void>>>();
        for (const o of ops) {
          if (o.op === "add") {
            const id = nextId++;
            const item = { key: o.key, ids: [id] };
            if (o.wait) waits.set(id, track(b.addAndWait(item)));
            else if (!b.add(item)) refusedIds.add(id);
          } else if (o.op === "advance") await t.advance(o.ms);
          else if (o.op === "idle") await t.runUntilIdle();
          else void b.flush();
        }
        await t.runUntilIdle();
        for (const [id, w] of waits) if (w.error instanceof BatcherFullError) refusedIds.add(id);
        if (s.end === "stop") void b.stop();
        else if (s.end === "exit") t.system.exit(b.pid!, "shutdown");
        else void t.system.stopAll();
        // Enough virtual time for every retry of every batch.
        await t.advance(10_000);
        assert.equal(b.running, false);
        assert.equal(t.system.isAlive(b.pid!), false);

        // Every accepted id once, in exactly one place; no refused id anywhere.
        const all = [...flushed, ...failed].sort((x, y) => x - y);
        const accepted = [...Array(nextId).keys()].filter((id) => !refusedIds.has(id));
        assert.deepEqual(all, accepted);
        // addAndWait told the truth.
        const flushedSet = new Set(flushed);
        for (const [id, w] of waits) {
          if (refusedIds.has(id)) continue;
          if (flushedSet.has(id)) assert.equal(w.state, "ok", `id ${id}`);
          else assert.ok(w.error instanceof BatchFlushError, `id ${id}: ${w.state}`);
        }
        const st = b.stats();
        assert.equal(st.pending, 0);
        assert.equal(st.lost, 0);
        assert.equal(st.refused, refusedIds.size);
        assert.equal(st.received, accepted.length);
        assert.equal(st.received, st.coalesced + st.flushed + st.failed + st.lost + st.pending);
        assert.equal(st.flushes + st.failedFlushes, flushes.length);
        assert.equal(st.failedFlushes, flushes.filter((f) => !f.ok).length);
        assert.equal(st.flushed, flushes.filter((f) => f.ok).reduce((n, f) => n + f.items, 0));
        assert.equal(
          reports.filter((r) => r.kind === "callback").length,
          st.failedFlushes,
        );
        t.dispose();
      }),
      { numRuns: 150 },
    );
  });
});
