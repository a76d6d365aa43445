/// <reference lib="dom" />
/**
 * The dashboard in a real browser: Chromium logs in with
 * `/dashboard?token=` (cookie, then a redirect that drops the token), the
 * numbers move, the charts, the process list, a process's detail, the
 * supervision tree and the tables (names shown as text, whatever they hold)
 * render, and the page logs no error and no CSP violation.
 * A screenshot goes to `artifacts/dashboard.png`.
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { ok } from "../mod.ts";
import { Table } from "../tables.ts";
import { type Demo, startDemo } from "./_demo.ts";
import { serveApp } from "./_served_app.ts";
import { repoPath } from "./_repo.ts";
import { skipUnless } from "./_requirement.ts";

const CHROMIUM = "/usr/bin/chromium";
/** How long the page may take to show a thing: a net under a page that never does, not a speed. */
const PAGE_WAIT_MS = 60_000;
const skip = skipUnless("chromium", CHROMIUM);

/** What the page reported that it should not have. */
interface Complaints {
  console: string[];
  pageErrors: string[];
  failedResponses: string[];
}

async function messagesTotal(page: Page): Promise<number> {
  const raw = await page.getAttribute("[data-testid=messages-total]", "data-value");
  return Number(raw);
}

describe("the dashboard in Chromium", { skip }, () => {
  let demo: Demo | undefined;
  let browser: Browser | undefined;
  const complaints: Complaints = { console: [], pageErrors: [], failedResponses: [] };

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

  it("logs in, shows live numbers, charts, processes, a process and the tree", async () => {
    const context = await browser!.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") {
        complaints.console.push(`${message.type()}: ${message.text()}`);
      }
    });
    page.on("pageerror", (error) => complaints.pageErrors.push(String(error)));
    page.on("response", (response) => {
      if (response.status() >= 400) {
        complaints.failedResponses.push(`${response.status()} ${response.url()}`);
      }
    });
    await page.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener("securitypolicyviolation", (e) => {
        w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });

    const login = await page.goto(`${demo!.base}/dashboard?token=${demo!.token}`);
    assert.equal(login?.status(), 200);
    assert.equal(page.url(), `${demo!.base}/dashboard`, "the redirect drops the token");
    const csp = await login!.headerValue("content-security-policy");
    assert.match(csp ?? "", /script-src 'self'/);
    const cookie = (await context.cookies()).find((c) => c.name === "beamlet_token");
    assert.ok(cookie, "the login sets the beamlet_token cookie");
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, "Strict");

    // Numbers arrive, then move.
    await page.waitForFunction(
      () => {
        const raw = document.querySelector("[data-testid=messages-total]")?.getAttribute(
          "data-value",
        );
        return raw !== null && raw !== undefined && Number(raw) > 0;
      },
      undefined,
      { timeout: PAGE_WAIT_MS },
    );
    const before = await messagesTotal(page);
    await page.waitForFunction(
      (seen) =>
        Number(
          document.querySelector("[data-testid=messages-total]")?.getAttribute("data-value"),
        ) > seen,
      before,
      { timeout: PAGE_WAIT_MS },
    );
    assert.match(await page.textContent("[data-testid=throughput]") ?? "", /\d/);
    assert.match(await page.textContent("[data-testid=process-count]") ?? "", /\d/);

    // Charts, SLOs, the tree.
    assert.ok(await page.locator("[data-testid=charts] canvas").count() > 0, "a chart canvas");
    await page.waitForFunction(
      () => (document.querySelector("[data-testid=slos]")?.children.length ?? 0) > 0,
      undefined,
      { timeout: PAGE_WAIT_MS },
    );
    await page.waitForFunction(
      () =>
        /<[A-Za-z0-9_@-]+(?:\.\d+)+>/.test(
          document.querySelector("[data-testid=tree]")?.textContent ?? "",
        ),
      undefined,
      { timeout: PAGE_WAIT_MS },
    );
    const tree = await page.textContent("[data-testid=tree]") ?? "";
    assert.ok(tree.length > 20, `the tree renders: ${tree.slice(0, 200)}`);

    // The Tables view: the demo's rate_limits table, owned by the limiter, read and written.
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll("[data-testid=table-row]")).some((row) =>
          row.querySelector("[data-testid=table-name]")?.textContent === "rate_limits" &&
          Number(row.getAttribute("data-reads")) > 0
        ),
      undefined,
      { timeout: PAGE_WAIT_MS },
    );
    const limits = page.locator("[data-testid=table-row]", { hasText: "rate_limits" });
    const cells = await limits.locator("td").allTextContents();
    assert.deepEqual(cells.slice(1, 3), ["set", "protected"], cells.join(" | "));
    assert.match(cells[3], /^rate_limiter #PID<[A-Za-z0-9_@-]+(?:\.\d+)+>$/, "the owner");
    assert.match(await page.textContent("[data-testid=tables-summary]") ?? "", /\d+ tables/);
    // Reads per second, from two loads of the view.
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll("[data-testid=table-row]")).some((row) =>
          row.querySelector("[data-testid=table-name]")?.textContent === "rate_limits" &&
          /\d/.test(row.querySelector("[data-testid=table-reads-rate]")?.textContent ?? "")
        ),
      undefined,
      { timeout: PAGE_WAIT_MS },
    );

    mkdirSync(repoPath("artifacts"), { recursive: true });
    await page.screenshot({ path: repoPath("artifacts", "dashboard.png"), fullPage: true });

    // A process's detail.
    const link = page.locator("[data-testid=process-link]").first();
    await link.waitFor({ timeout: PAGE_WAIT_MS });
    const pid = (await link.textContent() ?? "").trim();
    assert.match(pid, /<[A-Za-z0-9_@-]+(?:\.\d+)+>$/);
    await link.click();
    const detail = page.locator("[data-testid=process-detail]");
    await detail.waitFor({ state: "visible", timeout: PAGE_WAIT_MS });
    await page.waitForFunction(
      (p) =>
        (document.querySelector("[data-testid=process-detail]")?.textContent ?? "").includes(p),
      pid,
      { timeout: PAGE_WAIT_MS },
    );
    assert.ok((await detail.textContent() ?? "").includes(pid), "the detail shows the pid");
    await page.screenshot({ path: repoPath("artifacts", "dashboard_process.png"), fullPage: true });

    const violations = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
    assert.deepEqual(violations, [], "no CSP violation");
    assert.deepEqual(complaints.pageErrors, [], "no uncaught page error");
    assert.deepEqual(complaints.console, [], "no console error or warning");
    assert.deepEqual(complaints.failedResponses, [], "no failed request");

    // The owner link of a table opens its process.
    await page.goto(`${demo!.base}/dashboard#/`);
    const owner = page.locator("[data-testid=table-owner-link]").first();
    await owner.waitFor({ timeout: PAGE_WAIT_MS });
    const ownerPid = /#PID<[^>]+>/.exec(await owner.textContent() ?? "")?.[0] ?? "(no pid)";
    await owner.click();
    await page.waitForFunction(
      (p) =>
        (document.querySelector("[data-testid=process-detail]")?.textContent ?? "").includes(p),
      ownerPid,
      { timeout: PAGE_WAIT_MS },
    );
    await context.close();
  });

  it("shows a table's name as text, whatever it holds", async () => {
    const served = await serveApp();
    const context = await browser!.newContext();
    try {
      const system = served.system;
      const owner = await system.start({ init: () => ok(null) });
      const hostile = `<img src=x onerror="window.__xss=1">"'&amp;`;
      new Table(system, { owner, name: hostile }).insert(["k", 1]);
      new Table(system, { owner }); // unnamed: shown as #Table<id>
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      await page.goto(`${served.base}/dashboard?token=${served.token}`);
      await page.waitForFunction(
        () => document.querySelectorAll("[data-testid=table-row]").length === 2,
        undefined,
        { timeout: PAGE_WAIT_MS },
      );
      const names = await page.locator("[data-testid=table-name]").allTextContents();
      assert.equal(names[0], hostile);
      assert.match(names[1], /^#Table<\d+>$/);
      const panel = page.locator("[data-testid=tables]");
      assert.equal(await panel.locator("img").count(), 0, "no element made from the name");
      assert.equal(await page.evaluate(() => (window as { __xss?: number }).__xss), undefined);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      await served.close();
    }
  });
});
