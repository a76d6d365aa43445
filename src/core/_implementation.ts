/**
 * The `implementation` and `memory` options of the core factories (internal),
 * checked in one place so every factory accepts and refuses the same values.
 *
 * @module
 */

/** Which implementation a factory builds. */
export type Implementation = "auto" | "wasm" | "reference";

const IMPLEMENTATIONS: ReadonlySet<unknown> = new Set(["auto", "wasm", "reference"]);

/**
 * The implementation to build: `"wasm"` or `"reference"`, or `"auto"` (try
 * WebAssembly, fall back to the reference). A `memory` asks for WebAssembly:
 * with it, `"auto"` means `"wasm"` and `"reference"` is a TypeError.
 */
export function implementationOf(
  implementation: unknown,
  memory: unknown,
  owner: string,
  what: "memory" | "module" = "memory",
): Implementation {
  const value = implementation ?? "auto";
  if (!IMPLEMENTATIONS.has(value)) {
    throw new TypeError(
      `${owner}: implementation must be "auto", "wasm" or "reference", got ${String(value)}`,
    );
  }
  if (memory === undefined) return value as Implementation;
  if (value === "reference") {
    throw new TypeError(
      what === "memory"
        ? `${owner}: a memory places a WebAssembly instance; the reference has none`
        : `${owner}: a module is for a WebAssembly instance; the reference has none`,
    );
  }
  return "wasm";
}
