/**
 * Points the imports in doc-comment examples at the entry that exports each
 * name: `import { Metrics, System } from "@beamlet/beamlet"` becomes one
 * import from `"@beamlet/beamlet"` (System) and one from
 * `"@beamlet/beamlet/metrics"` (Metrics). The root is preferred; otherwise
 * the first entry in `deno.json` `exports` that exports the name. Names no
 * entry exports are left where they were (and `deno check --doc` will say
 * so). Idempotent; rewrites only single-line imports inside comments.
 *
 * ```sh
 * deno run --allow-read --allow-write --allow-run scripts/fix_doc_imports.ts src/metrics src/core
 * ```
 *
 * @module
 */

import { entries, ROOT } from "./_entries.ts";
import { exportedNames } from "./count_exports.ts";

const IMPORT =
  /^(\s*\*\s*)import (type )?\{([^}]*)\} from "(@beamlet\/beamlet(?:\/[a-z_]+)?)";\s*$/;

/** Where each exported name lives: the specifier to import it from. */
export async function homes(): Promise<Map<string, string>> {
  const deno = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT))) as { name: string };
  const home = new Map<string, string>();
  const list = await entries();
  // The root first, then the others in their deno.json order.
  list.sort((a, b) => (a.subpath === "." ? -1 : b.subpath === "." ? 1 : 0));
  for (const entry of list) {
    const specifier = entry.subpath === "." ? deno.name : deno.name + entry.subpath.slice(1);
    for (const name of await exportedNames(entry.file)) {
      if (!home.has(name)) home.set(name, specifier);
    }
  }
  return home;
}

/** `source` with its doc-example imports regrouped by `home`. */
export function rewrite(source: string, home: Map<string, string>): string {
  return source.split("\n").map((line) => {
    const match = IMPORT.exec(line);
    if (!match) return line;
    const [, prefix, allTypes, clause, specifier] = match;
    const groups = new Map<string, string[]>();
    for (const raw of clause.split(",")) {
      const part = raw.trim();
      if (part === "") continue;
      const name = part.replace(/^type\s+/, "").split(/\s+as\s+/)[0];
      const target = home.get(name) ?? specifier;
      const spelled = allTypes && !part.startsWith("type ") ? `type ${part}` : part;
      groups.set(target, [...(groups.get(target) ?? []), spelled]);
    }
    const order = [...groups.keys()].sort((a, b) => a.length - b.length || a.localeCompare(b));
    return order.map((target) => {
      const parts = groups.get(target)!;
      const onlyTypes = parts.every((part) => part.startsWith("type "));
      const names = onlyTypes ? parts.map((part) => part.slice("type ".length)) : parts;
      names.sort((a, b) =>
        a.replace(/^type /, "").localeCompare(b.replace(/^type /, ""), "en", {
          sensitivity: "base",
        })
      );
      return `${prefix}import ${onlyTypes ? "type " : ""}{ ${names.join(", ")} } from "${target}";`;
    }).join("\n");
  }).join("\n");
}

async function* tsFiles(path: string): AsyncGenerator<string> {
  const info = await Deno.stat(path);
  if (info.isFile) {
    if (path.endsWith(".ts")) yield path;
    return;
  }
  for await (const entry of Deno.readDir(path)) yield* tsFiles(`${path}/${entry.name}`);
}

if (import.meta.main) {
  const home = await homes();
  let changed = 0;
  for (const arg of Deno.args) {
    for await (const file of tsFiles(arg)) {
      const before = await Deno.readTextFile(file);
      const after = rewrite(before, home);
      if (after !== before) {
        await Deno.writeTextFile(file, after);
        changed++;
        console.log(`fix_doc_imports: ${file}`);
      }
    }
  }
  console.log(`fix_doc_imports: ${changed} files changed`);
}
