/**
 * The skipping policy of the end-to-end tests: a missing external program
 * (Prometheus, Chromium) skips the test with a clear message, unless `CI`
 * is set, where it fails (private: not a test file).
 *
 * @module
 */

import { accessSync, constants } from "node:fs";
import process from "node:process";

/** An external program a test needs and is missing while `CI` is set. */
export class MissingRequirementError extends Error {
  /** The program's path. */
  readonly path: string;

  /** Builds the error for `path`. */
  constructor(what: string, path: string) {
    super(`${what} (${path}) is required when CI is set, but it is not executable`);
    this.name = "MissingRequirementError";
    this.path = path;
  }
}

/**
 * Why `path` cannot run here — the skip message — or `false` when it can.
 * Throws {@linkcode MissingRequirementError} when it cannot and `CI` is set.
 */
export function skipUnless(what: string, path: string): string | false {
  try {
    accessSync(path, constants.X_OK);
    return false;
  } catch {
    if (process.env.CI) throw new MissingRequirementError(what, path);
    const reason = `${what} is not installed at ${path} (set CI=1 to make this a failure)`;
    console.log(`skipping: ${reason}`);
    return reason;
  }
}
