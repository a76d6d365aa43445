/// <reference lib="dom" />
/**
 * The dashboard's overview in a real browser, over a served app whose
 * system the test drives:
 *
 * - first paint: the charts are back-filled from `overview/history` and span
 *   the last five minutes; a chart without data says "collecting…";
 * - the three call latencies (queued, handling, round trip) as separate,
 *   explained cards and chart series;
 * - SLO rows and alert lines that say state, value, threshold and burn rate
 *   of both windows, and why an SLO is "ok" while its long window is over;
 * - partition children shown by their child id (`partition-0`) in the
 *   process table, the top mailboxes and the tree;
 * - the events panel: a prefix filter (on Enter, also streamed from the
 *   server), and a flood of task exits folded into one line that keeps counting;
 * - the Monitor panel: long callbacks and the busiest processes by name;
 * - the Schedulers panel of a system of two schedulers (as the demo runs): both
 *   running, with their processes and CPU tasks, and a process detail that names
 *   its scheduler.
 *
 * The page logs no error. Screenshots go to `artifacts/dashboard_overview.png` and
 * `artifacts/dashboard_schedulers.png` (the Schedulers panel).
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { noreply, ok, reply, System } from "../mod.ts";
import { PartitionSupervisor } from "../partition.ts";
import { SloMonitor } from "../slo.ts";
import { Task } from "../task.ts";
import { serveApp, type ServedApp } from "./_served_app.ts";
import { repoPath } from "./_repo.ts";
import { skipUnless } from "./_requirement.ts";

const CHROMIUM = "/usr/bin/chromium";
/** How long the page may take to show a thing: a net under a page that never does, not a speed. */
const PAGE_WAIT_MS = 60_000;
const skip = skipUnless("chromium", CHROMIUM);
const SLO_EVENT = ["e2e", "op", "stop"] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `fn(arg)` is true in the page. */
function until<A extends string | number | undefined>(
  page: Page,
  fn: (arg: A) => boolean,
  arg: A,
): Promise<unknown> {
  return page.waitForFunction(fn as (arg: unknown) => boolean, arg, { timeout: PAGE_WAIT_MS });
}

async function getJson(app: ServedApp, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${app.base}${path}`, {
    headers: { authorization: `Bearer ${app.token}` },
  });
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

/** Busy for `ms` of wall time: a callback over the monitor's 1 ms budget on any machine. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

describe("the dashboard's overview in Chromium", { skip }, () => {
  let browser: Browser | undefined;
  let app: ServedApp | undefined;
  let slo: SloMonitor | undefined;

  before(async () => {
    const system = new System({ logger: null });
    slo = new SloMonitor(system, {
      slos: [{
        name: "e2e-p90",
        kind: "latency",
        event: SLO_EVENT,
        quantile: 0.9,
        threshold: 5,
        // Sub-windows of 3 s, a short window of two; a long window far longer than the test.
        window: 120_000,
        buckets: 40,
        shortWindow: 6000,
        minSamples: 5,
      }],
      // Evaluated by the test only (`slo.evaluate()`), so the page shows each state for as
      // long as it needs.
      evaluationInterval: 3_600_000,
    });
    [app, browser] = await Promise.all([
      serveApp({ slo }, system),
      chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] }),
    ]);
  });

  after(async () => {
    await browser?.close();
    slo?.stop();
    await app?.close();
  });

  it("paints history first, splits call latency, tells SLOs truthfully, names pids, folds floods", async () => {
    const served = app!;
    const system = served.system;
    const pageErrors: string[] = [];
    const consoleErrors: string[] = [];

    // Partition children (no registered names) and a registered server with slow casts.
    await PartitionSupervisor.start(system, {
      child: { server: { init: () => ok(0), handleCast: (_: "inc", n: number) => noreply(n + 1) } },
      partitions: 2,
    });
    const slow = await system.start(
      {
        init: () => ok(0),
        handleCast: (_: "work", n: number) => {
          busy(5);
          return noreply(n + 1);
        },
        handleCall: (_: "get", _from: unknown, n: number) => reply(n, n),
      },
      undefined,
      { name: "slow-e2e" },
    );

    // The server samples history once a second: wait for two samples before the first paint.
    const history = await waitFor(async () => {
      const { status, body } = await getJson(served, "/overview/history");
      assert.equal(status, 200, `GET /overview/history answers ${status}`);
      const points = (body as { points: unknown[] }).points;
      return points.length >= 2 ? points : undefined;
    });
    assert.ok(history.length >= 2);

    const context = await browser!.newContext({ viewport: { width: 1400, height: 1200 } });
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(String(error)));
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto(`${served.base}/dashboard?token=${served.token}`);

    // First paint: the charts exist only once the history answered, and hold it.
    const throughput = page.locator("[data-testid=chart-throughput]");
    await throughput.waitFor({ timeout: PAGE_WAIT_MS });
    const painted = Number(await throughput.getAttribute("data-history"));
    assert.ok(painted >= 2, `the first paint holds the history (${painted} points)`);
    assert.ok(Number(await throughput.getAttribute("data-points")) >= 2);
    // The x-axis: the last five minutes up to now, not years.
    const xMin = Number(await throughput.getAttribute("data-x-min"));
    const xMax = Number(await throughput.getAttribute("data-x-max"));
    assert.equal(xMax - xMin, 300, "a five-minute axis");
    assert.ok(Math.abs(xMax - Date.now() / 1000) < 120, `the axis ends now (${xMax})`);
    // The latency chart, on the same five-minute axis, says "collecting…" exactly while it has
    // no value (the supervisors' start-up calls may already have given it some, from history).
    const latency = page.locator("[data-testid=chart-latency]");
    const empty = (await latency.getAttribute("data-empty")) === "true";
    const note = latency.locator("[data-testid=chart-note]");
    assert.equal(await note.isVisible(), empty, `latency chart empty: ${empty}`);
    assert.equal(await note.textContent(), "collecting…");
    assert.equal(
      Number(await latency.getAttribute("data-x-max")) -
        Number(await latency.getAttribute("data-x-min")),
      300,
    );

    // Call latency, split: three explained cards and three series.
    for (
      const [card, words] of [
        ["card-queued", /mailbox/],
        ["card-handling", /handleCall/],
        ["card-round-trip", /call\(\)/],
      ] as const
    ) {
      assert.match(await page.getAttribute(`[data-testid=${card}]`, "title") ?? "", words);
    }
    assert.equal(await page.locator("text=call p99").count(), 0, "no ambiguous 'call p99'");
    const legend = await latency.textContent() ?? "";
    for (const series of ["queued", "handling", "round trip"]) {
      assert.ok(legend.includes(series), `the latency chart has a "${series}" series`);
    }
    for (let i = 0; i < 20; i++) await system.call(slow, "get");
    await until(
      page,
      () =>
        /\d/.test(
          document.querySelector("[data-testid=latency-handling-p99]")?.textContent ?? "",
        ),
      undefined,
    );
    await until(
      page,
      () =>
        !(document.querySelector("[data-testid=chart-latency] [data-testid=chart-note]") as
          | HTMLElement
          | null)?.checkVisibility(),
      undefined,
    );
    const overview = (await getJson(served, "/overview")).body as Record<string, unknown>;
    for (
      const [key, id] of [["queued", "latency-queued-p99"], [
        "roundTrip",
        "latency-round-trip-p99",
      ]] as const
    ) {
      const calls = overview.calls as Record<string, unknown> | undefined;
      if (calls && calls[key]) {
        await until(
          page,
          (testid) =>
            /\d/.test(document.querySelector(`[data-testid=${testid}]`)?.textContent ?? ""),
          id,
        );
      } else {
        // A server without split latency: nothing is made up.
        assert.equal(await page.textContent(`[data-testid=${id}]`), "–");
      }
    }

    // Names: the partition children by child id, the server by its name.
    await until(
      page,
      () =>
        Array.from(document.querySelectorAll("[data-testid=process-name]")).some((cell) =>
          cell.textContent === "partition-0"
        ),
      undefined,
    );
    await until(
      page,
      () =>
        Array.from(document.querySelectorAll("[data-testid=mailbox-link]")).some((link) =>
          link.textContent === "partition-1"
        ),
      undefined,
    );
    await until(
      page,
      () =>
        (document.querySelector("[data-testid=tree]")?.textContent ?? "").includes("partition-0"),
      undefined,
    );

    // SLOs: breach in both windows…
    for (let i = 0; i < 20; i++) system.telemetry.execute(SLO_EVENT, { duration: 200 }, {});
    slo!.evaluate();
    const breached = await sloSummaryWhen(page, "breached");
    assert.match(
      breached,
      /^breached · p90 \d+ ms > 5\.0 ms over 2 min · burn 10\.0 over 2 min, 10\.0 over 6 s \(alerts when both > 1\.00\)$/,
      breached,
    );
    // … then the short window recovers while the long one still holds the burn: "ok", and why.
    await sleep(6500); // the bad samples' sub-window leaves the short window
    for (let i = 0; i < 20; i++) system.telemetry.execute(SLO_EVENT, { duration: 1 }, {});
    const [status] = slo!.evaluate();
    assert.equal(status.state, "ok");
    const recovered = await sloSummaryWhen(page, "ok", / 5\.00 over 2 min/);
    assert.match(
      recovered,
      /^ok · p90 \d+ ms > 5\.0 ms over 2 min · burn 5\.00 over 2 min, 0\.00 over 6 s \(alerts when both > 1\.00\)$/,
      recovered,
    );
    assert.match(
      await page.textContent("[data-testid=slo-why]") ?? "",
      /^ok because the last 6 s are within budget/,
    );
    await until(
      page,
      () => document.querySelectorAll("[data-testid=alert-row]").length >= 2,
      undefined,
    );
    const resolve = await page.locator("[data-testid=alert-row]").first().textContent() ?? "";
    assert.match(resolve, /resolve/);
    assert.match(resolve, /→ ok · burn [\d.]+ over 2 min, 0\.00 over 6 s/);
    assert.match(resolve, /resolved by the 6 s window/);

    // Events: a flood of task exits folds into one line that keeps counting.
    await until(
      page,
      () => document.querySelector("[data-testid=events-state]")?.textContent === "live",
      undefined,
    );
    const exitLines = () =>
      page.evaluate(() =>
        document.querySelectorAll("#events li[data-name='beamlet.process.exit']:not(.ev-folded)")
          .length
      );
    const foldedCount = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll("[data-testid=events-folded]")).reduce(
          (sum, line) =>
            sum +
            (line.getAttribute("data-name") === "beamlet.process.exit"
              ? Number(line.getAttribute("data-count"))
              : 0),
          0,
        )
      );
    const before = await exitLines();
    for (let i = 0; i < 40; i++) await Task.start(system, () => {});
    await until(
      page,
      (seen) =>
        document.querySelectorAll("#events li[data-name='beamlet.process.exit']:not(.ev-folded)")
              .length -
            seen +
            Array.from(document.querySelectorAll("[data-testid=events-folded]")).reduce(
              (sum, line) =>
                sum +
                (line.getAttribute("data-name") === "beamlet.process.exit"
                  ? Number(line.getAttribute("data-count"))
                  : 0),
              0,
            ) >= 40,
      before,
    );
    const shown = (await exitLines()) - before;
    assert.ok(shown <= 5, `at most 5 lines of one name per second (${shown})`);
    const folded = await foldedCount();
    assert.equal(shown + folded, 40, "every exit is shown or counted");
    assert.match(
      await page.locator("[data-testid=events-folded]").first().textContent() ?? "",
      /^.*… \d+ more\s*beamlet\.process\.exit$/,
    );
    // It keeps counting: ten more exits are counted, not listed.
    for (let i = 0; i < 10; i++) await Task.start(system, () => {});
    await until(
      page,
      (expected) =>
        Array.from(document.querySelectorAll("[data-testid=events-folded]")).reduce(
              (sum, line) =>
                sum + (line.getAttribute("data-name") === "beamlet.process.exit"
                  ? Number(line.getAttribute("data-count"))
                  : 0),
              0,
            ) + document.querySelectorAll(
              "#events li[data-name='beamlet.process.exit']:not(.ev-folded)",
            ).length >= expected,
      before + 50,
    );
    assert.ok(await foldedCount() > folded, "the folded line kept counting");

    // The prefix filter hides other names and brings them back.
    await page.fill("[data-testid=events-filter]", "beamlet.slo");
    assert.equal(
      await page.evaluate(() =>
        Array.from(document.querySelectorAll("#events li[data-name^='beamlet.process']")).every(
          (line) => (line as HTMLElement).hidden,
        )
      ),
      true,
    );
    assert.ok(
      await page.evaluate(() =>
        Array.from(document.querySelectorAll("#events li[data-name^='beamlet.slo']")).some(
          (line) => !(line as HTMLElement).hidden,
        )
      ),
      "the SLO alert events stay",
    );
    // Enter on a prefix the default stream leaves out asks the server for it too.
    await page.fill("[data-testid=events-filter]", "beamlet.call");
    await page.press("[data-testid=events-filter]", "Enter");
    await until(
      page,
      () =>
        document.querySelector("[data-testid=events-state]")?.textContent ===
          "live, + beamlet.call",
      undefined,
    );
    for (let i = 0; i < 3; i++) await system.call(slow, "get");
    await until(
      page,
      () =>
        Array.from(document.querySelectorAll("#events li[data-name^='beamlet.call.']")).some(
          (line) => !(line as HTMLElement).hidden,
        ),
      undefined,
    );
    await page.fill("[data-testid=events-filter]", "");
    await until(
      page,
      () => document.querySelector("[data-testid=events-state]")?.textContent === "live",
      undefined,
    );
    assert.ok(await exitLines() > 0);
    assert.equal(
      await page.evaluate(() =>
        Array.from(document.querySelectorAll("#events li[data-name]")).some(
          (line) => (line as HTMLElement).hidden,
        )
      ),
      false,
    );

    // The Monitor panel: the slow server's long callbacks, by name (when the server monitors).
    for (let i = 0; i < 3; i++) system.cast(slow, "work");
    const monitored = await waitFor(async () => {
      const o = (await getJson(served, "/overview")).body as { monitor?: unknown };
      if (o.monitor === undefined) return "absent";
      const m = o.monitor as { recent: unknown[] };
      return m.recent.length > 0 ? "present" : undefined;
    });
    if (monitored === "present") {
      await until(
        page,
        () =>
          Array.from(document.querySelectorAll("[data-testid=monitor-recent-row]")).some((row) =>
            (row.textContent ?? "").includes("slow-e2e")
          ),
        undefined,
      );
      await until(
        page,
        () =>
          Array.from(document.querySelectorAll("[data-testid=monitor-busiest-row]")).some((row) =>
            (row.textContent ?? "").includes("slow-e2e")
          ),
        undefined,
      );
      assert.match(await page.textContent("[data-testid=monitor-long-callbacks]") ?? "", /\d/);
    } else {
      assert.equal(await page.textContent("[data-testid=monitor-long-callbacks]"), "–");
    }

    mkdirSync(repoPath("artifacts"), { recursive: true });
    await page.screenshot({
      path: repoPath("artifacts", "dashboard_overview.png"),
      fullPage: true,
    });
    assert.deepEqual(pageErrors, [], "no uncaught page error");
    assert.deepEqual(consoleErrors, [], "no console error");
    await context.close();
  });
});

describe("the dashboard's schedulers in Chromium", { skip }, () => {
  let browser: Browser | undefined;
  let app: ServedApp | undefined;

  before(async () => {
    // Two schedulers, as the demo runs: this thread and one Worker.
    const system = new System({ schedulers: 2, logger: null });
    await system.ready;
    [app, browser] = await Promise.all([
      serveApp({}, system),
      chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] }),
    ]);
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it("lists both schedulers running, and a process detail names its scheduler", async () => {
    const served = app!;
    const pageErrors: string[] = [];
    const consoleErrors: string[] = [];
    const pid = await served.system.start({ init: () => ok(null) }, undefined, {
      name: "sched-e2e",
    });
    const overview = (await getJson(served, "/overview")).body as {
      schedulers: { index: number; status: string }[];
    };
    assert.deepEqual(
      overview.schedulers.map((s) => [s.index, s.status]),
      [[0, "running"], [1, "running"]],
    );

    const context = await browser!.newContext({ viewport: { width: 1400, height: 1200 } });
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(String(error)));
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto(`${served.base}/dashboard?token=${served.token}`);

    await until(
      page,
      () => document.querySelectorAll("[data-testid=scheduler-row]").length === 2,
      undefined,
    );
    const rows = await page.evaluate(() =>
      Array.from(document.querySelectorAll("[data-testid=scheduler-row]")).map((row) => ({
        index: row.getAttribute("data-index"),
        status: row.querySelector("[data-testid=scheduler-status]")?.textContent,
        processes: row.querySelector("[data-testid=scheduler-processes]")?.textContent,
        tasks: row.querySelector("[data-testid=scheduler-tasks]")?.textContent,
        text: row.textContent ?? "",
      }))
    );
    assert.deepEqual(rows.map((r) => [r.index, r.status]), [["0", "running"], ["1", "running"]]);
    assert.match(rows[0].text, /^scheduler 0/);
    assert.match(rows[1].text, /^scheduler 1/);
    for (const row of rows) {
      assert.match(row.processes ?? "", /^\d[\d,]*$/, `scheduler ${row.index}: processes`);
      assert.match(row.tasks ?? "", /^\d[\d,]*$/, `scheduler ${row.index}: CPU tasks`);
    }
    assert.ok(Number(rows[0].processes!.replaceAll(",", "")) >= 1, "this thread's processes");
    assert.equal(await page.locator("[data-testid=scheduler-error]").count(), 0);
    assert.equal(await page.textContent("[data-testid=schedulers-summary]"), "2 running");
    assert.ok(
      await page.locator("[data-testid=schedulers-note]").isVisible(),
      "says the other panels are scheduler 0's",
    );
    mkdirSync(repoPath("artifacts"), { recursive: true });
    await page.locator("[data-testid=schedulers-panel]").screenshot({
      path: repoPath("artifacts", "dashboard_schedulers.png"),
    });

    // The process detail names the scheduler the process runs on.
    await page.goto(`${served.base}/dashboard#/processes/${pid.serial}`);
    const scheduler = await page.waitForFunction(
      () => {
        for (const dt of document.querySelectorAll("#detail-body dt")) {
          if (dt.textContent === "scheduler") return dt.nextElementSibling?.textContent ?? "";
        }
        return false;
      },
      undefined,
      { timeout: PAGE_WAIT_MS },
    );
    assert.equal(await scheduler.jsonValue(), String(pid.scheduler));

    assert.deepEqual(pageErrors, [], "no uncaught page error");
    assert.deepEqual(consoleErrors, [], "no console error");
    await context.close();
  });
});

/** The SLO row's summary, read in the same frame its state is `state` (and it matches `text`). */
async function sloSummaryWhen(page: Page, state: string, text = /./): Promise<string> {
  const handle = await page.waitForFunction(
    ([wanted, source]) => {
      const row = document.querySelector("[data-testid=slo-row]");
      const summary = row?.querySelector("[data-testid=slo-summary]")?.textContent ?? "";
      return row?.getAttribute("data-state") === wanted && new RegExp(source).test(summary)
        ? summary
        : false;
    },
    [state, text.source] as const,
    { timeout: PAGE_WAIT_MS },
  );
  return String(await handle.jsonValue());
}

/** Polls `fn` until it answers something, at most PAGE_WAIT_MS. */
async function waitFor<T>(fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + PAGE_WAIT_MS;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("waitFor: nothing within PAGE_WAIT_MS");
    await sleep(200);
  }
}
