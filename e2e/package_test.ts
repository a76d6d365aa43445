/**
 * The npm package as a user gets it: `npm pack` of the built `npm/` (run
 * `npm run build:npm` first; `npm test` does), installed with hono,
 * TypeScript and the optional peers into a fresh project in the system's
 * temporary directory — outside the repository, so nothing resolves through
 * its node_modules. There a small program (`package_fixture/program.mjs`)
 * runs on Node and on Bun — a GenServer call and cast, a Supervisor
 * restarting a crashed child, the Hono adapter answering `/health` — and a
 * TypeScript consumer (`package_fixture/consumer.mts`) importing every entry
 * type-checks with the tsconfig `tsc --init` writes, less `skipLibCheck`,
 * with no `@types/node`. The timeouts are safety nets for a slow registry,
 * never assertions: nothing here measures time.
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative } from "node:path";
import process from "node:process";
import { REPO_ROOT, repoPath } from "./_repo.ts";

const PACKAGE_DIR = repoPath("npm");
const FIXTURES = repoPath("e2e", "package_fixture");
const BUN_BIN = repoPath("node_modules", ".bin", "bun");
const SAFETY_NET_MS = 600_000;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` to its end in `cwd`; never rejects (the exit code says how it went). */
function run(command: string, args: string[], cwd: string): Promise<Run> {
  // Inside `npm run`, npm describes the repository's package in the
  // environment; the project under test is another one.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) =>
      !/^npm_(?:package_|lifecycle_|config_local_prefix$)/i.test(key)
    ),
  );
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ code, stdout, stderr: stderr + (error && code === 1 ? `\n${error}` : "") });
      },
    );
  });
}

function assertRan(result: Run, what: string): void {
  assert.equal(
    result.code,
    0,
    `${what} exited ${result.code}:\n${result.stdout}\n${result.stderr}`,
  );
}

/** The `RESULT {...}` line the fixture program prints. */
function resultOf(result: Run, runtime: string): Record<string, unknown> {
  assertRan(result, `program.mjs on ${runtime}`);
  const line = result.stdout.split("\n").find((text) => text.startsWith("RESULT "));
  assert.ok(line, `no RESULT line from ${runtime}:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(line.slice("RESULT ".length));
}

async function exists(path: string): Promise<boolean> {
  return await stat(path).then(() => true, () => false);
}

describe("the npm package, installed from its tarball into a fresh project", () => {
  let project = "";
  let packed: { files: { path: string }[] } | undefined;
  let builtPackage: { exports: Record<string, string | Record<string, string>> } | undefined;

  before(async () => {
    assert.ok(
      await exists(join(PACKAGE_DIR, "package.json")),
      `${PACKAGE_DIR} is not built: run npm run build:npm first`,
    );
    builtPackage = JSON.parse(await readFile(join(PACKAGE_DIR, "package.json"), "utf8"));
    project = await mkdtemp(join(tmpdir(), "beamlet-package-"));
    const fromRepo = relative(REPO_ROOT, project);
    assert.ok(
      fromRepo.startsWith("..") || isAbsolute(fromRepo),
      `${project} must be outside the repository`,
    );

    const pack = await run("npm", ["pack", "--json", "--pack-destination", project], PACKAGE_DIR);
    assertRan(pack, "npm pack");
    const [info] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
    packed = info;

    // The versions the repository itself develops against.
    const { devDependencies } = JSON.parse(await readFile(repoPath("package.json"), "utf8")) as {
      devDependencies: Record<string, string>;
    };
    const dependency = (name: string) => `${name}@${devDependencies[name]}`;
    await writeFile(
      join(project, "package.json"),
      JSON.stringify({ name: "beamlet-consumer", private: true, type: "module" }, null, 2),
    );
    const install = await run("npm", [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      join(project, info.filename),
      dependency("hono"),
      dependency("typescript"),
      dependency("fast-check"),
      dependency("@opentelemetry/api"),
      dependency("@nats-io/jetstream"),
      dependency("@nats-io/nats-core"),
    ], project);
    assertRan(install, "npm install");
    await copyFile(join(FIXTURES, "program.mjs"), join(project, "program.mjs"));
    await copyFile(join(FIXTURES, "consumer.mts"), join(project, "consumer.mts"));
    await mkdir(join(project, "jetstream"));
    for (const file of ["consumer.mts", "tsconfig.json"]) {
      await copyFile(join(FIXTURES, "jetstream", file), join(project, "jetstream", file));
    }
    // The README's first program after installing, as a user would paste it:
    // run by Bun below and type-checked with the consumer.
    await writeFile(join(project, "readme.mts"), await readmeProgram());
  }, { timeout: SAFETY_NET_MS });

  after(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  it("packs the entries, src/, wasm/, README and LICENSE: no tests, source maps or build config", async () => {
    const files = packed!.files.map((file) => file.path);
    for (
      const required of [
        "package.json",
        "README.md",
        "LICENSE",
        "wasm/scheduler.wasm",
        "wasm/histogram_store.wasm",
      ]
    ) {
      assert.ok(files.includes(required), `${required} is in the tarball`);
    }
    for (const [subpath, target] of Object.entries(builtPackage!.exports)) {
      const targets = typeof target === "string" ? [target] : Object.values(target);
      for (const file of targets) {
        // A wildcard export ("./wasm/*.wasm") must match at least one packed file.
        const pattern = new RegExp(
          `^${file.replace(/^\.\//, "").replace(/[.]/g, "\\.").replace("*", "[^/]+")}$`,
        );
        assert.ok(
          files.some((path) => pattern.test(path)),
          `${subpath}: ${file} is in the tarball`,
        );
      }
    }
    const stray = files.filter((file) =>
      file.endsWith(".map") || file === "tsconfig.json" ||
      file.endsWith(".ts") && !file.endsWith(".d.ts") ||
      /^(?:tests|bench|examples|e2e|scripts|core|dashboard)\//.test(file)
    );
    assert.deepEqual(stray, [], "nothing but the library ships");

    const readme = await readFile(
      join(project, "node_modules", "@beamlet", "beamlet", "README.md"),
      "utf8",
    );
    const links = [...readme.matchAll(/\]\(([^)\s]+)/g)].map((match) => match[1]);
    const dangling = links.filter((target) => !/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(target));
    assert.deepEqual(dangling, [], "the README links to no file the package does not ship");
  });

  it("runs a GenServer, a Supervisor restart and the Hono adapter on Node", {
    timeout: SAFETY_NET_MS,
  }, async () => {
    const result = resultOf(await run("node", ["program.mjs"], project), "node");
    assert.deepEqual(result, expected("node"));
  });

  it("runs the same program on Bun", { timeout: SAFETY_NET_MS }, async () => {
    const result = resultOf(await run(BUN_BIN, ["program.mjs"], project), "bun");
    assert.deepEqual(result, expected("bun"));
  });

  it("runs the README's first program after installing, on Bun", {
    timeout: SAFETY_NET_MS,
  }, async () => {
    const result = await run(BUN_BIN, ["readme.mts"], project);
    assertRan(result, "the README's program on Bun");
    assert.equal(result.stdout.trim(), "5");
  });

  it(
    "type-checks a consumer of every entry: tsc --init's tsconfig less skipLibCheck, no @types/node",
    {
      timeout: SAFETY_NET_MS,
    },
    async () => {
      assert.equal(
        await exists(join(project, "node_modules", "@types", "node")),
        false,
        "@types/node is not installed",
      );
      assertRan(await run("npx", ["--no", "--", "tsc", "--init"], project), "tsc --init");
      const tsconfigPath = join(project, "tsconfig.json");
      const written = await readFile(tsconfigPath, "utf8");
      const tsconfig = written.replace(/^\s*"skipLibCheck":\s*true,?[ \t]*\n/m, "")
        // The ./jetstream consumer is checked on its own, below.
        .replace("{", '{\n  "exclude": ["jetstream", "node_modules"],');
      assert.doesNotMatch(tsconfig, /^\s*"skipLibCheck":\s*true/m, "skipLibCheck is off");
      await writeFile(tsconfigPath, tsconfig);

      assertRan(await run("npx", ["--no", "--", "tsc", "--noEmit"], project), "tsc");
      // @nats-io/nats-core's own .d.ts needs exactOptionalPropertyTypes off
      // (jetstream/tsconfig.json); the package's .d.ts are still checked.
      assertRan(
        await run("npx", ["--no", "--", "tsc", "--noEmit", "-p", "jetstream"], project),
        "tsc -p jetstream",
      );
      // Below an ESNext target, `Disposable` is not in the default lib: the
      // package's .d.ts files must bring the lib they use.
      assertRan(
        await run("npx", ["--no", "--", "tsc", "--noEmit", "--target", "es2022"], project),
        "tsc --target es2022",
      );
    },
  );
});

/** The first ```ts block of the README's "Install" section. */
async function readmeProgram(): Promise<string> {
  const readme = await readFile(repoPath("README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n## Install\n"));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  assert.ok(section.length > 0 && block, "the README has an Install section with a ts block");
  return block[1];
}

/** What the fixture program prints on `runtime` when everything works. */
function expected(runtime: string): Record<string, unknown> {
  return {
    runtime,
    cast: "ok",
    afterCast: 15,
    restarted: true,
    afterRestart: 10,
    reports: ["crash", "supervisor"],
    health: { status: 200, body: { status: "ok" } },
    metricsWithoutToken: 401,
    precompiledCore: "wasm",
    table: { top: ["c", "b"], first: "a" },
    flow: { acked: 7, failed: 0, items: 7 },
    observe: { formatted: true, redacted: true, ruleGroups: true },
  };
}
