/// <reference lib="dom" />
/**
 * The dashboard's Metrics page and process detail in a real browser: the
 * user's own metrics charted by type with their tags selectable, an unknown
 * metric said so; a process's three call latencies, its load and its state
 * (redacted by its `formatStatus`, shown as text, a failing `formatStatus`
 * shown plainly); each action through the UI behind its two-step
 * confirmation (kill, suspend, resume, restart a supervisor's child); and
 * the refusals — an action or the state without their switch (403),
 * without auth (401), cross-origin (403), on a dead process (404) — as
 * plain requests. No timing: every wait is for a condition.
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { Supervisor } from "../mod.ts";
import { type DetailApp, HOSTILE, routeId, SECRET, startDetailApp } from "./_detail_app.ts";
import { repoPath } from "./_repo.ts";
import { skipUnless } from "./_requirement.ts";
import { waitFor } from "./_wait.ts";

const CHROMIUM = "/usr/bin/chromium";
/** How long the page may take to show a thing: a net under a page that never does, not a speed. */
const PAGE_WAIT_MS = 60_000;
const skip = skipUnless("chromium", CHROMIUM);

/** A signed-in page, and the uncaught errors it threw. */
interface Session {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly errors: string[];
}

async function signIn(browser: Browser, app: DetailApp, hash = "#/"): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const login = await page.goto(`${app.served.base}/dashboard?token=${app.served.token}`);
  assert.equal(login?.status(), 200);
  await page.goto(`${app.served.base}/dashboard${hash}`);
  return { context, page, errors };
}

async function finish(session: Session): Promise<void> {
  const violations = await session.page.evaluate(() =>
    (window as unknown as { __csp: string[] }).__csp
  );
  assert.deepEqual(violations, [], "no CSP violation");
  assert.deepEqual(session.errors, [], "no uncaught page error");
  await session.context.close();
}

/** Waits until `selector`'s text matches `pattern`; resolves with the text. */
async function textMatching(page: Page, selector: string, pattern: RegExp): Promise<string> {
  await page.waitForFunction(
    ([s, source, flags]) =>
      new RegExp(source, flags).test(document.querySelector(s)?.textContent ?? ""),
    [selector, pattern.source, pattern.flags] as const,
    { timeout: PAGE_WAIT_MS },
  );
  return await page.textContent(selector) ?? "";
}

/** POSTs an action as a browser on `origin` would, with the token unless `token` is null. */
function post(app: DetailApp, path: string, init: { origin?: string; token?: string | null } = {}) {
  const headers: Record<string, string> = { accept: "application/json" };
  const token = init.token === undefined ? app.served.token : init.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  headers.origin = init.origin ?? app.served.base;
  return fetch(`${app.served.base}${path}`, { method: "POST", headers });
}

function get(app: DetailApp, path: string) {
  return fetch(`${app.served.base}${path}`, {
    headers: { accept: "application/json", authorization: `Bearer ${app.served.token}` },
  });
}

describe("the dashboard's metrics page and process detail in Chromium", { skip }, () => {
  let app: DetailApp | undefined;
  let browser: Browser | undefined;
  let pump: ReturnType<typeof setInterval> | undefined;

  before(async () => {
    [app, browser] = await Promise.all([
      startDetailApp(),
      chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] }),
    ]);
    app.emit();
    // Events keep coming, so rates and quantiles have something to show.
    pump = setInterval(() => app!.emit(), 100);
  });

  after(async () => {
    clearInterval(pump);
    await browser?.close();
    await app?.close();
  });

  it("charts the user's own metrics by type, grouped by prefix, tags selectable", async () => {
    const session = await signIn(browser!, app!, "#/metrics");
    const { page } = session;
    const read: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname.endsWith("/metrics/values")) read.push(url.searchParams.get("name") ?? "");
    });
    const count = "[data-testid=metric-card][data-metric='shop.checkout.count']";
    const duration = "[data-testid=metric-card][data-metric='shop.checkout.duration']";
    const cart = "[data-testid=metric-card][data-metric='shop.cart.size']";
    await page.locator(count).waitFor({ timeout: PAGE_WAIT_MS });

    // Grouped by prefix: the user's groups open, beamlet's built-ins listed too.
    const prefixes = await page.locator("[data-testid=metric-group]").evaluateAll((groups) =>
      groups.map((g) => g.getAttribute("data-prefix"))
    );
    assert.ok(prefixes.includes("shop.checkout"), prefixes.join(", "));
    assert.ok(prefixes.includes("shop.cart"), prefixes.join(", "));
    assert.ok(prefixes.some((p) => p?.startsWith("beamlet")), prefixes.join(", "));
    assert.ok(
      prefixes.indexOf("shop.checkout") < prefixes.findIndex((p) => p?.startsWith("beamlet")),
      "the user's metrics come first",
    );
    assert.equal(await page.getAttribute(count, "data-type"), "counter");
    assert.equal(await page.getAttribute(duration, "data-type"), "distribution");
    assert.equal(await page.getAttribute(cart, "data-type"), "last_value");
    assert.match(await page.textContent(count) ?? "", /Checkouts, by region/);

    // A counter: a rate per second per region, from two reads.
    await page.waitForFunction(
      (s) =>
        Array.from(document.querySelectorAll(`${s} [data-testid=metric-row]`)).some((row) =>
          /region=eu/.test(row.textContent ?? "") &&
          /\d/.test(row.querySelectorAll("td")[1]?.textContent ?? "")
        ),
      count,
      { timeout: PAGE_WAIT_MS },
    );
    assert.ok(await page.locator(`${count} canvas`).count() > 0, "the counter is charted");
    const legend = await page.locator(`${count} .u-legend`).textContent() ?? "";
    assert.match(legend, /region=eu/);

    // A distribution: p50 / p95 / p99 per series.
    await page.waitForFunction(
      (s) =>
        Array.from(document.querySelectorAll(`${s} [data-testid=metric-row]`)).some((row) =>
          /region=us/.test(row.textContent ?? "") &&
          /\d/.test(row.querySelectorAll("td")[4]?.textContent ?? "")
        ),
      duration,
      { timeout: PAGE_WAIT_MS },
    );
    const head = await page.locator(`${duration} [data-testid=metric-rows] th`).allTextContents();
    assert.deepEqual(head.slice(1), ["count", "p50", "p95", "p99", "max"]);

    // A last value.
    await page.waitForFunction(
      (s) => /\d/.test(document.querySelector(`${s} [data-testid=metric-row]`)?.textContent ?? ""),
      cart,
      { timeout: PAGE_WAIT_MS },
    );

    // A tag narrows the chart and the rows; with one series left, a distribution shows its three quantiles.
    await page.selectOption(`${duration} select[data-tag=region]`, "us");
    await page.waitForFunction(
      (s) => {
        const rows = Array.from(document.querySelectorAll(`${s} [data-testid=metric-row]`));
        return rows.length === 1 && /region=us/.test(rows[0].textContent ?? "");
      },
      duration,
      { timeout: PAGE_WAIT_MS },
    );
    await page.waitForFunction(
      (s) => {
        const text = document.querySelector(`${s} .u-legend`)?.textContent ?? "";
        return /p50/.test(text) && /p95/.test(text) && /p99/.test(text);
      },
      duration,
      { timeout: PAGE_WAIT_MS },
    );

    // Only open groups poll: beamlet's built-ins (closed by default beside the user's) were not
    // read, until one is opened.
    assert.deepEqual(read.filter((name) => name.startsWith("beamlet.")), []);
    const group = page.locator("[data-testid=metric-group][data-prefix='beamlet.call']");
    assert.equal(await group.evaluate((g) => (g as HTMLDetailsElement).open), false);
    await group.locator("summary").click();
    // Cards poll while in view.
    await group.locator("[data-testid=metric-card]").first().scrollIntoViewIfNeeded();
    await waitFor(
      "a read of an opened group's metric",
      () => read.some((name) => name.startsWith("beamlet.call.")) ? true : undefined,
      { timeoutMs: PAGE_WAIT_MS },
    );
    assert.ok(read.every((name) => name.startsWith("shop.") || name.startsWith("beamlet.call.")));

    mkdirSync(repoPath("artifacts"), { recursive: true });
    await page.screenshot({ path: repoPath("artifacts", "dashboard_metrics.png"), fullPage: true });
    await finish(session);
  });

  it("says so for an unknown metric", async () => {
    const session = await signIn(browser!, app!, "#/metrics?name=shop.nope");
    await textMatching(session.page, "[data-testid=metrics-notice]", /Unknown metric "shop\.nope"/);
    // One metric by name: only its card.
    await session.page.goto(`${app!.served.base}/dashboard#/metrics?name=shop.cart.size`);
    await session.page.waitForFunction(
      () => {
        const cards = document.querySelectorAll("[data-testid=metric-card]");
        return cards.length === 1 && cards[0].getAttribute("data-metric") === "shop.cart.size";
      },
      undefined,
      { timeout: PAGE_WAIT_MS },
    );
    assert.equal(await session.page.isHidden("[data-testid=metrics-notice]"), true);
    await finish(session);
  });

  it("shows a process's latencies, its load and its state, redacted, as text", async () => {
    const session = await signIn(browser!, app!, `#/processes/${routeId(app!.vault)}`);
    const { page } = session;
    const state = await textMatching(page, "[data-testid=process-state]", /alice/);
    assert.ok(!state.includes(SECRET), "formatStatus redacted the secret");
    assert.ok(state.includes("[redacted]"), state);
    assert.ok(state.includes(HOSTILE), "markup in the state is shown as text");
    assert.equal(await page.locator("[data-testid=process-detail] img").count(), 0);
    assert.equal(await page.evaluate(() => (window as { __xss?: number }).__xss), undefined);
    assert.equal(await page.getAttribute("[data-testid=state-note]", "data-formatted"), "true");
    assert.match(await page.textContent("[data-testid=state-note]") ?? "", /formatStatus/);
    assert.ok(!(await page.textContent("body") ?? "").includes(SECRET), "nowhere on the page");

    // The three latencies, labelled with what each measures, once calls were answered.
    const latency = "[data-testid=detail-latency]";
    await page.waitForFunction(
      () =>
        Number(
          document.querySelector("[data-testid=latency-roundTrip]")?.getAttribute("data-count"),
        ) > 0,
      undefined,
      { timeout: PAGE_WAIT_MS },
    );
    const text = await page.textContent(latency) ?? "";
    for (const label of ["queued", "handling", "round trip", "mailbox", "handleCall"]) {
      assert.ok(text.includes(label), `the latency panel says ${label}: ${text}`);
    }
    for (const key of ["queued", "handling"]) {
      const n = await page.getAttribute(`[data-testid=latency-${key}]`, "data-count");
      assert.ok(Number(n) > 0, `${key} counted`);
    }
    // Busy time and long callbacks (from the system monitor).
    await page.waitForFunction(
      () =>
        document.querySelector("[data-testid=detail-busy]")?.getAttribute("data-value") !== null &&
        document.querySelector("[data-testid=detail-long-callbacks]")?.getAttribute(
            "data-value",
          ) !== null,
      undefined,
      { timeout: PAGE_WAIT_MS },
    );
    await page.screenshot({ path: repoPath("artifacts", "dashboard_state.png"), fullPage: true });
    await finish(session);
  });

  it("shows a failing formatStatus plainly, never the raw state", async () => {
    const session = await signIn(browser!, app!, `#/processes/${routeId(app!.broken)}`);
    const { page } = session;
    await textMatching(
      page,
      "[data-testid=state-error]",
      /formatStatus failed: .*cannot summarise this state/,
    );
    assert.ok(!(await page.textContent("body") ?? "").includes(SECRET));
    await finish(session);
  });

  it("shows a huge, cyclic raw state bounded and marked truncated", async () => {
    const session = await signIn(browser!, app!, `#/processes/${routeId(app!.hoard)}`);
    const { page } = session;
    await textMatching(page, "[data-testid=state-truncated]", /truncated/);
    const text = await page.textContent("[data-testid=process-state]") ?? "";
    assert.match(text, /item-0/);
    assert.ok(text.length < 100_000, `bounded: ${text.length} characters`);
    assert.equal(await page.getAttribute("[data-testid=state-note]", "data-formatted"), "false");
    assert.match(await page.textContent("[data-testid=state-note]") ?? "", /no formatStatus/);
    await finish(session);
  });

  it("kills a process only on the second click", async () => {
    const system = app!.served.system;
    const session = await signIn(browser!, app!, `#/processes/${routeId(app!.victim)}`);
    const { page } = session;
    const kill = page.locator("[data-testid=action-kill]");
    await kill.waitFor({ timeout: PAGE_WAIT_MS });
    await kill.click();
    assert.equal(await kill.textContent(), "confirm kill?");
    const cancel = page.locator("[data-action=kill] [data-testid=action-cancel]");
    assert.equal(await cancel.isVisible(), true);
    await cancel.click();
    assert.equal(await kill.textContent(), "kill");
    assert.equal(await cancel.isVisible(), false);
    assert.ok(system.processInfo(app!.victim) !== undefined, "cancel kills nothing");

    await kill.click();
    await kill.click();
    await textMatching(page, "[data-testid=action-result]", /^killed #PID<.*\(as token\)$/);
    await waitFor("the victim dead", () => system.processInfo(app!.victim) ? undefined : true);
    await textMatching(page, "[data-testid=detail-notice]", /not alive/);
    await finish(session);
  });

  it("suspends and resumes a process, each on a second click", async () => {
    const system = app!.served.system;
    const session = await signIn(browser!, app!, `#/processes/${routeId(app!.sleeper)}`);
    const { page } = session;
    const suspend = page.locator("[data-testid=action-suspend]");
    await suspend.waitFor({ timeout: PAGE_WAIT_MS });
    assert.equal(await page.isHidden("[data-testid=action-resume]"), true);
    await suspend.click();
    assert.equal(await suspend.textContent(), "confirm suspend?");
    assert.notEqual(system.processInfo(app!.sleeper)?.status, "suspended");
    await suspend.click();
    await textMatching(page, "[data-testid=action-result]", /^suspended #PID</);
    await waitFor(
      "the sleeper suspended",
      () => system.processInfo(app!.sleeper)?.status === "suspended" ? true : undefined,
    );

    const resume = page.locator("[data-testid=action-resume]");
    await resume.waitFor({ state: "visible", timeout: PAGE_WAIT_MS });
    await resume.click();
    assert.equal(await resume.textContent(), "confirm resume?");
    await resume.click();
    await textMatching(page, "[data-testid=action-result]", /^resumed #PID</);
    await waitFor(
      "the sleeper resumed",
      () => system.processInfo(app!.sleeper)?.status !== "suspended" ? true : undefined,
    );
    await suspend.waitFor({ state: "visible", timeout: PAGE_WAIT_MS });
    await finish(session);
  });

  it("restarts a supervisor's child on a second click", async () => {
    const system = app!.served.system;
    const before = (await Supervisor.whichChildren(system, app!.supervisor))
      .find((c) => c.id === "worker_a")?.pid;
    assert.ok(before, "worker_a runs");
    // From another process's detail, as a user would go: the extras follow the process shown.
    const session = await signIn(browser!, app!, `#/processes/${routeId(app!.vault)}`);
    const { page } = session;
    await page.locator("[data-testid=action-kill]").waitFor({ timeout: PAGE_WAIT_MS });
    await page.goto(`${app!.served.base}/dashboard#/processes/${routeId(app!.supervisor)}`);
    const restart = page.locator(
      "[data-testid=detail-child][data-child=worker_a] [data-testid=action-restart]",
    );
    await restart.waitFor({ timeout: PAGE_WAIT_MS });
    assert.equal(
      await page.locator(
        "[data-testid=detail-child][data-child=scratch] [data-testid=action-restart]",
      ).count(),
      0,
      "a temporary child has no restart button",
    );
    await restart.click();
    assert.equal(await restart.textContent(), "confirm restart worker_a?");
    await restart.click();
    await textMatching(page, "[data-testid=action-result]", /^restarted child worker_a of #PID</);
    await waitFor("a new worker_a", async () => {
      const now = (await Supervisor.whichChildren(system, app!.supervisor))
        .find((c) => c.id === "worker_a")?.pid;
      return now !== undefined && String(now) !== String(before) ? true : undefined;
    });
    await finish(session);
  });

  it("shows a refused action's error", async () => {
    const session = await signIn(browser!, app!, `#/processes/${routeId(app!.supervisor)}`);
    const { page } = session;
    const restart = page.locator(
      "[data-testid=detail-child][data-child=fragile] [data-testid=action-restart]",
    );
    await restart.waitFor({ timeout: PAGE_WAIT_MS });
    await restart.click();
    await restart.click();
    await textMatching(
      page,
      "[data-testid=action-result]",
      /^restart refused \(409\): the child failed to start again/,
    );
    assert.equal(await page.getAttribute("[data-testid=action-result]", "data-ok"), "false");
    await finish(session);
  });
});

describe("the dashboard with actions and state inspection off, in Chromium", { skip }, () => {
  let app: DetailApp | undefined;
  let browser: Browser | undefined;

  before(async () => {
    [app, browser] = await Promise.all([
      startDetailApp({ mutations: {}, inspection: { state: false } }),
      chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] }),
    ]);
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it("shows no action button and no state", async () => {
    const session = await signIn(browser!, app!, `#/processes/${routeId(app!.supervisor)}`);
    const { page } = session;
    // The switches were read (none is on), and the detail rendered.
    await page.waitForFunction(
      () => document.querySelector("#detail-extras")?.getAttribute("data-caps") === "",
      undefined,
      { timeout: PAGE_WAIT_MS },
    );
    await page.locator("[data-testid=detail-latency]").waitFor({ timeout: PAGE_WAIT_MS });
    assert.equal(await page.isHidden("[data-testid=detail-actions]"), true);
    assert.equal(await page.isHidden("[data-testid=detail-state]"), true);
    assert.equal(await page.locator("[data-testid^=action-] >> visible=true").count(), 0);
    await finish(session);
  });
});

describe("the dashboard's actions and state, refused", () => {
  let enabled: DetailApp | undefined;
  let disabled: DetailApp | undefined;

  before(async () => {
    [enabled, disabled] = await Promise.all([
      startDetailApp(),
      startDetailApp({ mutations: {}, inspection: { state: false } }),
    ]);
  });

  after(async () => {
    await enabled?.close();
    await disabled?.close();
  });

  it("says in /overview what is enabled", async () => {
    const on = await (await get(enabled!, "/overview")).json();
    assert.deepEqual(on.mutations, { kill: true, suspend: true, restart: true });
    assert.deepEqual(on.inspection, { state: true });
    const off = await (await get(disabled!, "/overview")).json();
    assert.deepEqual(off.mutations, { kill: false, suspend: false, restart: false });
    assert.deepEqual(off.inspection, { state: false });
  });

  it("refuses every action and the state without their switch (403)", async () => {
    const app = disabled!;
    const paths = [
      `/processes/${routeId(app.victim)}/kill`,
      `/processes/${routeId(app.sleeper)}/suspend`,
      `/processes/${routeId(app.sleeper)}/resume`,
      `/processes/${routeId(app.supervisor)}/children/worker_a/restart`,
    ];
    for (const path of paths) {
      const response = await post(app, path);
      assert.equal(response.status, 403, path);
      assert.equal(typeof (await response.json()).error, "string", path);
    }
    const state = await get(app, `/processes/${routeId(app.vault)}/state`);
    assert.equal(state.status, 403);
    assert.match((await state.json()).error, /state inspection disabled/);
    assert.ok(app.served.system.processInfo(app.victim) !== undefined);
    assert.notEqual(app.served.system.processInfo(app.sleeper)?.status, "suspended");
  });

  it("refuses every action without auth (401)", async () => {
    const app = enabled!;
    for (const action of ["kill", "suspend", "resume"]) {
      const response = await post(app, `/processes/${routeId(app.sleeper)}/${action}`, {
        token: null,
      });
      assert.equal(response.status, 401, action);
      await response.body?.cancel();
    }
    const restart = await post(
      app,
      `/processes/${routeId(app.supervisor)}/children/worker_b/restart`,
      { token: null },
    );
    assert.equal(restart.status, 401);
    await restart.body?.cancel();
    const state = await fetch(`${app.served.base}/processes/${routeId(app.vault)}/state`);
    assert.equal(state.status, 401);
    await state.body?.cancel();
    assert.ok(app.served.system.processInfo(app.sleeper) !== undefined);
  });

  it("refuses every action from another origin (403)", async () => {
    const app = enabled!;
    const origin = "http://evil.example";
    const paths = [
      `/processes/${routeId(app.victim)}/kill`,
      `/processes/${routeId(app.sleeper)}/suspend`,
      `/processes/${routeId(app.sleeper)}/resume`,
      `/processes/${routeId(app.supervisor)}/children/worker_b/restart`,
    ];
    for (const path of paths) {
      const response = await post(app, path, { origin });
      assert.equal(response.status, 403, path);
      assert.equal(typeof (await response.json()).error, "string", path);
    }
    assert.ok(app.served.system.processInfo(app.victim) !== undefined);
    assert.notEqual(app.served.system.processInfo(app.sleeper)?.status, "suspended");
  });

  it("answers 4xx JSON for a dead pid, a temporary child and an unknown metric", async () => {
    const app = enabled!;
    const dead = await post(app, "/processes/999999/kill");
    assert.equal(dead.status, 404);
    assert.equal(typeof (await dead.json()).error, "string");
    const temporary = await post(
      app,
      `/processes/${routeId(app.supervisor)}/children/scratch/restart`,
    );
    assert.equal(temporary.status, 409);
    assert.equal(typeof (await temporary.json()).error, "string");
    const unknown = await get(app, "/metrics/values?name=shop.nope");
    assert.equal(unknown.status, 404);
    assert.match((await unknown.json()).error, /unknown metric/);
    const missing = await get(app, "/metrics/values");
    assert.equal(missing.status, 400);
    await missing.body?.cancel();
  });
});
