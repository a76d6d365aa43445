/**
 * `start`'s `mailbox.watermarks` and `mailbox.shed` checked
 * (`src/kernel/mailbox/flow_options.ts`): bad values are a TypeError or a
 * RangeError that says what was expected, the start fails cleanly (no
 * process, no name), from outside and from inside a process.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type GenServer, ok, reply } from "../../../src/gen_server.ts";
import type { Context } from "../../../src/context.ts";
import type { StartOptions } from "../../../src/options.ts";
import { MAX_TIMEOUT_MS } from "../../../src/options.ts";
import { assertNothingLeft, manual, startManual } from "../../_helpers.ts";

const idle: GenServer<null, undefined> = { init: () => ok(null) };

type Mailbox = StartOptions["mailbox"];

const BAD: [string, unknown, typeof TypeError | typeof RangeError][] = [
  ["watermarks null", { watermarks: null }, TypeError],
  ["watermarks a number", { watermarks: 10 }, TypeError],
  ["watermarks without low", { watermarks: { high: 10 } }, TypeError],
  ["watermarks.high a string", { watermarks: { high: "10", low: 1 } }, TypeError],
  ["watermarks.low a bigint", { watermarks: { high: 10, low: 1n } }, TypeError],
  ["low 0", { watermarks: { high: 10, low: 0 } }, RangeError],
  ["low equal to high", { watermarks: { high: 10, low: 10 } }, RangeError],
  ["low above high", { watermarks: { high: 10, low: 20 } }, RangeError],
  ["a fractional high", { watermarks: { high: 10.5, low: 1 } }, RangeError],
  ["NaN low", { watermarks: { high: 10, low: NaN } }, RangeError],
  ["an infinite high", { watermarks: { high: Infinity, low: 1 } }, RangeError],
  ["high above the bound", { bound: 5, watermarks: { high: 10, low: 1 } }, RangeError],
  ["shed null", { shed: null }, TypeError],
  ["shed without target", { shed: {} }, TypeError],
  ["target a string", { shed: { target: "5" } }, TypeError],
  ["target 0", { shed: { target: 0 } }, RangeError],
  ["a negative target", { shed: { target: -5 } }, RangeError],
  ["NaN target", { shed: { target: NaN } }, RangeError],
  ["an infinite target", { shed: { target: Infinity } }, RangeError],
  ["interval 0", { shed: { target: 5, interval: 0 } }, RangeError],
  ["a negative interval", { shed: { target: 5, interval: -100 } }, RangeError],
  ["interval past the wheel", { shed: { target: 5, interval: MAX_TIMEOUT_MS + 1 } }, RangeError],
  ["interval null", { shed: { target: 5, interval: null } }, TypeError],
];

describe("flow-control options", () => {
  for (const [what, mailbox, kind] of BAD) {
    it(`${what}: ${kind.name}, nothing started`, async () => {
      const { system } = manual();
      await assert.rejects(
        system.start(idle, undefined, { name: "bad", mailbox: mailbox as Mailbox }),
        (error: Error) => {
          assert.ok(error instanceof kind, `${error.name}: ${error.message}`);
          assert.match(error.message, /^start: mailbox\.(watermarks|shed)/);
          return true;
        },
      );
      await system.runUntilIdle();
      assert.equal(system.whereis("bad"), undefined);
      assertNothingLeft(system);
      system.shutdown();
    });
  }

  it("a getter that throws is a TypeError, nothing started", async () => {
    const { system } = manual();
    const mailbox = {
      get shed(): never {
        throw new Error("boom");
      },
    };
    await assert.rejects(system.start(idle, undefined, { mailbox }), TypeError);
    assertNothingLeft(system);
    system.shutdown();
  });

  it("from inside a process, a bad value rejects its start and leaves it running", async () => {
    const { system } = manual();
    const parent = await startManual(system, {
      init: () => ok(null),
      handleCall: async (mailbox: Mailbox, _from, state: null, ctx: Context) => {
        try {
          await ctx.start(idle, undefined, { mailbox });
          return reply("started", state);
        } catch (error) {
          return reply((error as Error).name, state);
        }
      },
    });
    const answer = system.call(parent, { watermarks: { high: 1, low: 1 } });
    await system.runUntilIdle();
    assert.equal(await answer, "RangeError");
    assert.equal(system.isAlive(parent), true);
    assert.equal(system.processes().length, 1);
    system.shutdown();
  });

  it("good values start: integers 1 <= low < high <= bound, a fractional target, the default interval", async () => {
    const { system } = manual();
    for (
      const mailbox of [
        { watermarks: { high: 2, low: 1 } },
        { bound: 10, watermarks: { high: 10, low: 9 } },
        { shed: { target: 0.5 } },
        { shed: { target: 5, interval: 1000 } },
        { watermarks: { high: 100, low: 10 }, shed: { target: 5 } },
        { watermarks: undefined, shed: undefined },
      ]
    ) {
      const pid = await startManual(system, idle, undefined, { mailbox });
      assert.equal(system.isAlive(pid), true, JSON.stringify(mailbox));
    }
    system.shutdown();
  });
});
