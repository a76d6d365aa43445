/**
 * Checking a precompiled WebAssembly module before instantiating it
 * (internal): the factories accept one (the Cloudflare Workers way: the
 * host compiles `.wasm` files at deploy time and forbids compiling bytes at
 * run time), and a wrong one must fail with a named error, not a crash
 * somewhere inside the scheduler.
 *
 * @module
 */

import { WasmModuleError } from "./wasm_module_error.ts";

/** What a module must be: its name, source hash, hash section and exports. */
export interface ModuleIdentity {
  /** `"scheduler"` or `"histogram_store"`: also the `.wasm` file's base name. */
  readonly name: string;
  /** The sha256 the module's hash section must hold. */
  readonly hash: string;
  /** The custom section holding it. */
  readonly section: string;
  /** Every export it must have. */
  readonly exports: readonly string[];
}

/**
 * `module` when it is a `WebAssembly.Module` built from the same sources as
 * `identity`; a TypeError when it is not a module at all, a
 * {@linkcode WasmModuleError} when it is another module or another build.
 */
export function checkModule(
  module: unknown,
  identity: ModuleIdentity,
  owner: string,
): WebAssembly.Module {
  const file = `wasm/${identity.name}.wasm`;
  if (typeof WebAssembly !== "object" || !(module instanceof WebAssembly.Module)) {
    throw new TypeError(
      `${owner}: module must be a WebAssembly.Module (import beamlet's ${file}), got ${
        module === null ? "null" : typeof module
      }`,
    );
  }
  const sections = WebAssembly.Module.customSections(module, identity.section);
  if (sections.length !== 1) {
    throw new WasmModuleError(
      "not-beamlet",
      identity.name,
      `${owner}: the module is not beamlet's ${identity.name} (it has no "${identity.section}" section); use ${file}`,
    );
  }
  const hash = new TextDecoder().decode(sections[0]);
  if (hash !== identity.hash) {
    throw new WasmModuleError(
      "hash-mismatch",
      identity.name,
      `${owner}: the module was built from other sources (source hash ${
        hash.slice(0, 12)
      }…, this beamlet's is ${
        identity.hash.slice(0, 12)
      }…); use the ${file} of the same beamlet version`,
    );
  }
  const exported = new Set(WebAssembly.Module.exports(module).map((entry) => entry.name));
  const missing = identity.exports.filter((name) => !exported.has(name));
  if (missing.length > 0) {
    throw new WasmModuleError(
      "not-beamlet",
      identity.name,
      `${owner}: the module lacks exports of beamlet's ${identity.name}: ${
        missing.slice(0, 5).join(", ")
      }${missing.length > 5 ? ", …" : ""}`,
    );
  }
  return module;
}

/** Instantiates with `instantiate`, turning the host's LinkError into a {@linkcode WasmModuleError}. */
export function linkChecked<T>(identity: ModuleIdentity, owner: string, instantiate: () => T): T {
  try {
    return instantiate();
  } catch (error) {
    if (!(error instanceof WebAssembly.LinkError)) throw error;
    throw new WasmModuleError(
      "link",
      identity.name,
      `${owner}: the module could not be linked to its memory (${error.message}); ` +
        `wasm/${identity.name}.wasm is built for an unshared memory`,
      { cause: error },
    );
  }
}
