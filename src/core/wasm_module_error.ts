/**
 * The error for a precompiled WebAssembly module that is not the one this
 * beamlet was built with.
 *
 * @module
 */

/**
 * A precompiled module handed to beamlet (`new System({ wasmModule })`,
 * `createCore({ module })`, `createHistogramStore({ module })`) is not
 * beamlet's, or was built from other sources than this version of beamlet
 * (its source hash differs), or cannot be linked to the memory it was given.
 * Use the `.wasm` file shipped with the same version: `wasm/scheduler.wasm`
 * for a core, `wasm/histogram_store.wasm` for a histogram store.
 *
 * @example A module that is not beamlet's core
 * ```ts
 * import { createCore, WasmModuleError } from "@beamlet/beamlet/core";
 *
 * // The smallest valid WebAssembly module: no exports, no hash.
 * const empty = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
 * try {
 *   createCore({ module: empty });
 * } catch (error) {
 *   console.log(error instanceof WasmModuleError); // true
 *   console.log((error as WasmModuleError).problem); // "not-beamlet"
 * }
 * ```
 */
export class WasmModuleError extends Error {
  /**
   * What is wrong: `"not-beamlet"` (no beamlet source hash, or exports
   * missing), `"hash-mismatch"` (built from other sources), or `"link"` (the
   * host refused to instantiate it over the memory).
   */
  readonly problem: "not-beamlet" | "hash-mismatch" | "link";
  /** Which module was expected: `"scheduler"` or `"histogram_store"`. */
  readonly expected: string;

  /** Makes the error; `message` says what was found and what to do. */
  constructor(
    problem: "not-beamlet" | "hash-mismatch" | "link",
    expected: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "WasmModuleError";
    this.problem = problem;
    this.expected = expected;
  }
}
