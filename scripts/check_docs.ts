/**
 * The documentation checks over every entry of `deno.json` `exports`:
 *
 * 1. `deno check --doc`: the entries, and the examples in their module docs,
 *    type-check; so do the code blocks of `README.md` and `docs/*.md`.
 * 2. `deno check --doc` over the public files of `src/` (not `_`-prefixed):
 *    the `@example` of every public symbol type-checks, importing from the
 *    entry that exports it (`scripts/fix_doc_imports.ts` rewrites them).
 * 3. `deno doc --lint`: every public symbol has a doc comment and an explicit
 *    type, and every type a public symbol references is public (exported by
 *    some entry).
 * 4. Every public symbol's doc comment has an `@example` (which 2 checks).
 *
 * `deno doc --lint` drops `private-type-ref` for types that live in another
 * package (denoland/deno#27364), but with `"nodeModulesDir": "manual"` an npm
 * package resolves to a `file:` URL under `node_modules/` and looks local; so
 * this script drops those diagnostics itself: a referenced type that the
 * flagged file imports from a bare specifier (`"fast-check"`,
 * `"@opentelemetry/api"`, `"hono"`) is that package's to document.
 *
 * ```sh
 * deno run --allow-read --allow-run --allow-env scripts/check_docs.ts
 * ```
 *
 * @module
 */

import { entries, ROOT } from "./_entries.ts";
import { type DenoRun, runDeno } from "./_run_deno.ts";

// Entries left out of `deno doc --lint` (none: every entry is linted).
const DOC_LINT_SKIP: ReadonlySet<string> = new Set([]);

interface DocSymbol {
  name: string;
  declarations: {
    location: { filename: string };
    jsDoc?: { tags?: { kind: string }[] };
  }[];
}

/** The public symbols of `files` without an `@example`, as `file: name`. */
async function withoutExamples(files: string[]): Promise<string[]> {
  const { code, stdout, output } = await run(["doc", "--json", ...files]);
  if (code !== 0) throw new Error(`deno doc --json failed:\n${output}`);
  const doc = JSON.parse(stdout) as { nodes: Record<string, { symbols: DocSymbol[] }> };
  const found = new Map<string, { file: string; example: boolean }>();
  for (const node of Object.values(doc.nodes)) {
    for (const symbol of node.symbols) {
      const seen = found.get(symbol.name) ?? { file: "", example: false };
      for (const declaration of symbol.declarations) {
        const file = declaration.location.filename.replace(ROOT.href, "");
        // A re-export is located at the entry; the definition is under src/.
        if (seen.file === "" || file.includes("/")) seen.file = file;
        if (declaration.jsDoc?.tags?.some((tag) => tag.kind === "example")) seen.example = true;
      }
      found.set(symbol.name, seen);
    }
  }
  return [...found].filter(([, { example }]) => !example)
    .map(([name, { file }]) => `${file}: ${name}`).sort();
}

/** The public `.ts` files under `src/` (none of whose path segments starts with `_`). */
async function publicSourceFiles(dir = "src"): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(new URL(`${dir}/`, ROOT))) {
    if (entry.name.startsWith("_")) continue;
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...await publicSourceFiles(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files.sort();
}

/** One diagnostic of `deno doc --lint`. */
export interface Diagnostic {
  /** The rule, such as `private-type-ref` or `missing-jsdoc`. */
  readonly rule: string;
  /** Its first line, without the rule. */
  readonly message: string;
  /** The file it points at (an absolute path). */
  readonly file: string;
  /** The whole block, as printed. */
  readonly text: string;
}

/** The diagnostics in `deno doc --lint` output (printed without colour). */
export function parseDiagnostics(output: string): Diagnostic[] {
  const blocks = output.split(/\n(?=error\[)/).filter((block) => block.startsWith("error["));
  return blocks.map((block) => {
    const head = /^error\[([\w-]+)\]: (.*)$/m.exec(block)!;
    const where = /-->\s+(.+?):\d+:\d+/.exec(block);
    return {
      rule: head[1],
      message: head[2],
      file: where?.[1] ?? "",
      text: block.trimEnd(),
    };
  });
}

/** The names `source` imports from bare specifiers (other packages), namespaces included. */
export function externalImports(source: string): Set<string> {
  const names = new Set<string>();
  const imports = /import\s+(type\s+)?([^"';]*?)\s+from\s+["']([^"']+)["']/g;
  for (const [, , clause, specifier] of source.matchAll(imports)) {
    if (/^(\.|\/|file:|node:)/.test(specifier) || specifier.startsWith("@beamlet/")) continue;
    for (const part of clause.replace(/[{}]/g, ",").split(",")) {
      const name = part.trim().replace(/^type\s+/, "").replace(/^\*\s+as\s+/, "");
      const local = name.split(/\s+as\s+/).at(-1)?.trim();
      if (local) names.add(local);
    }
  }
  return names;
}

/** Whether `diagnostic` is a private-type-ref to a type of another package. */
async function isExternalTypeRef(diagnostic: Diagnostic): Promise<boolean> {
  if (diagnostic.rule !== "private-type-ref" || diagnostic.file === "") return false;
  const referenced = /references private type '([^']+)'/.exec(diagnostic.message)?.[1];
  if (referenced === undefined) return false;
  const source = await Deno.readTextFile(diagnostic.file);
  return externalImports(source).has(referenced);
}

function run(args: string[]): Promise<DenoRun> {
  return runDeno(args, ROOT);
}

/** Runs both checks; resolves to the number of failures, after printing them. */
export async function checkDocs(): Promise<number> {
  const files = (await entries()).map((entry) => entry.file);
  let failures = 0;

  const markdown = ["README.md"];
  for await (const entry of Deno.readDir(new URL("docs/", ROOT))) {
    if (entry.name.endsWith(".md")) markdown.push(`docs/${entry.name}`);
  }
  const check = await run(["check", "--doc", ...files]);
  const prose = await run(["check", "--doc-only", ...markdown.sort()]);
  if (check.code !== 0) {
    console.error(check.output);
    console.error(`check_docs: deno check --doc failed`);
    failures++;
  } else {
    console.log(`check_docs: deno check --doc: ${files.length} entries ok`);
  }
  if (prose.code !== 0) {
    console.error(prose.output);
    console.error(`check_docs: deno check --doc-only ${markdown.join(" ")} failed`);
    failures++;
  } else {
    console.log(`check_docs: deno check --doc-only: ${markdown.join(", ")} ok`);
  }

  const sources = await publicSourceFiles();
  const examples = await run(["check", "--doc", ...sources]);
  if (examples.code !== 0) {
    console.error(examples.output);
    console.error(`check_docs: deno check --doc over src/ failed`);
    failures++;
  } else {
    console.log(`check_docs: deno check --doc: ${sources.length} files of src/ ok`);
  }

  const linted = files.filter((file) => !DOC_LINT_SKIP.has(file));
  const lint = await run(["doc", "--lint", ...linted]);
  const diagnostics = parseDiagnostics(lint.output);
  const kept: Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    if (!(await isExternalTypeRef(diagnostic))) kept.push(diagnostic);
  }
  if (kept.length > 0 || (lint.code !== 0 && diagnostics.length === 0)) {
    console.error(kept.length > 0 ? kept.map((d) => d.text).join("\n\n") : lint.output);
    console.error(`check_docs: deno doc --lint: ${kept.length || "unparsed"} errors`);
    failures++;
  } else {
    console.log(
      `check_docs: deno doc --lint: ${linted.length} entries ok` +
        ` (${diagnostics.length} references to other packages' types left to them` +
        (DOC_LINT_SKIP.size > 0 ? `; skipped: ${[...DOC_LINT_SKIP].join(", ")})` : ")"),
    );
  }
  const missing = await withoutExamples(files);
  if (missing.length > 0) {
    console.error(missing.join("\n"));
    console.error(`check_docs: ${missing.length} public symbols without an @example`);
    failures++;
  } else {
    console.log(`check_docs: every public symbol has an @example`);
  }
  return failures;
}

if (import.meta.main) {
  Deno.exit((await checkDocs()) > 0 ? 1 : 0);
}
