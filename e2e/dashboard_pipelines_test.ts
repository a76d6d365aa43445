/// <reference lib="dom" />
/**
 * The dashboard's Pipelines view in a real browser: the demo's `audit`
 * pipeline shows up live — its state, acked and failed per second, in
 * flight, batches, and a row per stage ordered producer → processor →
 * batcher → batch_processor with demand, buffer and bound, and throughput —
 * and a pipeline's name is shown as text, whatever it holds. The page logs
 * no error. A screenshot of the view goes to `artifacts/dashboard_pipelines.png`.
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { MemoryProducer, Pipeline } from "../pipeline.ts";
import { type Demo, startDemo } from "./_demo.ts";
import { serveApp } from "./_served_app.ts";
import { repoPath } from "./_repo.ts";
import { skipUnless } from "./_requirement.ts";

const CHROMIUM = "/usr/bin/chromium";
/** How long the page may take to show a thing: a net under a page that never does, not a speed. */
const PAGE_WAIT_MS = 60_000;
const skip = skipUnless("chromium", CHROMIUM);

describe("the dashboard's Pipelines view in Chromium", { skip }, () => {
  let demo: Demo | undefined;
  let browser: Browser | undefined;

  before(async () => {
    [demo, browser] = await Promise.all([
      startDemo(),
      chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] }),
    ]);
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it("shows the demo's audit pipeline live, a row per stage in pipeline order", async () => {
    const context = await browser!.newContext({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    try {
      const page = await context.newPage();
      page.on("pageerror", (error) => errors.push(String(error)));
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      await page.goto(`${demo!.base}/dashboard?token=${demo!.token}`);
      const audit = page.locator("[data-testid=pipeline]", {
        has: page.locator("[data-testid=pipeline-name]", { hasText: /^audit$/ }),
      });
      // Acked messages arrive, then a rate from two loads of the view.
      await page.waitForFunction(
        () =>
          Array.from(document.querySelectorAll("[data-testid=pipeline]")).some((block) =>
            block.querySelector("[data-testid=pipeline-name]")?.textContent === "audit" &&
            Number(block.getAttribute("data-acked")) > 0 &&
            /\d/.test(block.querySelector("[data-testid=pipeline-acked-rate]")?.textContent ?? "")
          ),
        undefined,
        { timeout: PAGE_WAIT_MS },
      );
      assert.equal(await audit.locator("[data-testid=pipeline-state]").textContent(), "running");
      const roles = await audit.locator("[data-testid=stage-role]").allTextContents();
      assert.deepEqual(roles, ["producer", "processor", "processor", "batcher", "batch_processor"]);
      // Every stage row has its numbers; the producer's throughput shows.
      const producer = audit.locator("[data-testid=stage-row][data-role=producer]");
      assert.match(await producer.locator("[data-testid=stage-demand]").textContent() ?? "", /\d/);
      assert.match(
        await producer.locator("[data-testid=stage-buffered]").textContent() ?? "",
        /^\d[\d,]* \/ (?:\d[\d,]*|∞|–)$/,
      );
      await page.waitForFunction(
        () =>
          Array.from(document.querySelectorAll("[data-testid=stage-row][data-role=producer]"))
            .some((row) =>
              /\d/.test(row.querySelector("[data-testid=stage-out-rate]")?.textContent ?? "")
            ),
        undefined,
        { timeout: PAGE_WAIT_MS },
      );
      // One record in 50 is failed by its processor: the failures show as well.
      await page.waitForFunction(
        () =>
          Array.from(document.querySelectorAll("[data-testid=pipeline-failed]")).some((cell) =>
            Number((cell.textContent ?? "").replaceAll(",", "")) > 0
          ),
        undefined,
        { timeout: PAGE_WAIT_MS },
      );
      assert.match(
        await page.textContent("[data-testid=pipelines-summary]") ?? "",
        /\d+ pipelines/,
      );
      mkdirSync(repoPath("artifacts"), { recursive: true });
      await page.locator("section[aria-label=pipelines]").screenshot({
        path: repoPath("artifacts", "dashboard_pipelines.png"),
      });
      // A stage's link opens its process.
      const link = audit.locator("[data-testid=stage-link]").first();
      const label = await link.textContent() ?? "";
      await link.click();
      await page.waitForFunction(
        () => !(document.querySelector("[data-testid=process-detail]") as HTMLElement).hidden,
        undefined,
        { timeout: PAGE_WAIT_MS },
      );
      assert.ok(label.length > 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it("shows a pipeline's name as text, whatever it holds", async () => {
    const served = await serveApp();
    const context = await browser!.newContext();
    try {
      const hostile = `<img src=x onerror="window.__xss=1">"'&amp;`;
      const source = new MemoryProducer<number>();
      const pipeline = await Pipeline.start<number>(served.system, {
        name: hostile,
        producer: { stage: source.stage() },
        processors: { default: { concurrency: 1 } },
        handleMessage: (_processor, message) => message,
      });
      source.push(1, 2, 3);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      await page.goto(`${served.base}/dashboard?token=${served.token}`);
      await page.waitForFunction(
        () => document.querySelectorAll("[data-testid=pipeline]").length === 1,
        undefined,
        { timeout: PAGE_WAIT_MS },
      );
      assert.equal(await page.locator("[data-testid=pipeline-name]").textContent(), hostile);
      const panel = page.locator("[data-testid=pipelines]");
      assert.equal(await panel.locator("img").count(), 0, "no element made from the name");
      assert.equal(await page.evaluate(() => (window as { __xss?: number }).__xss), undefined);
      assert.deepEqual(errors, []);
      await pipeline.stop();
    } finally {
      await context.close();
      await served.close();
    }
  });
});
