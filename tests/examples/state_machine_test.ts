/**
 * The gen_statem-style example (`examples/state_machine/`), a behaviour
 * built on the kernel's behaviour port with no edit to the kernel: state
 * enter calls, event timeouts (cancelled by any event), postponed events
 * retried in order after the next state change, replies, stop, crashes.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { codeLock, stateMachine, type Transition } from "../../examples/state_machine/mod.ts";
import type { System } from "../../src/system.ts";
import type { Pid } from "../../src/pid.ts";
import { manual } from "../_helpers.ts";

async function startLock(system: System, openMs = 100): Promise<Pid> {
  const started = system.startBehaviour(stateMachine(codeLock), { code: "12", openMs });
  await system.runUntilIdle();
  return await started;
}

function logOf(system: System, pid: Pid): readonly string[] {
  return (system.formatState(pid) as { data: { log: string[] } }).data.log;
}

describe("a gen_statem-style behaviour on the behaviour port", () => {
  it("runs the state enter call for the initial state and for every change", async () => {
    const { system } = manual();
    const lock = await startLock(system);
    assert.deepEqual(logOf(system, lock), ["start -> locked"]);
    system.cast(lock, "1");
    system.cast(lock, "2");
    await system.runUntilIdle();
    assert.deepEqual(logOf(system, lock), ["start -> locked", "locked -> open"]);
    assert.deepEqual(system.formatState(lock), {
      state: "open",
      data: { code: "12", openMs: 100, pressed: "", log: ["start -> locked", "locked -> open"] },
      postponed: 0,
    });
    system.shutdown();
  });

  it("an event timeout fires when no event comes, and any event re-arms it", async () => {
    const { system, clock } = manual();
    const lock = await startLock(system, 100);
    system.cast(lock, "1");
    system.cast(lock, "2");
    await system.runUntilIdle();
    clock.advance(60);
    await system.runUntilIdle();
    system.cast(lock, "noise"); // an event: the timeout starts over
    await system.runUntilIdle();
    clock.advance(60);
    await system.runUntilIdle();
    const state = system.call(lock, "state");
    await system.runUntilIdle();
    assert.equal(await state, "open", "120 ms after opening, but only 60 since the last event");
    clock.advance(101);
    await system.runUntilIdle();
    const later = system.call(lock, "state");
    await system.runUntilIdle();
    assert.equal(await later, "locked");
    assert.deepEqual(logOf(system, lock), ["start -> locked", "locked -> open", "open -> locked"]);
    system.shutdown();
  });

  it("postponed events wait for the next state change, then are retried in order before new ones", async () => {
    const { system } = manual();
    const lock = await startLock(system);
    const answers: string[] = [];
    const push = (entry: string) => void answers.push(entry);
    const first = system.call<string>(lock, "pass").then((a) => push(`first ${a}`));
    const second = system.call<string>(lock, "pass").then((a) => push(`second ${a}`));
    await system.runUntilIdle();
    assert.equal((system.formatState(lock) as { postponed: number }).postponed, 2);
    assert.deepEqual(answers, [], "nobody passes a locked door");
    system.cast(lock, "1");
    system.cast(lock, "2");
    const state = system.call<string>(lock, "state").then((s) => push(`state ${s}`));
    await system.runUntilIdle();
    await Promise.all([first, second, state]);
    assert.deepEqual(answers, ["first welcome", "second welcome", "state open"]);
    assert.equal((system.formatState(lock) as { postponed: number }).postponed, 0);
    system.shutdown();
  });

  it("a crash in handleEvent is reported under the behaviour's callback name; stop ends it", async () => {
    const { system, reports } = manual();
    const crashing = system.startBehaviour(
      stateMachine<"idle", null>({
        init: () => ({ state: "idle", data: null }),
        handleEvent: (event): Transition<"idle", null> => {
          if (event.content === "boom") throw new Error("boom");
          return event.content === "quit" ? { stop: "normal" } : {};
        },
      }),
    );
    await system.runUntilIdle();
    const pid = await crashing;
    system.cast(pid, "boom");
    await system.runUntilIdle();
    assert.equal(system.isAlive(pid), false);
    assert.equal(reports.length, 1);
    assert.equal(reports[0].callback, "handleEvent");
    const quitting = await (async () => {
      const p = system.startBehaviour(
        stateMachine<"idle", null>({
          init: () => ({ state: "idle", data: null }),
          handleEvent: (event): Transition<"idle", null> =>
            event.content === "quit" ? { stop: "normal" } : {},
        }),
      );
      await system.runUntilIdle();
      return await p;
    })();
    const exited = system.whenExited(quitting);
    system.cast(quitting, "quit");
    await system.runUntilIdle();
    assert.equal(await exited, "normal");
    system.shutdown();
  });

  it("startBehaviour refuses something that is not a behaviour", async () => {
    const { system } = manual();
    await assert.rejects(
      system.startBehaviour({ init: () => undefined } as never),
      /startBehaviour: behaviour\.handles must be a function/,
    );
    assert.equal(system.tableSizes().processes, 0);
  });
});

describe("examples/state_machine/main.ts", () => {
  it("runs: the visitor waits at the locked door, is let in, and the door locks itself", async () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    try {
      await import("../../examples/state_machine/main.ts");
    } finally {
      console.log = log;
    }
    assert.equal(lines[0], "visitor: welcome");
    assert.equal(lines[1], "state: locked");
  });
});
