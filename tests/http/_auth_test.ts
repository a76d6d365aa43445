/**
 * Auth: every route but /health refuses requests without the token (401),
 * with a wrong one, or when no auth is configured; the token is compared
 * with hono's constant-time compare; the dashboard login sets an HttpOnly
 * SameSite=Strict cookie that then authenticates; a custom middleware
 * replaces the token check.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import { compareTokens, tokenMatches } from "../../src/http/_auth.ts";
import { createTelemetryApp } from "../../src/http/mod.ts";
import { System } from "../../src/system.ts";
import { AUTH, fixture, json, TOKEN } from "./_fixtures.ts";

const GUARDED: [method: string, path: string][] = [
  ["GET", "/health/details"],
  ["GET", "/metrics"],
  ["GET", "/overview"],
  ["GET", "/processes"],
  ["GET", "/processes/1"],
  ["POST", "/processes/1/kill"],
  ["GET", "/tree"],
  ["GET", "/events"],
  ["GET", "/dashboard"],
  ["GET", "/dashboard/app.js"],
  ["GET", "/dashboard/app.css"],
  ["GET", "/no/such/route"],
];

describe("auth", () => {
  it("answers 401 JSON on every route but /health without a token or with a wrong one", async () => {
    const f = fixture();
    try {
      const wrong: Record<string, string>[] = [
        {},
        { Authorization: "Bearer wrong-token" },
        { Authorization: `Bearer ${TOKEN}x` },
        { Authorization: `Basic ${TOKEN}` },
        { Authorization: `Bearer ${TOKEN.slice(0, -1)}` },
        { Cookie: "beamlet_token=wrong-token" },
      ];
      for (const [method, path] of GUARDED) {
        for (const headers of wrong) {
          const response = await f.app.request(path, { method, headers });
          assert.equal(response.status, 401, `${method} ${path} ${JSON.stringify(headers)}`);
          assert.deepEqual(await json(response), { error: "unauthorized" });
        }
      }
      const health = await f.app.request("/health");
      assert.equal(health.status, 200);
    } finally {
      f.close();
    }
  });

  it("denies every route but /health when no auth is configured", async () => {
    const system = new System({ logger: null });
    const controller = new AbortController();
    const app = createTelemetryApp(system, { signal: controller.signal });
    try {
      for (const [method, path] of GUARDED) {
        const response = await app.request(path, { method, headers: AUTH });
        assert.equal(response.status, 401, `${method} ${path}`);
      }
      assert.equal((await app.request("/dashboard?token=anything")).status, 401);
      assert.equal((await app.request("/health")).status, 200);
    } finally {
      controller.abort();
      system.shutdown();
    }
  });

  it("compares tokens with hono's constant-time timingSafeEqual", async () => {
    assert.equal(compareTokens, timingSafeEqual);
    assert.equal(await tokenMatches(TOKEN, TOKEN), true);
    assert.equal(await tokenMatches(`${TOKEN}x`, TOKEN), false);
    assert.equal(await tokenMatches(TOKEN.slice(1), TOKEN), false);
    assert.equal(await tokenMatches("", TOKEN), false);
    assert.equal(await tokenMatches(undefined, TOKEN), false);
    assert.equal(await tokenMatches("x".repeat(10_000), TOKEN), false);
  });

  it("accepts the bearer token", async () => {
    const f = fixture();
    try {
      assert.equal((await f.app.request("/overview", { headers: AUTH })).status, 200);
      const lower = { Authorization: `bearer ${TOKEN}` };
      assert.equal((await f.app.request("/overview", { headers: lower })).status, 200);
    } finally {
      f.close();
    }
  });

  it("logs the dashboard in with ?token=: 302 without the query, an HttpOnly strict cookie", async () => {
    const system = new System({ logger: null });
    const controller = new AbortController();
    const app = new Hono();
    app.route(
      "/beamlet",
      createTelemetryApp(system, { auth: { token: TOKEN }, signal: controller.signal }),
    );
    try {
      const bad = await app.request("/beamlet/dashboard?token=wrong");
      assert.equal(bad.status, 401);
      assert.equal(bad.headers.get("set-cookie"), null);

      const login = await app.request(`/beamlet/dashboard?token=${TOKEN}`);
      assert.equal(login.status, 302);
      assert.equal(login.headers.get("location"), "/beamlet/dashboard");
      const cookie = login.headers.get("set-cookie") ?? "";
      assert.match(cookie, new RegExp(`^beamlet_token=${TOKEN};`));
      assert.match(cookie, /; HttpOnly/i);
      assert.match(cookie, /; SameSite=Strict/i);
      assert.match(cookie, /; Path=\/beamlet\//);
      assert.doesNotMatch(cookie, /; Secure/i); // http: no Secure flag

      const headers = { Cookie: cookie.split(";")[0] };
      const page = await app.request("/beamlet/dashboard", { headers });
      assert.equal(page.status, 200);
      assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
      const overview = await app.request("/beamlet/overview", { headers });
      assert.equal(overview.status, 200);
      assert.equal((await app.request("/beamlet/overview")).status, 401);

      const secure = await app.request(`https://example.com/beamlet/dashboard?token=${TOKEN}`);
      assert.match(secure.headers.get("set-cookie") ?? "", /; Secure/i);
    } finally {
      controller.abort();
      system.shutdown();
    }
  });

  it("sets the cookie's Secure flag behind a TLS-terminating proxy (an https publicOrigin)", async () => {
    const f = fixture({ publicOrigin: "https://ops.example.com" });
    try {
      // The proxy speaks plain http to the app; the browser speaks https to the proxy.
      const login = await f.app.request(`http://10.0.0.5:3000/dashboard?token=${TOKEN}`);
      assert.equal(login.status, 302);
      assert.match(login.headers.get("set-cookie") ?? "", /; Secure/i);
    } finally {
      f.close();
    }
  });

  it("uses a custom middleware instead of the token", async () => {
    const system = new System({ logger: null });
    const controller = new AbortController();
    const app = createTelemetryApp(system, {
      signal: controller.signal,
      auth: {
        middleware: async (c, next) => {
          if (c.req.header("X-Api-Key") !== "k") return c.json({ error: "go away" }, 403);
          return await next();
        },
      },
    });
    try {
      assert.equal((await app.request("/overview")).status, 403);
      assert.equal((await app.request("/overview", { headers: AUTH })).status, 403);
      assert.equal((await app.request("/overview", { headers: { "X-Api-Key": "k" } })).status, 200);
      assert.equal((await app.request("/health")).status, 200);
    } finally {
      controller.abort();
      system.shutdown();
    }
  });

  it("refuses malformed auth options at creation", () => {
    const system = new System({ logger: null });
    try {
      for (
        const auth of [{ token: "" }, { token: "has space" }, { token: 42 }, { middleware: 1 }]
      ) {
        assert.throws(
          // deno-lint-ignore no-explicit-any
          () => createTelemetryApp(system, { auth: auth as any }),
          TypeError,
          JSON.stringify(auth),
        );
      }
    } finally {
      system.shutdown();
    }
  });
});
