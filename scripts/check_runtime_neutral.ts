/**
 * The source is runtime-neutral: no file of `src/` but the host module
 * (`src/_host.ts`, the one that adapts to the runtime) references `Deno`,
 * `Bun`, Node's global `process` (or another Node global: `Buffer`,
 * `global`, `setImmediate`, ...) or imports a `node:` module. Types count
 * too (they end up in the npm package's `.d.ts`); comments and strings do not.
 *
 * It is `deno lint` with only these rules: the built-in `no-node-globals`
 * and the rules of `scripts/_runtime_neutral_plugin.ts` (`Deno`, `Bun`,
 * Node's global `process` — scope-aware: a parameter, variable or field
 * named `process`, as the kernel's `process.pid`, is not the global —
 * `globalThis.Deno`, `"Deno" in globalThis`, `node:` imports).
 *
 * Before it looks at `src/`, it checks itself: each fixture below with a
 * violation must be reported, and the clean one must not, so a change of
 * `deno lint` that blinds a rule fails here instead of passing silently.
 *
 * ```sh
 * deno run --allow-read --allow-write --allow-run --allow-env scripts/check_runtime_neutral.ts
 * ```
 *
 * @module
 */

import { ROOT } from "./_entries.ts";
import { runDeno } from "./_run_deno.ts";

/** The one file of `src/` that may look at the runtime. */
export const HOST_MODULE = "src/_host.ts";

/** The built-in `deno lint` rules the check runs, next to the plugin's. */
const BUILT_IN_RULES = ["no-node-globals"];

/** Fixtures: a source, and the rules it must trip (none for the clean one). */
export const FIXTURES: Readonly<Record<string, { source: string; rules: string[] }>> = {
  "deno_namespace.ts": {
    source: `export const args = Deno.args;\n`,
    rules: ["beamlet/runtime-global"],
  },
  "deno_type.ts": {
    source: `export function f(conn: Deno.Conn): void {\n  void conn;\n}\n`,
    rules: ["beamlet/runtime-global"],
  },
  "bun_typeof.ts": {
    source: `export const onBun = typeof Bun !== "undefined";\n`,
    rules: ["beamlet/runtime-global"],
  },
  "global_this_cast.ts": {
    source:
      `const d = (globalThis as { Deno?: { pid: number } }).Deno;\nexport const pid = d?.pid;\n`,
    rules: ["beamlet/global-property"],
  },
  "in_global_this.ts": {
    source: `export const onDeno = "Deno" in globalThis;\n`,
    rules: ["beamlet/global-property"],
  },
  "global_this_process.ts": {
    source: `export const env = globalThis["process"];\n`,
    rules: ["beamlet/global-property"],
  },
  "process_global.ts": {
    source: `export const pid = process.pid;\n`,
    rules: ["beamlet/process-global"],
  },
  "process_in_function.ts": {
    source:
      `export function env(proc: { env: object }): object {\n  return proc.env ?? process.env;\n}\n`,
    rules: ["beamlet/process-global"],
  },
  "process_shorthand.ts": {
    source: `export const host = { process };\n`,
    rules: ["beamlet/process-global"],
  },
  "process_typeof.ts": {
    source: `export type NodeProcess = typeof process;\n`,
    rules: ["beamlet/process-global"],
  },
  "node_import.ts": {
    source: `import { env } from "node:process";\nexport const home = env.HOME;\n`,
    rules: ["beamlet/node-module"],
  },
  "node_reexport.ts": {
    source: `export { setTimeout } from "node:timers";\n`,
    rules: ["beamlet/node-module"],
  },
  "node_dynamic_import.ts": {
    source: `export const fs = () => import("node:fs");\n`,
    rules: ["beamlet/node-module"],
  },
  "node_import_type.ts": {
    source: `export type Stats = import("node:fs").Stats;\n`,
    rules: ["beamlet/node-module"],
  },
  "buffer_global.ts": {
    source: `export const bytes = Buffer.from("a");\n`,
    rules: ["no-node-globals"],
  },
  // What the kernel does all day, and what docs say: none of it is the runtime.
  "clean.ts": {
    source: [
      "/** Unlike `Deno.serve`, `process.exit` or `node:fs`, this is neutral. */",
      "interface Proc { pid: number; Deno: boolean; process?: Proc }",
      "export function pidOf(process: Proc): number {",
      "  return process.pid;",
      "}",
      "export function child(record: { process: Proc }): number {",
      "  const process = record.process;",
      "  return process.process?.pid ?? process.pid;",
      "}",
      "export interface Ports {",
      "  wake(rt: number, process: Proc): void;",
      "  readonly done: (process: Proc) => void;",
      "}",
      "export function all(list: Proc[]): number {",
      "  let sum = 0;",
      "  for (const process of list) sum += process.pid;",
      "  try {",
      "    return sum;",
      "  } catch (process) {",
      "    return String(process).length;",
      "  }",
      "}",
      "export const pick = ({ process }: { process: Proc }) => process.pid;",
      "export const nested = (record: { process: Proc }) => {",
      "  const { process } = record;",
      "  return () => ({ process }).process.pid;",
      "};",
      "export class Holder {",
      "  process: Proc = { pid: 1, Deno: false };",
      "  Deno = 'a field';",
      "  read(): number {",
      "    return this.process.pid;",
      "  }",
      "}",
      'export const text = "Deno.serve and process.env";',
      "export const keyed = { Deno: 1, Bun: 2, process: 3 };",
      "export const viaObject = keyed.Deno + keyed.Bun + keyed.process;",
      "",
    ].join("\n"),
    rules: [],
  },
};

interface LintDiagnostic {
  /** The file, as a `file:` URL. */
  readonly url: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
  /** The rule: `no-process-global`, `beamlet/runtime-global`, ... */
  readonly code: string;
}

// deno lint --compact: "file:///x.ts: line 1, col 21 - message (rule)", then "Checked 12 files".
const COMPACT = /^(file:\/\/\S+): line (\d+), col (\d+) - (.*) \(([\w/-]+)\)$/gm;
const CHECKED = /^Checked (\d+) files?$/m;

/** `deno lint` with the check's rules only, over `files`; its diagnostics. */
async function lint(files: readonly string[], configDir: string): Promise<LintDiagnostic[]> {
  const config = {
    lint: {
      plugins: [new URL("scripts/_runtime_neutral_plugin.ts", ROOT).href],
      rules: { tags: [], include: BUILT_IN_RULES },
    },
  };
  const configFile = `${configDir}/deno.json`;
  await Deno.writeTextFile(configFile, JSON.stringify(config, null, 2));
  const { code, output } = await runDeno(
    ["lint", "--config", configFile, "--compact", ...files],
    ROOT,
  );
  const diagnostics = [...output.matchAll(COMPACT)].map(([, url, line, col, message, rule]) => ({
    url,
    line: Number(line),
    col: Number(col),
    message,
    code: rule,
  }));
  const checked = Number(CHECKED.exec(output)?.[1]);
  // Exit 1 with diagnostics is a finding; anything else unexpected is the check failing to run
  // (a plugin that throws on a file is reported as "Error linting", and the exit code is 0).
  const broken = output.includes("Error linting");
  if (broken || checked !== files.length || (code !== 0 && diagnostics.length === 0)) {
    throw new Error(
      `deno lint (exit ${code}) checked ${checked} of ${files.length} files:\n${output}`,
    );
  }
  return diagnostics;
}

/** The `.ts` files under `dir` (relative to the root), sorted. */
async function sourceFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(new URL(`${dir}/`, ROOT))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...await sourceFiles(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files.sort();
}

function fileOf(diagnostic: LintDiagnostic): string {
  return diagnostic.url.slice(diagnostic.url.lastIndexOf("/") + 1);
}

/** Checks the check on the fixtures; resolves to what went wrong (nothing when it works). */
export async function selfCheck(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const [name, { source }] of Object.entries(FIXTURES)) {
    await Deno.writeTextFile(`${dir}/${name}`, source);
    files.push(`${dir}/${name}`);
  }
  const diagnostics = await lint(files, dir);
  const problems: string[] = [];
  for (const [name, { rules }] of Object.entries(FIXTURES)) {
    const found = new Set(diagnostics.filter((d) => fileOf(d) === name).map((d) => d.code));
    for (const rule of rules) {
      if (!found.has(rule)) problems.push(`fixture ${name}: ${rule} not reported`);
    }
    if (rules.length === 0 && found.size > 0) {
      problems.push(`fixture ${name}: reported ${[...found].join(", ")}, but it is clean`);
    }
  }
  return problems;
}

/** Runs the self-check, then the check over `src/`; resolves to the number of failures. */
export async function checkRuntimeNeutral(): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "beamlet_runtime_neutral_" });
  try {
    const problems = await selfCheck(dir);
    if (problems.length > 0) {
      console.error(problems.join("\n"));
      console.error("check_runtime_neutral: the check itself misses violations");
      return 1;
    }
    const files = (await sourceFiles("src")).filter((file) => file !== HOST_MODULE);
    const diagnostics = await lint(files, dir);
    if (diagnostics.length > 0) {
      for (const d of diagnostics) {
        const file = d.url.replace(ROOT.href, "");
        console.error(`${file}:${d.line}:${d.col}: ${d.code}: ${d.message}`);
      }
      console.error(
        `check_runtime_neutral: ${diagnostics.length} runtime-specific references outside ` +
          `${HOST_MODULE}`,
      );
      return 1;
    }
    console.log(
      `check_runtime_neutral: ${files.length} files of src/ are runtime-neutral ` +
        `(${HOST_MODULE} adapts to the runtime; ${Object.keys(FIXTURES).length} fixtures checked)`,
    );
    return 0;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  Deno.exit(await checkRuntimeNeutral());
}
