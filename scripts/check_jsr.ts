/**
 * The JSR package, checked as JSR and a Deno user see it:
 *
 * 1. `deno publish --dry-run` passes (type check and the slow-types check of
 *    every entry of `deno.json` `exports`) — never with `--allow-slow-types`.
 * 2. The files it would upload are the package and nothing else: every
 *    entry, `src/`, `wasm/`, `README.md`, `deno.json` (and the `LICENSE*`
 *    files at the root, when the repository has them); no tests, benchmarks, examples, scripts,
 *    AssemblyScript sources, npm build or `node_modules`; and every `.ts`
 *    file at the root is an entry (an entry file missing from `exports`
 *    would ship unreachable).
 * 3. Those files alone, copied into a Deno workspace in a temporary
 *    directory outside the repository, pass `deno doc --lint` over every
 *    entry together (the package's public API: a type exported by any entry
 *    is public, as JSR's docs link across entries). `private-type-ref`
 *    diagnostics for types of other packages (fast-check, OpenTelemetry)
 *    are dropped as `scripts/check_docs.ts` drops them (denoland/deno#27364:
 *    an npm package's types resolve to `file:` URLs in the npm cache).
 * 4. A user's program in that workspace (`scripts/jsr_consumer/main.ts`)
 *    imports `@beamlet/beamlet`, `/hono`, `/testing`, `/otel` and `/tables`,
 *    type-checks, runs a GenServer, answers `/health` through the Hono
 *    adapter, runs a test system, a traced system and an ordered_set table.
 *    The user's own `deno.json` names no dependency: `hono`, `fast-check`,
 *    `@opentelemetry/api` and `@js-sdsl/ordered-map` come from the package's
 *    own import map, as they do
 *    for a package installed from JSR. Deno takes them from its npm cache
 *    (`DENO_DIR`), fetching them from the npm registry the first time.
 *
 * ```sh
 * deno run --allow-read --allow-write --allow-run --allow-env scripts/check_jsr.ts
 * deno run ... scripts/check_jsr.ts --allow-dirty   # locally, with uncommitted changes
 * ```
 *
 * @module
 */

import { entries, type Entry, ROOT } from "./_entries.ts";
import { type Diagnostic, externalImports, parseDiagnostics } from "./check_docs.ts";
import { runDeno } from "./_run_deno.ts";

/** Top-level files and folders the package must never ship. */
const NEVER_PUBLISHED: readonly string[] = [
  "tests/",
  "bench/",
  "examples/",
  "e2e/",
  "scripts/",
  "core/",
  "dashboard/",
  "npm/",
  "node_modules/",
  "artifacts/",
  ".bench/",
  ".ci/",
  ".git",
  "package.json",
  "package-lock.json",
];

/** What the user's program prints (`scripts/jsr_consumer/main.ts`). */
const EXPECTED_OUTPUT = [
  "call: 42",
  'health: 200 {"status":"ok"}',
  "metrics without a token: 401",
  "stopped",
  "test system: 42",
  "traced system: 0 processes",
  "ordered_set: a,b",
];

const deno = runDeno;

/** The files `deno publish` would upload, relative to the root, from its dry-run listing. */
export function listedFiles(output: string, root: string): string[] {
  const files: string[] = [];
  for (const [, url] of output.matchAll(/^\s+(file:\/\/\S+) \(/gm)) {
    if (url.startsWith(root)) files.push(decodeURIComponent(url.slice(root.length)));
  }
  return files.sort();
}

/** What is wrong with the published file set: missing package files, files it must not ship. */
export function fileSetProblems(
  files: readonly string[],
  packageEntries: readonly Entry[],
  licenses: readonly string[],
): string[] {
  const problems: string[] = [];
  const required = [
    ...packageEntries.map((entry) => entry.file),
    "README.md",
    "deno.json",
    ...licenses,
  ];
  for (const file of required) {
    if (!files.includes(file)) problems.push(`not published: ${file}`);
  }
  for (const dir of ["src/", "wasm/"]) {
    if (!files.some((file) => file.startsWith(dir))) problems.push(`not published: ${dir}`);
  }
  const entryFiles = new Set(packageEntries.map((entry) => entry.file));
  for (const file of files) {
    if (!file.includes("/") && file.endsWith(".ts") && !entryFiles.has(file)) {
      problems.push(`a root .ts file that is no entry of deno.json exports: ${file}`);
    }
    const banned = NEVER_PUBLISHED.find((prefix) =>
      prefix.endsWith("/") ? file.startsWith(prefix) : file === prefix
    );
    if (banned !== undefined) problems.push(`published but must not be: ${file}`);
  }
  return problems;
}

/** The license files at the root (`LICENSE`, `LICENSE.md`, ...). */
async function licenseFiles(): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(ROOT)) {
    if (entry.isFile && entry.name.startsWith("LICENSE")) found.push(entry.name);
  }
  return found.sort();
}

/**
 * Copies `files` into `<dir>/beamlet/` and makes `<dir>` a Deno workspace
 * with that package as its member and the user's program as `main.ts`.
 * `nodeModulesDir` is dropped from the copy's `deno.json`: Deno allows it
 * only at a workspace root, and JSR ignores it (the repository sets it for
 * its own development, with `node_modules/` from npm).
 */
async function makeConsumer(dir: string, files: readonly string[]): Promise<void> {
  for (const file of files) {
    const target = `${dir}/beamlet/${file}`;
    await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
    await Deno.copyFile(new URL(file, ROOT), target);
  }
  const config = JSON.parse(await Deno.readTextFile(`${dir}/beamlet/deno.json`));
  delete config.nodeModulesDir;
  await Deno.writeTextFile(`${dir}/beamlet/deno.json`, JSON.stringify(config, null, 2) + "\n");
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    JSON.stringify({ workspace: ["./beamlet"] }, null, 2) + "\n",
  );
  await Deno.copyFile(new URL("scripts/jsr_consumer/main.ts", ROOT), `${dir}/main.ts`);
}

/** The diagnostics that are not `private-type-ref`s to another package's types. */
async function ownDiagnostics(diagnostics: readonly Diagnostic[]): Promise<Diagnostic[]> {
  const kept: Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    const referenced = /references private type '([^']+)'/.exec(diagnostic.message)?.[1];
    const external = diagnostic.rule === "private-type-ref" && referenced !== undefined &&
      diagnostic.file !== "" &&
      externalImports(await Deno.readTextFile(diagnostic.file)).has(referenced);
    if (!external) kept.push(diagnostic);
  }
  return kept;
}

/** Runs every check; resolves to the number of failures, after printing them. */
export async function checkJsr(options: { allowDirty?: boolean } = {}): Promise<number> {
  let failures = 0;
  const fail = (message: string, output = "") => {
    if (output !== "") console.error(output.trimEnd());
    console.error(`check_jsr: ${message}`);
    failures++;
  };

  const publish = await deno(
    ["publish", "--dry-run", ...(options.allowDirty ? ["--allow-dirty"] : [])],
    ROOT,
  );
  if (publish.code !== 0) {
    const dirty = publish.output.includes("uncommitted changes");
    fail(
      "deno publish --dry-run failed" +
        (dirty ? " (locally, with uncommitted changes: npm run check:jsr -- --allow-dirty)" : ""),
      publish.output,
    );
    return failures;
  }
  const files = listedFiles(publish.output, ROOT.href);
  console.log(`check_jsr: deno publish --dry-run ok (${files.length} files)`);

  const packageEntries = await entries();
  const licenses = await licenseFiles();
  const problems = fileSetProblems(files, packageEntries, licenses);
  if (problems.length > 0) fail("the published files are wrong", problems.join("\n"));
  else {
    console.log(
      `check_jsr: published files ok (entries, src/, wasm/, README.md` +
        (licenses.length > 0 ? `, ${licenses.join(", ")}` : "; no LICENSE in the repository yet") +
        ")",
    );
  }

  const dir = await Deno.makeTempDir({ prefix: "beamlet_jsr_" });
  try {
    await makeConsumer(dir, files);
    const entryFiles = packageEntries.map((entry) => entry.file);
    const lint = await deno(["doc", "--lint", ...entryFiles], `${dir}/beamlet`);
    const diagnostics = parseDiagnostics(lint.output);
    const kept = await ownDiagnostics(diagnostics);
    if (kept.length > 0 || (lint.code !== 0 && diagnostics.length === 0)) {
      fail(
        `deno doc --lint over the published entries: ${kept.length || "unparsed"} errors`,
        kept.length > 0 ? kept.map((d) => d.text).join("\n\n") : lint.output,
      );
    } else {
      console.log(
        `check_jsr: deno doc --lint: ${entryFiles.length} published entries ok` +
          ` (${diagnostics.length} references to other packages' types left to them)`,
      );
    }

    const check = await deno(["check", "main.ts"], dir);
    if (check.code !== 0) fail("the user's program does not type-check", check.output);
    const run = await deno(["run", "--no-prompt", "main.ts"], dir);
    const printed = run.stdout.trimEnd().split("\n");
    if (run.code !== 0 || printed.join("\n") !== EXPECTED_OUTPUT.join("\n")) {
      fail(
        `the user's program (exit ${run.code}) printed other than:\n` +
          EXPECTED_OUTPUT.join("\n"),
        run.output,
      );
    } else if (check.code === 0) {
      console.log(
        "check_jsr: a Deno workspace outside the repository imports @beamlet/beamlet, /hono," +
          " /testing, /otel and /tables (their npm dependencies from the package's import map):" +
          " type-checks, runs, /health ok",
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return failures;
}

if (import.meta.main) {
  const allowDirty = Deno.args.includes("--allow-dirty");
  Deno.exit((await checkJsr({ allowDirty })) > 0 ? 1 : 0);
}
