/**
 * Choosing a scheduler core implementation at run time.
 *
 * @module
 */

import { type Implementation, implementationOf } from "./_implementation.ts";
import type { Core } from "./core.ts";
import { ReferenceCore } from "./reference_core.ts";
import { WasmCore } from "./wasm_core.ts";

/**
 * Which core implementation {@linkcode createCore} builds.
 *
 * @example A core for a setting
 * ```ts
 * import { type CoreImplementation, createCore } from "@beamlet/beamlet/core";
 *
 * const coreFor = (implementation: CoreImplementation) => createCore({ implementation });
 * console.log(coreFor("reference").kind); // "reference"
 * console.log(coreFor("auto").kind); // "wasm" where this host compiles WebAssembly
 * ```
 */
export type CoreImplementation = Implementation;

/**
 * Options of {@linkcode createCore}.
 *
 * @example A small budget and a global queue limit
 * ```ts
 * import { createCore, type CreateCoreOptions } from "@beamlet/beamlet/core";
 *
 * const options: CreateCoreOptions = { reductionBudget: 100, slotLimit: 1024 };
 * const core = createCore(options);
 * console.log(core.reductionBudget); // 100
 * ```
 */
export interface CreateCoreOptions {
  /**
   * `"wasm"` (the WebAssembly core), `"reference"` (the TypeScript core), or
   * `"auto"` (default): WebAssembly when this host can compile it from bytes,
   * else the reference core (Cloudflare Workers forbid compiling from bytes).
   */
  implementation?: CoreImplementation;
  /** Reductions per run of an actor (integer >= 1); default `DEFAULT_REDUCTION_BUDGET`. */
  reductionBudget?: number;
  /** Most messages queued at once across all mailboxes (integer in 1..2^30; default 2^30). */
  slotLimit?: number;
  /**
   * Most actors alive at once (integer in `1..MAX_ACTORS`; default
   * {@linkcode MAX_ACTORS}, 2^20); past it `spawn` returns `CoreCode.Limit`.
   */
  actorLimit?: number;
  /**
   * The memory to place a WebAssembly core in, next to other cores (see
   * {@linkcode createCoreMemory}); default: a memory of its own. A memory means WebAssembly: `"auto"` does not fall back, and
   * `"reference"` is refused.
   */
  memory?: WebAssembly.Memory;
  /**
   * A precompiled scheduler module, beamlet's `wasm/scheduler.wasm` (see
   * `WasmCoreOptions.module`): how a host that cannot compile
   * WebAssembly from bytes (Cloudflare Workers) gets the WebAssembly core.
   * Like a memory, a module means WebAssembly: `"auto"` does not fall back,
   * `"reference"` is refused, and a module that is not this beamlet's
   * scheduler is a `WasmModuleError`.
   */
  module?: WebAssembly.Module;
}

/**
 * Builds a scheduler core.
 *
 * @example The fastest core this host allows
 * ```ts
 * import { createCore } from "@beamlet/beamlet/core";
 *
 * const core = createCore();
 * console.log(core.kind); // "wasm" on Deno, Bun, Node and browsers
 * ```
 *
 * @example Forcing the reference core
 * ```ts
 * import { createCore } from "@beamlet/beamlet/core";
 *
 * const core = createCore({ implementation: "reference", reductionBudget: 500 });
 * ```
 *
 * @example Two cores in one memory
 * ```ts
 * import { createCore, createCoreMemory } from "@beamlet/beamlet/core";
 *
 * const memory = createCoreMemory();
 * const a = createCore({ memory });
 * const b = createCore({ memory }); // its own chunks of the same memory
 * ```
 */
export function createCore(options: CreateCoreOptions = {}): Core {
  return chooseCore(options).core;
}

/**
 * {@linkcode createCore}, telling also why `"auto"` fell back to the
 * reference core (internal: the System reports it once).
 */
export function chooseCore(
  options: CreateCoreOptions,
  owner = "createCore",
): { core: Core; fallback?: unknown } {
  const { memory, module } = options;
  const implementation = implementationOf(
    options.implementation,
    memory ?? module,
    owner,
    module === undefined ? "memory" : "module",
  );
  const coreOptions = {
    reductionBudget: options.reductionBudget,
    slotLimit: options.slotLimit,
    actorLimit: options.actorLimit,
  };
  if (implementation === "reference") return { core: new ReferenceCore(coreOptions) };
  if (implementation === "wasm") return { core: new WasmCore({ ...coreOptions, memory, module }) };
  try {
    return { core: new WasmCore(coreOptions) };
  } catch (error) {
    // The host refused to compile WebAssembly from bytes (a CompileError on
    // Cloudflare Workers, a RangeError on a browser main thread with a size
    // limit), or has no WebAssembly at all. A bad option fails the reference
    // core the same way, so the caller still sees that error.
    return { core: new ReferenceCore(coreOptions), fallback: error };
  }
}
