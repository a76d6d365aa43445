/**
 * What a WebAssembly instance needs around its memory (internal): a memory
 * of its own by default, the checks of a given one,
 * and instantiating over it with errors a user can read.
 *
 * @module
 */

import { CoreError } from "./errors.ts";
import { CoreCode, MAX_MEMORY_PAGES } from "./_layout.ts";

/** The memory an instance lives in: `memory` when given (checked), else a new unshared one. */
export function memoryFor(memory: unknown, owner: string): WebAssembly.Memory {
  if (memory === undefined) {
    return new WebAssembly.Memory({ initial: 1, maximum: MAX_MEMORY_PAGES });
  }
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new TypeError(
      `${owner}: memory must be a WebAssembly.Memory (see createCoreMemory), got ${
        memory === null ? "null" : typeof memory
      }`,
    );
  }
  return memory;
}

/**
 * Instantiates over `memory` and places the instance (`init`); a memory the
 * module cannot import is a TypeError, a refused placement a CoreError.
 */
export function placeIn<T extends { instanceId(): number }>(
  memory: WebAssembly.Memory,
  owner: string,
  instantiate: (memory: WebAssembly.Memory) => T,
  init: (instance: T) => number,
): T {
  let instance: T;
  try {
    instance = instantiate(memory);
  } catch (error) {
    if (!(error instanceof WebAssembly.LinkError)) throw error;
    throw new TypeError(
      `${owner}: memory must have a maximum of at most ${MAX_MEMORY_PAGES} pages (createCoreMemory makes one)`,
      { cause: error },
    );
  }
  const placed = init(instance);
  if (placed !== CoreCode.Ok) throw new CoreError(placed, `${owner} init`);
  return instance;
}
