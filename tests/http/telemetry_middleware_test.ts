/**
 * telemetryMiddleware: answers under its prefix (auth, routes, JSON 404s,
 * the dashboard login's cookie path) and passes every other path on.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { telemetryMiddleware } from "../../src/http/mod.ts";
import { System } from "../../src/system.ts";
import { AUTH, json, TOKEN } from "./_fixtures.ts";

function setup() {
  const system = new System({ logger: null });
  const controller = new AbortController();
  const app = new Hono();
  app.use(
    telemetryMiddleware(system, {
      prefix: "/ops/beamlet",
      auth: { token: TOKEN },
      signal: controller.signal,
    }),
  );
  app.get("/", (c) => c.text("home"));
  app.get("/ops/other", (c) => c.text("other"));
  app.get("/ops/beamletx", (c) => c.text("not the prefix"));
  return {
    system,
    app,
    close() {
      controller.abort();
      system.shutdown();
    },
  };
}

describe("telemetryMiddleware", () => {
  it("answers under the prefix", async () => {
    const { app, close } = setup();
    try {
      assert.equal((await app.request("/ops/beamlet/health")).status, 200);
      assert.equal((await app.request("/ops/beamlet/overview")).status, 401);
      assert.equal((await app.request("/ops/beamlet/overview", { headers: AUTH })).status, 200);
      assert.equal((await app.request("/ops/beamlet")).status, 401);
      const missing = await app.request("/ops/beamlet/nope", { headers: AUTH });
      assert.equal(missing.status, 404);
      assert.deepEqual(await json(missing), { error: "not found" });
      const login = await app.request(`/ops/beamlet/dashboard?token=${TOKEN}`);
      assert.equal(login.status, 302);
      assert.equal(login.headers.get("location"), "/ops/beamlet/dashboard");
      assert.match(login.headers.get("set-cookie") ?? "", /; Path=\/ops\/beamlet\//);
    } finally {
      close();
    }
  });

  it("passes every other path to next()", async () => {
    const { app, close } = setup();
    try {
      assert.equal(await (await app.request("/")).text(), "home");
      assert.equal(await (await app.request("/ops/other")).text(), "other");
      assert.equal(await (await app.request("/ops/beamletx")).text(), "not the prefix");
      assert.equal((await app.request("/health")).status, 404);
    } finally {
      close();
    }
  });

  it("refuses a malformed prefix", () => {
    const system = new System({ logger: null });
    try {
      for (const prefix of ["", "/", "beamlet", "/beamlet/", "/a/:id", "/a/*", "/a b"]) {
        assert.throws(
          () => telemetryMiddleware(system, { prefix, auth: { token: TOKEN } }),
          TypeError,
          prefix,
        );
      }
    } finally {
      system.shutdown();
    }
  });
});
