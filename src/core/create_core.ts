/**
 * Choosing a core implementation at run time.
 *
 * @module
 */

import type { Core } from "./core.ts";
import { ReferenceCore } from "./reference_core.ts";
import { WasmCore } from "./wasm_core.ts";

/** Which core implementation {@linkcode createCore} builds. */
export type CoreImplementation = "auto" | "wasm" | "reference";

/** Options of {@linkcode createCore}. */
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
}

const IMPLEMENTATIONS: ReadonlySet<string> = new Set(["auto", "wasm", "reference"]);

/**
 * Builds a scheduler core.
 *
 * @example The fastest core this host allows
 * ```ts
 * import { createCore } from "@beamlet/beamlet";
 *
 * const core = createCore();
 * console.log(core.kind); // "wasm" on Deno, Bun, Node and browsers
 * ```
 *
 * @example Forcing the reference core
 * ```ts
 * import { createCore } from "@beamlet/beamlet";
 *
 * const core = createCore({ implementation: "reference", reductionBudget: 500 });
 * ```
 */
export function createCore(options: CreateCoreOptions = {}): Core {
  const implementation = options.implementation ?? "auto";
  if (typeof implementation !== "string" || !IMPLEMENTATIONS.has(implementation)) {
    throw new TypeError(
      `createCore: implementation must be "auto", "wasm" or "reference", got ${
        String(implementation)
      }`,
    );
  }
  const coreOptions = { reductionBudget: options.reductionBudget, slotLimit: options.slotLimit };
  if (implementation === "reference") return new ReferenceCore(coreOptions);
  if (implementation === "wasm") return new WasmCore(coreOptions);
  try {
    return new WasmCore(coreOptions);
  } catch {
    // The host refused to compile WebAssembly from bytes (a CompileError on
    // Cloudflare Workers, a RangeError on a browser main thread with a size
    // limit). A bad option fails the reference core the same way, so the
    // caller still sees that error.
    return new ReferenceCore(coreOptions);
  }
}
