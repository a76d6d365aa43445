/**
 * Defining behaviours and tasks by name: names are checked, one name means
 * one definition, hostile values are refused by name, and `Task.cpu` on a
 * system of one scheduler runs the task here.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ok, System, Task } from "../../mod.ts";
import { defineBehaviour, defineTask } from "../../schedulers.ts";
import { behaviourName, behaviourNamed, taskNamed } from "../../src/schedulers/define_behaviour.ts";

const hostile = new Proxy({}, {
  get() {
    throw new Error("hostile");
  },
});

describe("defineBehaviour and defineTask", () => {
  it("register a definition under its name and return it", () => {
    const server = { init: () => ok(1) };
    assert.equal(defineBehaviour("define.test.one", server), server);
    assert.equal(behaviourName(server), "define.test.one");
    assert.equal(behaviourNamed("define.test.one"), server);
    // The same definition again is fine; another under the same name is not.
    assert.equal(defineBehaviour("define.test.one", server), server);
    assert.throws(() => defineBehaviour("define.test.one", { init: () => ok(2) }), TypeError);

    const double = (n: number) => n * 2;
    const task = defineTask("define.test.double", double);
    assert.equal(task.name, "define.test.double");
    assert.equal(task.run(4), 8);
    assert.equal(taskNamed("define.test.double"), double);
    assert.throws(() => defineTask("define.test.double", (n: number) => n), TypeError);
  });

  it("refuse bad names and values with TypeErrors", () => {
    for (const name of ["", "a\u0000b", "x".repeat(201), 42, undefined]) {
      assert.throws(() => defineBehaviour(name as never, { init: () => ok(0) }), TypeError);
      assert.throws(() => defineTask(name as never, () => 0), TypeError);
    }
    assert.throws(() => defineBehaviour("define.test.bad", {} as never), TypeError);
    assert.throws(() => defineBehaviour("define.test.bad", hostile as never), TypeError);
    assert.throws(() => defineTask("define.test.bad", "no" as never), TypeError);
  });

  it("Task.cpu refuses what is not a task, and runs one here on a system of one scheduler", async () => {
    const system = new System({ logger: null });
    await assert.rejects(Task.cpu(system, hostile as never), TypeError);
    await assert.rejects(Task.cpu(system, { name: "x" } as never), TypeError);
    const square = defineTask("define.test.square", (n: number) => n * n);
    assert.equal(await Task.cpu(system, square, 9), 81);
    system.shutdown();
  });
});
