import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createCore } from "../../src/core/create_core.ts";
import { createCoreMemory } from "../../src/core/core_memory.ts";
import { WasmCore } from "../../src/core/wasm_core.ts";
import { DEFAULT_REDUCTION_BUDGET, Overflow, Priority } from "../../src/core/core.ts";

describe("createCore", () => {
  test("auto picks the WebAssembly core where it compiles", () => {
    const core = createCore();
    assert.equal(core.kind, "wasm");
    assert.equal(core.reductionBudget, DEFAULT_REDUCTION_BUDGET);
  });

  test("builds the implementation asked for, with its budget", () => {
    for (const implementation of ["wasm", "reference"] as const) {
      const core = createCore({ implementation, reductionBudget: 7 });
      assert.equal(core.kind, implementation);
      assert.equal(core.reductionBudget, 7);
      const id = core.spawn(2, 2, Overflow.Reject, Priority.Normal);
      assert.ok(id > 0);
      assert.ok(core.enqueue(id) >= 0);
      assert.equal(core.next(), id);
    }
  });

  test("rejects an unknown implementation with a TypeError", () => {
    assert.throws(
      // @ts-expect-error: testing bad input from untyped callers
      () => createCore({ implementation: "gpu" }),
      { name: "TypeError", message: /implementation must be "auto", "wasm" or "reference"/ },
    );
  });

  test("rejects a bad budget with a RangeError on every implementation", () => {
    for (const implementation of ["auto", "wasm", "reference"] as const) {
      for (const reductionBudget of [0, -1, 1.5, Number.NaN]) {
        assert.throws(() => createCore({ implementation, reductionBudget }), RangeError);
      }
    }
  });
});

describe("createCore with a memory", () => {
  test("places a WebAssembly core in the memory it is given, next to others", () => {
    const memory = createCoreMemory();
    const a = createCore({ memory });
    const b = createCore({ implementation: "wasm", memory });
    assert.equal(a.kind, "wasm");
    assert.ok(a instanceof WasmCore && b instanceof WasmCore);
    assert.equal(a.memory, memory);
    assert.equal(b.memory, memory);
    assert.deepEqual([a.instanceId, b.instanceId], [1, 2]);
    const id = a.spawn(2, 2, Overflow.Reject, Priority.Normal);
    assert.ok(a.enqueue(id) >= 0);
    assert.equal(b.actorCount(), 0);
    assert.equal(b.slotsInUse(), 0);
  });

  test("refuses a memory with the reference implementation, or a memory that is not one", () => {
    assert.throws(
      () => createCore({ implementation: "reference", memory: createCoreMemory() }),
      { name: "TypeError", message: /reference has none/ },
    );
    assert.throws(
      () => createCore({ memory: {} as WebAssembly.Memory }),
      { name: "TypeError", message: /memory must be a WebAssembly.Memory/ },
    );
  });
});
