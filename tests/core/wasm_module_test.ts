import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createCore } from "../../src/core/create_core.ts";
import { createHistogramStore } from "../../src/core/create_histogram_store.ts";
import { createCoreMemory } from "../../src/core/core_memory.ts";
import { WasmModuleError } from "../../src/core/wasm_module_error.ts";
import { Overflow, Priority } from "../../src/core/core.ts";
import { schedulerModule } from "../../wasm/scheduler_wasm.ts";
import { System } from "../../src/system.ts";
import { ok, reply } from "../../src/gen_server.ts";

/** A `.wasm` file shipped in `wasm/` (next to the tests' root, in the repo or in `npm/`). */
function wasmFile(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(new URL(`../../wasm/${name}`, import.meta.url)));
}

const scheduler = () => new WebAssembly.Module(wasmFile("scheduler.wasm"));
const histogramStore = () => new WebAssembly.Module(wasmFile("histogram_store.wasm"));

/** The bytes with the first occurrence of the hash section's payload changed by one hex digit. */
function otherBuild(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const marker = new TextEncoder().encode("beamlet:source-sha256");
  const at = bytes.findIndex((_, i) => marker.every((b, j) => bytes[i + j] === b));
  assert.ok(at > 0, "the module has a hash section");
  const copy = bytes.slice();
  const digit = at + marker.length; // first hex digit of the hash
  copy[digit] = copy[digit] === 0x30 ? 0x31 : 0x30;
  return copy;
}

describe("precompiled WebAssembly modules", () => {
  test("the shipped scheduler.wasm runs a core, alone and through a System", async () => {
    const core = createCore({ module: scheduler() });
    assert.equal(core.kind, "wasm");
    const id = core.spawn(2, 2, Overflow.Reject, Priority.Normal);
    assert.ok(core.enqueue(id) >= 0);
    assert.equal(core.next(), id);

    const system = new System({ wasmModule: scheduler() });
    assert.equal(system.schedulerStats().core, "wasm");
    const pid = await system.start({
      init: () => ok(0),
      handleCall: (_: "get", _from: unknown, n: number) => reply(n, n),
    });
    assert.equal(await system.call(pid, "get"), 0);
    await system.shutdown();
  });

  test("the shipped histogram_store.wasm runs a store", () => {
    const store = createHistogramStore({ module: histogramStore() });
    assert.equal(store.kind, "wasm");
    const h = store.histogramCreate();
    assert.ok(h > 0);
  });

  test("a module means WebAssembly: with the reference implementation it is a TypeError", () => {
    assert.throws(
      () => createCore({ implementation: "reference", module: scheduler() }),
      (error: unknown) =>
        error instanceof TypeError && /a module is for a WebAssembly/.test(error.message),
    );
    assert.throws(() => new System({ core: "reference", wasmModule: scheduler() }), TypeError);
  });

  test("something that is not a module is a TypeError naming the file to use", () => {
    for (const value of [null, 42, "scheduler.wasm", wasmFile("scheduler.wasm"), {}]) {
      assert.throws(
        () => createCore({ module: value as unknown as WebAssembly.Module }),
        (error: unknown) =>
          error instanceof TypeError && /module must be a WebAssembly.Module/.test(error.message) &&
          /wasm\/scheduler\.wasm/.test(error.message),
      );
    }
  });

  test("a module that is not beamlet's is a WasmModuleError, not-beamlet", () => {
    const empty = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    for (
      const build of [
        () => createCore({ module: empty }),
        () => createHistogramStore({ module: empty }),
      ]
    ) {
      assert.throws(
        build,
        (error: unknown) =>
          error instanceof WasmModuleError && error.problem === "not-beamlet" &&
          error.name === "WasmModuleError",
      );
    }
  });

  test("the other module, or a build from other sources, is a WasmModuleError, hash-mismatch", () => {
    assert.throws(
      () => createCore({ module: histogramStore() }),
      (error: unknown) =>
        error instanceof WasmModuleError && error.problem === "hash-mismatch" &&
        error.expected === "scheduler",
    );
    const rebuilt = new WebAssembly.Module(otherBuild(wasmFile("scheduler.wasm")));
    assert.throws(
      () => new System({ wasmModule: rebuilt }),
      (error: unknown) =>
        error instanceof WasmModuleError && error.problem === "hash-mismatch" &&
        /same beamlet version/.test(error.message),
    );
  });

  test("the shared-memory build over an unshared memory is a WasmModuleError, link", () => {
    // A module built for a shared memory cannot import an unshared one.
    assert.throws(
      () =>
        createCore({
          module: schedulerModule(true),
          memory: new WebAssembly.Memory({ initial: 1, maximum: 65536 }),
        }),
      (error: unknown) => error instanceof WasmModuleError && error.problem === "link",
    );
    // And the shipped (unshared) file next to other instances in an unshared memory works.
    const memory = createCoreMemory({ shared: false });
    const a = createCore({ module: scheduler(), memory });
    const b = createCore({ module: scheduler(), memory });
    assert.notEqual(a.spawn(1, 1, Overflow.Reject, Priority.Normal), 0);
    assert.notEqual(b.spawn(1, 1, Overflow.Reject, Priority.Normal), 0);
  });
});
