/**
 * The package's entries, as a user imports them: every entry of
 * `deno.json` `exports` loads (on Node, through the npm package's
 * `exports` map, by the package's own name), the root keeps the OTP core,
 * and no entry exports an internal.
 *
 * @module
 */

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = fileURLToPath(import.meta.url);
// After the npm build this file is npm/tests/entries_test.js: import the
// entries as a user of the package would, by name, through its exports map.
const built = here.endsWith(".js");

function repoRoot(): string {
  for (let dir = dirname(here);; dir = dirname(dir)) {
    if (existsSync(join(dir, "deno.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no deno.json above ${here}`);
  }
}

const root = repoRoot();
const deno = JSON.parse(readFileSync(join(root, "deno.json"), "utf8")) as {
  name: string;
  exports: Record<string, string>;
};

function load(subpath: string): Promise<Record<string, unknown>> {
  if (built) return import(deno.name + subpath.slice(1));
  return import(pathToFileURL(join(root, deno.exports[subpath])).href);
}

// Kernel and subsystem internals that once leaked through the root entry.
const INTERNALS = [
  "SLOT_MASK",
  "REUSED_SLOT",
  "expectOk",
  "coreCodeName",
  "rememberSupervisor",
  "liveSupervisors",
  "supervisorSettings",
  "unwrapStartError",
  "processInfoOf",
  "processSummaryOf",
  "performanceClock",
];

describe("entries", () => {
  it("every entry in deno.json exports loads", async () => {
    assert.ok(Object.keys(deno.exports).length > 1);
    for (const subpath of Object.keys(deno.exports)) {
      const module = await load(subpath);
      assert.equal(typeof module, "object", subpath);
    }
  });

  it("the root keeps the OTP core", async () => {
    const module = await load(".");
    for (
      const name of [
        "System",
        "ok",
        "reply",
        "noreply",
        "stop",
        "ignore",
        "Supervisor",
        "DynamicSupervisor",
        "PartitionSupervisor",
        "Task",
        "TaskSupervisor",
        "Registry",
        "Telemetry",
        "NoProcError",
        "CallTimeoutError",
        "ExitError",
      ]
    ) {
      assert.ok(name in module, `root exports ${name}`);
    }
  });

  it("the subpaths hold the rest", async () => {
    const expected: Record<string, string[]> = {
      "./core": ["createCore", "Overflow", "Priority", "Stat", "MAX_BOUND", "ReferenceCore"],
      "./metrics": ["Metrics", "prometheusText", "beamletMetrics", "counter", "Histogram"],
      "./observe": ["ProcessTableWalker", "processPage", "healthStatus"],
      "./partition": ["HashRing", "KeyedHash", "PartitionSupervisor"],
      "./introspection": ["procCount", "supervisionTree", "inspectProcess"],
      "./slo": ["SloMonitor", "monitorSlos", "SLO_ALERT_EVENT"],
      "./telemetry": ["BEAMLET_EVENTS", "Telemetry", "HANDLER_FAILURE_EVENT"],
      "./task": ["asyncStream", "Task"],
    };
    for (const [subpath, names] of Object.entries(expected)) {
      const module = await load(subpath);
      for (const name of names) assert.ok(name in module, `${subpath} exports ${name}`);
    }
    const root = await load(".");
    for (const name of ["createCore", "Metrics", "ProcessTableWalker", "HashRing", "SloMonitor"]) {
      assert.ok(!(name in root), `the root does not export ${name}`);
    }
  });

  it("no entry exports an internal", async () => {
    for (const subpath of Object.keys(deno.exports)) {
      const module = await load(subpath);
      for (const name of INTERNALS) {
        assert.ok(!(name in module), `${subpath} does not export ${name}`);
      }
    }
  });

  it("System carries no testing hook: fault injection is reached through ./testing", async () => {
    const { System } = await load(".") as { System: { prototype: object } };
    assert.ok(!("injectFault" in System.prototype));
    const testing = await load("./testing") as { createTestSystem: unknown };
    assert.equal(typeof testing.createTestSystem, "function");
  });
});
