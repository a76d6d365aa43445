/**
 * `/observe` and `/hono` read stages and pipelines through their
 * directories only: walking the runtime imports (type-only imports are
 * erased) of `observe.ts` and `hono.ts` reaches no file of `src/stages/`
 * or `src/pipeline/` but the two small directory modules (and the
 * modules they import), so an app with no stages loads no stage code.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(import.meta.url);
// After the npm build this file is npm/tests/observe/…_test.js next to the built .js sources.
const extension = here.endsWith(".js") ? ".js" : ".ts";

function packageRoot(): string {
  for (let dir = dirname(here);; dir = dirname(dir)) {
    if (existsSync(join(dir, `observe${extension}`))) return dir;
    if (dirname(dir) === dir) throw new Error(`no observe${extension} above ${here}`);
  }
}

const root = packageRoot();
/**
 * A runtime import or re-export of a relative module: not `import type` /
 * `export type`, nor a type query `import("./x.ts").SomeType`.
 */
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s+(?!type\s)(?:[^"';]*?\sfrom\s+)?["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)(?!\.[A-Z])/g;

/** The files `entry` loads at run time, relative to the package root. */
function runtimeGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [join(root, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    const name = relative(root, file);
    if (seen.has(name) || !existsSync(file)) continue;
    seen.add(name);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(IMPORT)) {
      const target = join(dirname(file), match[1] ?? match[2]);
      pending.push(target.replace(/\.ts$/, extension));
    }
  }
  return seen;
}

/**
 * What the observer may load of stages and pipelines: the two directories,
 * and the small module the stage directory takes a stage's name from.
 */
const ALLOWED = new RegExp(
  "^src/(?:stages/(?:_stage_directory|_stage_name)" +
    "|pipeline/_pipeline_directory)\\.[jt]s$",
);

describe("stage and pipeline code", () => {
  for (const entry of ["observe", "hono"]) {
    it(`is not loaded by ${entry}${extension} beyond the directories`, () => {
      const graph = runtimeGraph(`${entry}${extension}`);
      assert.ok(graph.has(`src/observe/system_observer${extension}`), [...graph].join(", "));
      assert.ok(graph.size > 50, `the walk found only ${graph.size} files`);
      const flow = [...graph].filter((file) => /^src\/(?:stages|pipeline)\//.test(file));
      assert.ok(flow.some((file) => ALLOWED.test(file)), `reads a directory: ${flow}`);
      assert.deepEqual(flow.filter((file) => !ALLOWED.test(file)), []);
    });
  }
});
