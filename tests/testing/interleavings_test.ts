import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type GenServer, noreply, ok, reply } from "../../src/gen_server.ts";
import { NotSettledError } from "../../src/testing/errors.ts";
import {
  checkInterleavings,
  interleave,
  interleavingProperty,
} from "../../src/testing/interleavings.ts";
import { createTestSystem } from "../../src/testing/test_system.ts";

type Entry = { sender: number; seq: number };

const logServer: GenServer<Entry[], undefined, "log", Entry[], Entry, Entry> = {
  init: () => ok([]),
  handleCall: (_request, _from, log) => reply(log, log),
  handleCast: (entry, log) => noreply([...log, entry]),
  handleInfo: (entry, log) => noreply([...log, entry as Entry]),
};

/** 2..4 senders, each with 0..5 numbered operations. */
const numberedSenders = fc.array(fc.nat({ max: 5 }), { minLength: 2, maxLength: 4 }).map((
  lengths,
) => lengths.map((n, sender) => Array.from({ length: n }, (_, seq) => ({ sender, seq }))));

test("per-sender ordering holds under every interleaving of casts, sends and calls", {
  timeout: 120_000,
}, async () => {
  const orders = new Set<string>();
  await checkInterleavings({
    server: logServer,
    arg: undefined,
    senders: numberedSenders,
    // Mix the three kinds of delivery: the order of one sender is kept across them.
    perform: (entry, { system, pid }) =>
      entry.seq % 3 === 0
        ? system.cast(pid, entry)
        : entry.seq % 3 === 1
        ? system.send(pid, entry)
        : system.call(pid, "log").then(() => system.cast(pid, entry)),
    check: async ({ senders, harness, pid }) => {
      const log = await harness.call<Entry[]>(pid, "log");
      assert.equal(log.length, senders.flat().length, "every message handled once");
      const last = new Map<number, number>();
      for (const { sender, seq } of log) {
        assert.ok((last.get(sender) ?? -1) < seq, `sender ${sender} reordered at ${seq}`);
        last.set(sender, seq);
      }
      if (senders.filter((ops) => ops.length > 0).length >= 2) {
        orders.add(log.map((e) => e.sender).join(""));
      }
    },
  }, { numRuns: 100 });
  assert.ok(orders.size > 10, `the scheduler varied the interleavings (${orders.size} seen)`);
});

/** A counter whose increment is a read-modify-write across two calls: racy by design. */
const racyCounter: GenServer<number, undefined, "get" | { set: number }, number> = {
  init: () => ok(0),
  handleCall: (
    request,
    _from,
    n,
  ) => (request === "get" ? reply(n, n) : reply(request.set, request.set)),
};

test("a lost update between two senders' read-modify-write is found, with its schedule", async () => {
  // Each increment is two calls, "get" then "set", scheduled as separate steps of its sender.
  const seen: number[] = []; // what each sender read
  const property = interleavingProperty({
    server: racyCounter,
    arg: undefined,
    senders: fc.array(fc.constant(["get", "set"] as const), { minLength: 2, maxLength: 3 }),
    perform: async (op, { system, pid, sender }) => {
      if (op === "get") seen[sender] = await system.call<number>(pid, "get");
      else await system.call(pid, { set: seen[sender] + 1 });
    },
    check: async ({ senders, harness, pid }) => {
      assert.equal(await harness.call(pid, "get"), senders.length, "lost an update");
    },
  }).beforeEach(() => {
    seen.length = 0;
  });
  await assert.rejects(
    fc.assert(property, { numRuns: 100, seed: 3 }),
    (error: Error) => {
      assert.match((error.cause as Error).message, /lost an update/);
      assert.match(error.message, /sender 1 step 0 resolved/, "the report shows the schedule");
      return true;
    },
  );
});

test("interleave returns each sender's results in its own order", {
  timeout: 120_000,
}, async () => {
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), async (scheduler) => {
      const t = createTestSystem();
      const pid = await t.start(logServer);
      const results = await interleave(scheduler, t, [
        [
          () => t.system.cast(pid, { sender: 0, seq: 0 }),
          () => t.call<Entry[]>(pid, "log").then((l) => l.length),
        ],
        [() => "a", () => "b", () => "c"],
        [],
      ]);
      assert.equal(results.length, 3);
      assert.equal(results[0][0], "ok");
      assert.equal(results[0][1], 1);
      assert.deepEqual(results[1], ["a", "b", "c"]);
      assert.deepEqual(results[2], []);
      t.dispose();
    }),
    { numRuns: 30 },
  );
});

test("interleave: a failing step rejects; a sender stuck on a reply is a NotSettledError", async () => {
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), async (scheduler) => {
      const t = createTestSystem();
      await assert.rejects(
        interleave(scheduler, t, [[() => 1, () => {
          throw new RangeError("bad step");
        }], [() => 2]]),
        RangeError,
      );
      const silent = await t.start({
        init: () => ok(0),
        handleCall: (_r, _f, n: number) => noreply(n),
      });
      const stuck = interleave(scheduler, t, [[() => t.system.call(silent, "ping")]]);
      await assert.rejects(stuck, NotSettledError);
      t.dispose();
    }),
    { numRuns: 5 },
  );
});
