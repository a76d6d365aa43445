/**
 * Where the repository is, found from this file whether it runs as
 * `e2e/*.ts` (Deno) or as `npm/e2e/*.js` (Node after the npm build): the
 * nearest ancestor directory holding `deno.json` (private: not a test file).
 *
 * @module
 */

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: the nearest ancestor of this file with a `deno.json`. */
export const REPO_ROOT: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "deno.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no deno.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
})();

/** A path inside the repository. */
export function repoPath(...segments: string[]): string {
  return join(REPO_ROOT, ...segments);
}

/** The Deno binary the demo runs on (the repo's dev dependency). */
export const DENO_BIN: string = repoPath("node_modules", ".bin", "deno");
