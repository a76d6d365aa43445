import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createCoreMemory } from "../../src/core/core_memory.ts";
import { WasmCore } from "../../src/core/wasm_core.ts";

const canShare = (() => {
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof
      SharedArrayBuffer;
  } catch {
    return false;
  }
})();

describe("createCoreMemory", () => {
  test("is shared where the host allows it, by default and when asked", () => {
    const memory = createCoreMemory();
    assert.equal(memory.buffer instanceof SharedArrayBuffer, canShare);
    if (canShare) {
      assert.ok(createCoreMemory({ shared: true }).buffer instanceof SharedArrayBuffer);
    } else {
      assert.throws(() => createCoreMemory({ shared: true }), TypeError);
    }
    assert.ok(!(createCoreMemory({ shared: false }).buffer instanceof SharedArrayBuffer));
  });

  test("starts with initialPages and grows to at most maximumPages as cores need", () => {
    const memory = createCoreMemory({ initialPages: 3, maximumPages: 40, shared: false });
    assert.equal(memory.buffer.byteLength, 3 * 65536);
    const core = new WasmCore({ memory });
    const id = core.spawn(1, 1 << 30, 0, 1);
    let last = 0;
    while ((last = core.enqueue(id)) >= 0);
    assert.equal(last, -11, "OutOfMemory at the maximum");
    const bytes = memory.buffer.byteLength;
    assert.ok(bytes > 3 * 65536 && bytes <= 40 * 65536, `${bytes} bytes`);
  });

  test("refuses bad options with a TypeError or a RangeError", () => {
    assert.throws(() => createCoreMemory(null as unknown as object), TypeError);
    assert.throws(() => createCoreMemory({ shared: "yes" as unknown as boolean }), TypeError);
    for (const maximumPages of [0, 65537, 1.5, NaN, "9" as unknown as number]) {
      assert.throws(() => createCoreMemory({ maximumPages }), RangeError);
    }
    for (const initialPages of [0, 65537, -1]) {
      assert.throws(() => createCoreMemory({ initialPages }), RangeError);
    }
    assert.throws(() => createCoreMemory({ initialPages: 10, maximumPages: 5 }), RangeError);
  });
});
