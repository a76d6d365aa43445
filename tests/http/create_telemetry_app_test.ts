/**
 * createTelemetryApp: JSON 404s for unknown routes (mounted or not), the
 * dashboard assets and their CSP, errors that leak nothing, option checks,
 * and what aborting the signal releases (the walker it made included).
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { createTelemetryApp } from "../../src/http/mod.ts";
import { ProcessTableWalker } from "../../src/observe/process_table_walker.ts";
import { System } from "../../src/system.ts";
import { AUTH, fixture, json, TOKEN } from "./_fixtures.ts";

const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'";

describe("createTelemetryApp", () => {
  it("answers 404 JSON for unknown routes and methods", async () => {
    const f = fixture();
    try {
      for (
        const [method, path] of [
          ["GET", "/nope"],
          ["GET", "/"],
          ["GET", "/processes/1/extra"],
          ["GET", "/metrics/"],
          ["POST", "/overview"],
          ["DELETE", "/processes"],
          ["GET", "/dashboard/other.js"],
        ]
      ) {
        const response = await f.get(path, { method });
        assert.equal(response.status, 404, `${method} ${path}`);
        assert.deepEqual(await json(response), { error: "not found" });
      }
    } finally {
      f.close();
    }
  });

  it("works mounted with app.route, with JSON 404s under the mount", async () => {
    const system = new System({ logger: null });
    const controller = new AbortController();
    const app = new Hono();
    app.route(
      "/beamlet",
      createTelemetryApp(system, { auth: { token: TOKEN }, signal: controller.signal }),
    );
    app.get("/", (c) => c.text("home"));
    try {
      assert.equal((await app.request("/beamlet/health")).status, 200);
      assert.equal((await app.request("/beamlet/overview", { headers: AUTH })).status, 200);
      const missing = await app.request("/beamlet/nope", { headers: AUTH });
      assert.equal(missing.status, 404);
      assert.deepEqual(await json(missing), { error: "not found" });
      assert.equal(await (await app.request("/")).text(), "home");
    } finally {
      controller.abort();
      system.shutdown();
    }
  });

  it("serves the dashboard page, script and styles under a strict CSP", async () => {
    const f = fixture();
    try {
      for (
        const [path, type] of [
          ["/dashboard", "text/html"],
          ["/dashboard/app.js", "application/javascript"],
          ["/dashboard/app.css", "text/css"],
        ]
      ) {
        const response = await f.get(path);
        assert.equal(response.status, 200, path);
        assert.ok(response.headers.get("content-type")?.startsWith(type), path);
        assert.equal(response.headers.get("content-security-policy"), CSP);
        assert.equal(response.headers.get("x-content-type-options"), "nosniff");
        assert.ok((await response.text()).length > 0);
      }
    } finally {
      f.close();
    }
  });

  it("answers a failing route with a bare 500 that leaks nothing", async () => {
    const system = new System({ logger: null });
    const controller = new AbortController();
    const app = createTelemetryApp(system, { auth: { token: TOKEN }, signal: controller.signal });
    try {
      system.shutdown();
      // A system whose introspection throws stands in for an unexpected bug.
      Object.defineProperty(system, "schedulerStats", {
        value: () => {
          throw new Error("secret internals");
        },
      });
      const response = await app.request("/overview", { headers: AUTH });
      assert.equal(response.status, 500);
      assert.deepEqual(await json(response), { error: "internal error" });
    } finally {
      controller.abort();
    }
  });

  it("refuses malformed options at creation", () => {
    const system = new System({ logger: null });
    try {
      const bad: [unknown, ErrorConstructor][] = [
        [{ limits: { maxPageSize: 0 } }, RangeError],
        [{ limits: { maxPageSize: 1.5 } }, RangeError],
        [{ limits: { maxSseClients: -1 } }, RangeError],
        [{ limits: { sseQueueSize: 0 } }, RangeError],
        [{ limits: { sseHeartbeatMs: Infinity } }, RangeError],
        [{ limits: "many" }, TypeError],
        [{ metrics: {} }, TypeError],
        [{ slo: {} }, TypeError],
        [{ signal: "stop" }, TypeError],
        [{ limits: { maxTreeNodes: 0 } }, RangeError],
        [{ limits: { maxTreeNodes: 100_001 } }, RangeError],
        [{ processTable: {} }, TypeError],
        [{ publicOrigin: "ops.example.com" }, TypeError],
        [{ publicOrigin: "https://ops.example.com/beamlet" }, TypeError],
        [{ publicOrigin: [] }, TypeError],
      ];
      for (const [options, type] of bad) {
        assert.throws(
          // deno-lint-ignore no-explicit-any
          () => createTelemetryApp(system, { auth: { token: TOKEN }, ...(options as any) }),
          type,
          JSON.stringify(options),
        );
      }
      // deno-lint-ignore no-explicit-any
      assert.throws(() => createTelemetryApp(system, null as any), TypeError);
    } finally {
      system.shutdown();
    }
  });

  it("detaches its default metrics and call latency when the signal aborts", async () => {
    const system = new System({ logger: null });
    const controller = new AbortController();
    const app = createTelemetryApp(system, { auth: { token: TOKEN }, signal: controller.signal });
    try {
      assert.ok(system.telemetry.listHandlers().length > 0);
      assert.equal((await app.request("/overview", { headers: AUTH })).status, 200);
      controller.abort();
      assert.equal(system.telemetry.listHandlers().length, 0);
      // Served from the last snapshot of the walker, closed now.
      const overview = await json<{ callLatency: unknown }>(
        await app.request("/overview", { headers: AUTH }),
      );
      assert.equal(overview.callLatency, null);
      assert.equal((await app.request("/metrics", { headers: AUTH })).status, 200);
    } finally {
      system.shutdown();
    }
  });

  it("closes the walker it made when the signal aborts, and leaves a given one open", async () => {
    const system = new System({ logger: null });
    const controller = new AbortController();
    const given = new ProcessTableWalker(system, { schedule: "manual" });
    const own = createTelemetryApp(system, { auth: { token: TOKEN }, signal: controller.signal });
    const shared = createTelemetryApp(system, {
      auth: { token: TOKEN },
      signal: controller.signal,
      processTable: given,
    });
    try {
      given.refresh();
      assert.equal((await shared.request("/processes", { headers: AUTH })).status, 200);
      controller.abort();
      assert.equal(given.closed, false);
      // The app's own walker never completed a pass: its routes say the app is closed.
      const closed = await own.request("/processes", { headers: AUTH });
      assert.equal(closed.status, 503);
      assert.deepEqual(await json(closed), { error: "closed" });
    } finally {
      given.close();
      system.shutdown();
    }
  });

  it("attaches nothing when created with an aborted signal", () => {
    const system = new System({ logger: null });
    try {
      createTelemetryApp(system, { auth: { token: TOKEN }, signal: AbortSignal.abort() });
      assert.equal(system.telemetry.listHandlers().length, 0);
    } finally {
      system.shutdown();
    }
  });
});
