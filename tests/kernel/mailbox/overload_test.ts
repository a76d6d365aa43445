/**
 * Overload (issue 15, item 8): ten times a mailbox's bound sent at once —
 * exactly the excess is refused, dropped or shed, and counted; the ring
 * never grows past the bound; the process can still be stopped. And a
 * property over random bounds, policies, bursts, stalls and handling
 * costs: every message sent has exactly one fate (handled, refused,
 * dropped or shed), the senders' view and the mailbox's counters agree,
 * and nothing is handled that was not accepted. Manual scheduling on a
 * manual clock: nothing runs while a burst is sent.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { OverloadedError } from "../../../src/errors.ts";
import type { Delivery, OverflowPolicy, StartOptions } from "../../../src/options.ts";
import { MAILBOX_SHED } from "../../../src/telemetry/catalog/mailbox_events.ts";
import { assertNothingLeft, handled, manual, startManual } from "../../_helpers.ts";
import { nextPow2, settle, worker, workLog } from "./_flow_fixtures.ts";

const BOUND = 100;
const SENT = 10 * BOUND;

/** A worker with a bounded mailbox on a manual system. */
async function bounded(mailbox: NonNullable<StartOptions["mailbox"]>, cost = 0) {
  const { system, clock } = manual();
  const log = workLog();
  const pid = await startManual(system, worker(clock, log, cost), undefined, { mailbox });
  return { system, clock, log, pid };
}

/** Sends `n` casts at once (`cast <i>`): how many got each answer. */
function burst(send: (message: string) => Delivery, n: number): Record<string, number> {
  const answers: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const answer = send(`cast ${i}`);
    answers[answer] = (answers[answer] ?? 0) + 1;
  }
  return answers;
}

const casts = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `cast ${from + i}`);

describe("10× the bound sent at once", () => {
  const cases: [OverflowPolicy, Record<string, number>, () => string[]][] = [
    ["reject", { ok: BOUND, overloaded: SENT - BOUND }, () => casts(0, BOUND)],
    ["drop_newest", { ok: BOUND, dropped: SENT - BOUND }, () => casts(0, BOUND)],
    // The stop takes the place of the oldest cast, as any message would.
    ["drop_oldest", { ok: SENT }, () => casts(SENT - BOUND + 1, SENT)],
  ];
  for (const [overflow, answers, kept] of cases) {
    it(`${overflow}: exactly the excess refused or dropped and counted, the ring bounded, stoppable`, async () => {
      const { system, pid, log } = await bounded({ bound: BOUND, overflow });
      const slotsBefore = system.tableSizes().slotsInUse;
      assert.deepEqual(burst((m) => system.cast(pid, m), SENT), answers);
      const info = system.processInfo(pid)!;
      assert.equal(info.messageQueueLength, BOUND);
      assert.equal(info.mailbox.highWater, BOUND, "the queue never held more than the bound");
      assert.ok(info.mailbox.capacity <= nextPow2(BOUND), `ring of ${info.mailbox.capacity}`);
      assert.ok(system.tableSizes().slotsInUse - slotsBefore <= BOUND, "slots in use bounded");
      assert.equal(info.mailbox.refused, overflow === "reject" ? SENT - BOUND : 0);
      assert.equal(info.mailbox.dropped, overflow === "reject" ? 0 : SENT - BOUND);
      // A stop sent to the full mailbox is held back, not refused: it stops it.
      const stopped = system.stop(pid, "shutdown");
      await settle(system);
      await stopped;
      assert.deepEqual(log.handled, kept(), "the ones kept, in order, then the stop");
      assertNothingLeft(system);
      system.shutdown();
    });
  }

  it("reject, with calls: the excess callers get an OverloadedError at once", async () => {
    const { system, pid, log } = await bounded({ bound: BOUND, overflow: "reject" });
    const calls = Array.from(
      { length: SENT },
      (_, i) => handled(system.call(pid, `call ${i}`, { timeout: Infinity })),
    );
    const early = await Promise.allSettled(calls.slice(BOUND));
    for (const outcome of early) {
      assert.equal(outcome.status, "rejected");
      const error = (outcome as PromiseRejectedResult).reason;
      assert.ok(error instanceof OverloadedError && error.outcome === "refused");
    }
    assert.equal(system.processInfo(pid)!.mailbox.refused, SENT - BOUND);
    await settle(system);
    assert.equal((await Promise.all(calls.slice(0, BOUND))).length, BOUND);
    assert.equal(log.handled.length, BOUND);
    system.exit(pid, "kill");
    await settle(system);
    assertNothingLeft(system);
    system.shutdown();
  });

  it("reject with shedding: the excess refused, then what waited too long shed; stoppable", async () => {
    const { system, clock, pid, log } = await bounded(
      { bound: BOUND, overflow: "reject", shed: { target: 10, interval: 100 } },
      5,
    );
    let shedEvents = 0;
    system.telemetry.attach("shed", MAILBOX_SHED, (_e, m) => void (shedEvents += m.count));
    assert.deepEqual(burst((m) => system.cast(pid, m), SENT), {
      ok: BOUND,
      overloaded: SENT - BOUND,
    });
    const stopped = system.stop(pid, "shutdown");
    clock.advance(1000); // it was stuck a whole second
    await settle(system);
    await stopped;
    const counters = system.processInfo(pid);
    assert.equal(counters, undefined, "stopped");
    assert.ok(shedEvents > 0, "some were shed");
    assert.equal(log.handled.length + shedEvents, BOUND, "every accepted one handled or shed");
    assertNothingLeft(system);
    system.shutdown();
  });

  it("a full mailbox is killed at once, its queue freed", async () => {
    const { system, pid } = await bounded({
      bound: BOUND,
      overflow: "drop_oldest",
      shed: { target: 1 },
    });
    burst((m) => system.cast(pid, m), SENT);
    system.exit(pid, "kill");
    await settle(system);
    assert.equal(system.isAlive(pid), false);
    assertNothingLeft(system);
    system.shutdown();
  });
});

/** One burst of the property: sends (true: a call), then a stall before the process runs. */
interface Round {
  sends: boolean[];
  stall: number;
}

describe("overload property", () => {
  it("every message has one fate: handled, refused, dropped or shed — and the counts agree", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom<OverflowPolicy>("reject", "drop_oldest", "drop_newest"),
        fc.option(
          fc.record({
            target: fc.integer({ min: 1, max: 20 }),
            interval: fc.integer({ min: 1, max: 100 }),
          }),
          { nil: undefined },
        ),
        fc.integer({ min: 0, max: 5 }),
        fc.array(
          fc.record({
            sends: fc.array(fc.boolean(), { maxLength: 120 }),
            stall: fc.integer({ min: 0, max: 300 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        async (bound, overflow, shed, cost, rounds: Round[]) => {
          const { system, clock, pid, log } = await bounded({ bound, overflow, shed }, cost);
          let shedTold = 0;
          system.telemetry.attach("shed", MAILBOX_SHED, (_e, m) => void (shedTold += m.count));
          let sent = 0;
          const answers: Record<string, number> = { ok: 0, overloaded: 0, dropped: 0 };
          const calls: Promise<unknown>[] = [];
          let highest = 0;
          for (const round of rounds) {
            for (const isCall of round.sends) {
              const message = `${isCall ? "call" : "cast"} ${sent++}`;
              if (isCall) calls.push(handled(system.call(pid, message, { timeout: Infinity })));
              else answers[system.cast(pid, message)]++;
            }
            highest = Math.max(highest, system.processInfo(pid)!.messageQueueLength);
            clock.advance(round.stall);
            await settle(system);
          }
          const outcomes = await Promise.allSettled(calls);
          const info = system.processInfo(pid)!;
          const { refused, dropped, enqueued } = info.mailbox;
          const shedCount = info.mailbox.shed;
          const callFates: Record<string, number> = { replied: 0, refused: 0, dropped: 0, shed: 0 };
          for (const outcome of outcomes) {
            if (outcome.status === "fulfilled") {
              callFates.replied++;
            } else {
              const error = outcome.reason;
              assert.ok(error instanceof OverloadedError, String(error));
              callFates[error.outcome]++;
            }
          }
          const evicted = overflow === "drop_oldest" ? dropped : 0;
          const handledCasts = log.handled.filter((m) => String(m).startsWith("cast")).length;
          const handledCalls = log.handled.length - handledCasts;

          // Every message sent has exactly one fate.
          assert.equal(log.handled.length + refused + dropped + shedCount, sent);
          // What the mailbox accepted was handled, evicted (drop_oldest) or shed.
          // (Its init message was the first it accepted.)
          assert.equal(log.handled.length, enqueued - 1 - evicted - shedCount);
          // The senders were told what the counters say.
          assert.equal(answers.overloaded + callFates.refused, refused);
          if (overflow === "drop_newest") {
            assert.equal(answers.dropped + callFates.dropped, dropped);
          } else assert.equal(answers.dropped, 0);
          assert.equal(handledCalls, callFates.replied, "a call is answered iff handled");
          assert.ok(callFates.shed <= shedCount);
          if (shed === undefined) assert.equal(shedCount, 0);
          assert.equal(shedTold, shedCount, "every shed reported");
          // The ring never held more than the bound.
          assert.ok(info.mailbox.highWater <= bound);
          assert.ok(highest <= bound);
          assert.ok(info.mailbox.capacity <= nextPow2(bound));
          assert.equal(info.messageQueueLength, 0);
          system.exit(pid, "kill");
          await settle(system);
          assertNothingLeft(system);
          system.shutdown();
        },
      ),
      { numRuns: 200 },
    );
  });
});
