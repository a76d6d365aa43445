import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { System } from "../../src/system.ts";
import type { Report } from "../../src/logger.ts";

/**
 * Runs `body` while WebAssembly cannot instantiate anything (as on a host
 * that forbids compiling it from bytes, or has it disabled).
 */
function withoutWebAssembly<T>(body: () => T): T {
  const wasm = globalThis.WebAssembly as unknown as Record<string, unknown>;
  const instance = wasm.Instance;
  const module = wasm.Module;
  const refuse = function () {
    throw new WebAssembly.CompileError("Wasm code generation disallowed by embedder");
  };
  wasm.Instance = refuse;
  wasm.Module = refuse;
  try {
    return body();
  } finally {
    wasm.Instance = instance;
    wasm.Module = module;
  }
}

describe("falling back to the reference core", () => {
  test("says so once per logger, naming the option that fixes it", async () => {
    const notices: string[] = [];
    const logger = { report: (r: Report) => void (r.kind === "notice" && notices.push(r.message)) };
    const [a, b] = withoutWebAssembly(() => [new System({ logger }), new System({ logger })]);
    assert.equal(a.schedulerStats().core, "reference");
    assert.equal(b.schedulerStats().core, "reference");
    assert.equal(notices.length, 1);
    assert.match(notices[0], /reference core/);
    assert.match(notices[0], /wasmModule/);
    assert.match(notices[0], /wasm\/scheduler\.wasm/);
    const other: string[] = [];
    withoutWebAssembly(() =>
      new System({
        logger: { report: (r: Report) => void (r.kind === "notice" && other.push(r.message)) },
      })
    );
    assert.equal(other.length, 1, "another logger is told too");
    await a.shutdown();
    await b.shutdown();
  });

  test("asked for the reference core, or given a working WebAssembly, says nothing", async () => {
    const notices: Report[] = [];
    const logger = { report: (r: Report) => void notices.push(r) };
    const systems = [
      new System({ logger }),
      withoutWebAssembly(() => new System({ core: "reference", logger })),
    ];
    assert.equal(systems[0].schedulerStats().core, "wasm");
    assert.deepEqual(notices, []);
    for (const s of systems) await s.shutdown();
  });

  test("with no WebAssembly at all, the notice says so and does not offer a module", async () => {
    const notices: string[] = [];
    const logger = { report: (r: Report) => void (r.kind === "notice" && notices.push(r.message)) };
    const g = globalThis as { WebAssembly?: unknown };
    const saved = g.WebAssembly;
    delete g.WebAssembly;
    let system: System;
    try {
      system = new System({ logger });
    } finally {
      g.WebAssembly = saved;
    }
    assert.equal(system.schedulerStats().core, "reference");
    assert.equal(notices.length, 1);
    assert.match(notices[0], /has no WebAssembly/);
    assert.doesNotMatch(notices[0], /wasmModule/);
    await system.shutdown();
  });

  test("a logger that throws on the notice does not stop the System", async () => {
    const system = withoutWebAssembly(() =>
      new System({
        logger: {
          report: () => {
            throw new Error("logger down");
          },
        },
      })
    );
    assert.equal(system.schedulerStats().core, "reference");
    await system.shutdown();
  });
});
