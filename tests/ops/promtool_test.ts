/**
 * The rules pass Prometheus' own tools: `promtool check rules` over the
 * committed `ops/prometheus/beamlet_rules.yml` and over freshly generated
 * variants (namespace, extra matchers, scaled windows), and
 * `promtool test rules` over `ops/prometheus/tests/*.yml` — synthetic series
 * that fire and resolve the SLO burn-rate alerts and two built-in alerts.
 * promtool must be on the PATH (required when `CI` is set); Deno needs
 * `--allow-run=promtool`.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PROMTOOL_UNAVAILABLE } from "../metrics/reporters/_promtool.ts";
import { rulesYaml } from "../../ops.ts";

function repoRoot(): string {
  const here = fileURLToPath(import.meta.url);
  for (let dir = dirname(here);; dir = dirname(dir)) {
    if (existsSync(join(dir, "deno.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no deno.json above ${here}`);
  }
}

const ROOT = repoRoot();
const RULES = join(ROOT, "ops", "prometheus", "beamlet_rules.yml");
const TESTS = join(ROOT, "ops", "prometheus", "tests");

function promtool(args: string[], input?: string): { status: number | null; output: string } {
  const result = spawnSync("promtool", args, { input, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * `promtool check rules` over YAML text: read from /dev/stdin under Deno (whose test run may not
 * write files), from a temporary file elsewhere (Node's stdin pipe is a socket /dev/stdin cannot
 * open).
 */
function checkRulesText(yaml: string, args: string[] = ["--lint-fatal"]) {
  if ((globalThis as { Deno?: unknown }).Deno !== undefined) {
    return promtool(["check", "rules", ...args, "/dev/stdin"], yaml);
  }
  const dir = mkdtempSync(join(tmpdir(), "beamlet-ops-"));
  try {
    const file = join(dir, "rules.yml");
    writeFileSync(file, yaml);
    return promtool(["check", "rules", ...args, file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function checkRules(yaml: string): void {
  const { status, output } = checkRulesText(yaml);
  assert.equal(status, 0, `promtool check rules failed:\n${output}\n--- input:\n${yaml}`);
  assert.match(output, /SUCCESS: \d+ rules found/);
}

describe("promtool", { skip: PROMTOOL_UNAVAILABLE }, () => {
  it("checks the committed rules", () => {
    const { status, output } = promtool(["check", "rules", "--lint-fatal", RULES]);
    assert.equal(status, 0, output);
  });

  it("checks generated variants", () => {
    const slos = [
      { name: "p95", kind: "latency" as const, objective: 0.95 },
      { name: 'odd "name"\\', kind: "error_rate" as const, objective: 0.999 },
    ];
    checkRules(rulesYaml());
    checkRules(rulesYaml({ slos, namespace: "shop", selector: 'job="shop",env!="dev"' }));
    checkRules(rulesYaml({ slos, sloPeriod: 7 * 86_400_000, builtins: false }));
    checkRules(rulesYaml({ metrics: [], slos: [] })); // "groups: []"
  });

  it("refuses a broken rule file (the check is real)", () => {
    const { status, output } = checkRulesText(
      "groups:\n  - name: x\n    rules:\n      - record: a\n        expr: 'sum('\n",
      [],
    );
    assert.notEqual(status, 0);
    assert.match(output, /parse error/);
  });

  it("runs the rule unit tests: SLO burn-rate alerts fire and resolve", () => {
    const files = readdirSync(TESTS).filter((name) => name.endsWith(".yml")).sort();
    assert.deepEqual(files, ["builtin_alerts_test.yml", "slo_burn_rate_test.yml"]);
    const slo = readFileSync(join(TESTS, "slo_burn_rate_test.yml"), "utf8");
    assert.match(slo, /alertname: BeamletSloErrorBudgetBurn\n {8}exp_alerts: \[\]/); // quiet before
    assert.match(slo, /severity: page/); // fires
    const { status, output } = promtool(["test", "rules", ...files.map((f) => join(TESTS, f))]);
    assert.equal(status, 0, `promtool test rules failed:\n${output}`);
    assert.equal(output.match(/SUCCESS/g)?.length, files.length, output);
  });
});
