/**
 * The pipeline example (`examples/pipeline/`): in process on a test system
 * (every order acked once, batches per customer, the failed order named),
 * and as a user runs it, `deno run examples/pipeline/main.ts`, under deno test.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ORDERS, runOrders } from "../../examples/pipeline/mod.ts";
import { deno, denoSkip, run } from "../_child_process.ts";
import { drive, testSystem } from "./_fixtures.ts";

/** What the output must say, whatever the order of the lines. */
function assertOutput(lines: readonly string[]): void {
  const acked = lines.filter((l) => l.startsWith("acked: "))
    .flatMap((l) => l.slice("acked: ".length).split(",").map(Number));
  assert.deepEqual(acked.sort((a, b) => a - b), [1, 2, 4, 5, 6, 7]);
  assert.deepEqual(lines.filter((l) => l.startsWith("failed: ")), [
    "failed: 3 (negative total)",
  ]);
  // How orders fall into batches depends on timing (auto scheduling); what they add up to does not.
  const totals = new Map<string, number>();
  for (const line of lines.filter((l) => l.startsWith("batch "))) {
    const match = /^batch (\w+): [\d,]+ = (\d+) \((size|timeout|drain)\)$/.exec(line);
    assert.ok(match, line);
    totals.set(match[1], (totals.get(match[1]) ?? 0) + Number(match[2]));
  }
  assert.deepEqual(Object.fromEntries(totals), { ada: 55, bob: 53, cyd: 99 });
  assert.equal(lines.at(-1), `done: ${ORDERS.length - 1} acked, 1 failed`);
}

describe("examples/pipeline", () => {
  it("acks every order once, batches per customer, names the failure", async () => {
    const t = testSystem();
    const lines: string[] = [];
    await drive(t, runOrders(t.system, (line) => lines.push(line)));
    assertOutput(lines);
    assert.equal(t.system.processes().length, 0);
    t.dispose();
  });

  it(
    "runs as a user runs it (deno run examples/pipeline/main.ts)",
    { skip: denoSkip },
    async () => {
      const cwd = fileURLToPath(new URL("../../", import.meta.url));
      const result = await run(deno(), ["run", "examples/pipeline/main.ts"], { cwd });
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
      assertOutput(result.stdout.trim().split("\n"));
    },
  );
});
