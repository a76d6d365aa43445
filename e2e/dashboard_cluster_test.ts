/// <reference lib="dom" />
/**
 * The dashboard's Cluster panel in a real browser, over a served app whose
 * system is node `a` of a hand-driven cluster (`e2e/_fake_cluster.ts`: no
 * NATS server needed): nodes `b` and `c` up, a `Sharding` named `carts`
 * publishing on this node's heartbeats. The panel lists the three nodes by
 * name, this one marked, with their processes and shards; it follows a node
 * lost; and a system without a cluster shows no panel.
 *
 * The page logs no error. A screenshot goes to `artifacts/dashboard_cluster.png`.
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import type { NatsConnection } from "@nats-io/nats-core";
import { type Browser, chromium, type Page } from "playwright-core";
import { System } from "../mod.ts";
import { type ClusterLink, type NodeInfo, setClusterOf } from "../src/cluster/cluster_link.ts";
import { type FakeCluster, fakeCluster } from "./_fake_cluster.ts";
import { serveApp, type ServedApp } from "./_served_app.ts";
import { repoPath } from "./_repo.ts";
import { skipUnless } from "./_requirement.ts";

const CHROMIUM = "/usr/bin/chromium";
/** How long the page may take to show a thing: a net under a page that never does, not a speed. */
const PAGE_WAIT_MS = 60_000;
const skip = skipUnless("chromium", CHROMIUM);

/** What each other node's heartbeat says (the fake link says 0 processes and no meta). */
const HEARD: Readonly<Record<string, Partial<NodeInfo>>> = {
  b: {
    processes: 41,
    upSince: Date.now() - 90_000,
    meta: { "sharding.carts": { shards: 11, entities: 7, handoffs: 0 } },
  },
  c: {
    processes: 5,
    upSince: Date.now() - 30_000,
    meta: { "sharding.carts": { shards: 10, entities: 3, handoffs: 2 } },
  },
};

/** `fake`, with the other nodes' heartbeats as `HEARD` says. */
function heard(fake: FakeCluster): ClusterLink {
  const info = () => fake.info().map((n) => ({ ...n, ...HEARD[n.node] }));
  return new Proxy(fake, {
    get: (target, key) => key === "info" ? info : Reflect.get(target, key),
  });
}

interface Row {
  node: string | null;
  self: boolean;
  name: string;
  processes: string;
  shards: string;
  entities: string;
  handoffs: string;
}

/** The panel's rows, once there are `count` of them. */
async function rowsOf(page: Page, count: number): Promise<Row[]> {
  await page.waitForFunction(
    (n) => document.querySelectorAll("[data-testid=cluster-row]").length === n,
    count,
    { timeout: PAGE_WAIT_MS },
  );
  return await page.evaluate(() =>
    Array.from(document.querySelectorAll("[data-testid=cluster-row]")).map((row) => ({
      node: row.getAttribute("data-node"),
      self: row.hasAttribute("data-self"),
      name: row.querySelector("[data-testid=cluster-node]")?.textContent ?? "",
      processes: row.querySelector("[data-testid=cluster-processes]")?.textContent ?? "",
      shards: row.querySelector("[data-testid=cluster-shards]")?.textContent ?? "",
      entities: row.querySelector("[data-testid=cluster-entities]")?.textContent ?? "",
      handoffs: row.querySelector("[data-testid=cluster-handoffs]")?.textContent ?? "",
    }))
  );
}

describe("the dashboard's cluster in Chromium", { skip }, () => {
  let browser: Browser | undefined;
  let app: ServedApp | undefined;
  let plain: ServedApp | undefined;
  let fake: FakeCluster | undefined;

  before(async () => {
    const system = new System({ node: "a", logger: null });
    fake = fakeCluster(system, {} as NatsConnection, "a", "shop");
    setClusterOf(system, heard(fake));
    [app, plain, browser] = await Promise.all([
      serveApp({}, system),
      serveApp({}),
      chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] }),
    ]);
  });

  after(async () => {
    fake?.close();
    await browser?.close();
    await app?.close();
    await plain?.close();
  });

  it("lists the nodes up with their processes and shards, and follows a node lost", async () => {
    const served = app!;
    const link = fake!;
    const pageErrors: string[] = [];
    const consoleErrors: string[] = [];
    link.up("b", 3);
    link.up("c", 5);
    link.setMeta("sharding.carts", { shards: 11, entities: 20, handoffs: 0 });

    const context = await browser!.newContext({ viewport: { width: 1400, height: 1200 } });
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(String(error)));
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto(`${served.base}/dashboard?token=${served.token}`);

    const rows = await rowsOf(page, 3);
    assert.deepEqual(rows.map((r) => [r.node, r.self]), [["a", true], ["b", false], [
      "c",
      false,
    ]]);
    assert.match(rows[0].name, /^a this node$/);
    assert.deepEqual(rows.map((r) => r.shards), ["11", "11", "10"]);
    assert.deepEqual(rows.map((r) => r.entities), ["20", "7", "3"]);
    assert.deepEqual(rows.map((r) => r.handoffs), ["0", "0", "2"]);
    assert.deepEqual(rows.map((r) => r.processes), ["0", "41", "5"]);
    assert.ok(await page.locator("[data-testid=cluster-panel]").isVisible(), "panel shown");
    assert.equal(await page.textContent("[data-testid=cluster-summary]"), "shop · 3 nodes up");
    mkdirSync(repoPath("artifacts"), { recursive: true });
    await page.locator("[data-testid=cluster-panel]").screenshot({
      path: repoPath("artifacts", "dashboard_cluster.png"),
    });

    link.down("c", "noconnection");
    const after = await rowsOf(page, 2);
    assert.deepEqual(after.map((r) => r.node), ["a", "b"]);
    assert.equal(await page.textContent("[data-testid=cluster-summary]"), "shop · 2 nodes up");

    assert.deepEqual(pageErrors, [], "no uncaught page error");
    assert.deepEqual(consoleErrors, [], "no console error");
    await context.close();
  });

  it("shows no cluster panel for a system without a cluster", async () => {
    const served = plain!;
    const overview = await (await fetch(`${served.base}/overview`, {
      headers: { authorization: `Bearer ${served.token}` },
    })).json() as Record<string, unknown>;
    assert.equal("cluster" in overview, false);
    const context = await browser!.newContext();
    const page = await context.newPage();
    await page.goto(`${served.base}/dashboard?token=${served.token}`);
    // Once the overview has been rendered (the schedulers panel has its row), the panel stays hidden.
    await page.waitForFunction(
      () => document.querySelectorAll("[data-testid=scheduler-row]").length > 0,
      undefined,
      { timeout: PAGE_WAIT_MS },
    );
    assert.equal(await page.locator("[data-testid=cluster-panel]").isVisible(), false);
    assert.equal(await page.locator("[data-testid=cluster-row]").count(), 0);
    await context.close();
  });
});
