/// <reference lib="dom" />
/**
 * The cluster example (`examples/cluster/main.ts`) run as users run it:
 * three beamlet nodes as OS processes over a `nats-server` it starts. Node
 * a's dashboard, in a real Chromium, lists the three nodes in its Cluster
 * panel with the shards of the `carts` sharding spread over them (all 32
 * owned), and every node adds items to carts without a failure. A
 * screenshot of the dashboard goes to `artifacts/cluster_example.png`.
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import process from "node:process";
import { type Browser, chromium } from "playwright-core";
import { type Child, startChild } from "./_child.ts";
import { repoPath } from "./_repo.ts";
import { skipUnless } from "./_requirement.ts";
import { NATS_SERVER } from "./_nats.ts";

const CHROMIUM = "/usr/bin/chromium";
/** A net under a page or a node that never shows a thing, not a speed. */
const WAIT_MS = 90_000;
const skip = skipUnless("nats-server", NATS_SERVER) || skipUnless("chromium", CHROMIUM);

let example: Child | undefined;
let browser: Browser | undefined;

describe("the cluster example", { skip }, () => {
  before(async () => {
    example = startChild(process.execPath, [
      repoPath("npm", "examples", "cluster", "main.js"),
      "--steady",
      "--duration=600",
    ], { env: { NATS_SERVER } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  });

  after(async () => {
    await browser?.close();
    await example?.stop(15_000);
  });

  it("shows three nodes sharing the carts' shards on node a's dashboard", async () => {
    const [, url] = await example!.line(/^ {2}a: (http:\S+)$/, WAIT_MS);
    const context = await browser!.newContext({ viewport: { width: 1400, height: 1250 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(String(error)));
    await page.goto(url);
    // Three rows, each node's shards published on its heartbeats, all 32 owned.
    await page.waitForFunction(
      () => {
        const rows = Array.from(document.querySelectorAll("[data-testid=cluster-row]"));
        const shards = rows.map((row) =>
          Number(row.querySelector("[data-testid=cluster-shards]")?.textContent)
        );
        return rows.length === 3 && shards.every((n) => n > 0) &&
          shards.reduce((a, b) => a + b, 0) === 32;
      },
      undefined,
      { timeout: WAIT_MS, polling: 200 },
    );
    const rows = await page.evaluate(() =>
      Array.from(document.querySelectorAll("[data-testid=cluster-row]")).map((row) => ({
        node: row.getAttribute("data-node"),
        processes: Number(row.querySelector("[data-testid=cluster-processes]")?.textContent),
        entities: Number(row.querySelector("[data-testid=cluster-entities]")?.textContent),
      }))
    );
    assert.deepEqual(rows.map((r) => r.node), ["a", "b", "c"]);
    assert.ok(rows.every((r) => r.processes > 0), JSON.stringify(rows));
    mkdirSync(repoPath("artifacts"), { recursive: true });
    await page.waitForTimeout(4000); // a few samples on the charts: the picture only, not the test
    await page.screenshot({ path: repoPath("artifacts", "cluster_example.png") });
    assert.deepEqual(pageErrors, [], "no uncaught page error");
    // The nodes' own reports: each has added items to carts, none failed.
    for (const node of ["a", "b", "c"]) {
      const [, added, failed] = await example!.line(
        new RegExp(`^  ${node}: nodes .* items added ([1-9]\\d*) \\(failed (\\d+)\\)`),
        WAIT_MS,
      );
      assert.equal(failed, "0", `node ${node}: ${added} added, ${failed} failed`);
    }
  });
});
