/**
 * Auth: every route but /health refuses requests without the token (401),
 * with a wrong one, or when no auth is configured; the token is compared
 * with hono's constant-time compare and is at least 16 characters; failed
 * attempts are throttled (429 with Retry-After beyond the budget, the token
 * not compared), globally or per client key; the dashboard login sets an
 * HttpOnly SameSite=Strict cookie (Secure behind an https public origin)
 * that then authenticates; a custom middleware replaces the token check.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import { compareTokens, tokenMatches } from "../../src/http/_auth.ts";
import { createTelemetryApp } from "../../src/http/mod.ts";
import { System } from "../../src/system.ts";
import { AUTH, fixture, json, TOKEN } from "./_fixtures.ts";

/** A system whose clock the test moves. */
function clocked() {
  const clock = { now: 0 };
  const system = new System({ logger: null, clock: { now: () => clock.now } });
  return { system, clock };
}

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
    const f = fixture({ auth: { token: TOKEN, throttle: { maxFailures: 1_000_000 } } });
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

  it("refuses a token shorter than 16 characters at creation", () => {
    const system = new System({ logger: null });
    try {
      for (const token of ["x", "short-token", "fifteen-chars!!"]) {
        assert.throws(
          () => createTelemetryApp(system, { auth: { token } }),
          (error: unknown) => error instanceof TypeError && /at least|16/.test(error.message),
          token,
        );
      }
      createTelemetryApp(system, {
        auth: { token: "sixteen-chars!!!" },
        signal: AbortSignal.abort(),
      });
    } finally {
      system.shutdown();
    }
  });

  it("throttles failed token attempts: 429 with Retry-After, the right token not even compared", async () => {
    const { system, clock } = clocked();
    const f = fixture(
      { auth: { token: TOKEN, throttle: { maxFailures: 3, windowMs: 10_000 } } },
      system,
    );
    try {
      const wrong = { Authorization: "Bearer wrong-token-0123456789" };
      for (let i = 0; i < 3; i++) {
        assert.equal(
          (await f.app.request("/overview", { headers: wrong })).status,
          401,
          `try ${i}`,
        );
      }
      clock.now = 2500;
      for (
        const headers of [wrong, AUTH, { Cookie: `beamlet_token=${TOKEN}` }]
      ) {
        const response = await f.app.request("/metrics", { headers });
        assert.equal(response.status, 429, JSON.stringify(headers));
        assert.equal(response.headers.get("retry-after"), "8"); // 7.5 s left, rounded up
        assert.deepEqual(await json(response), { error: "too many failed attempts" });
      }
      const login = await f.app.request(`/dashboard?token=${TOKEN}`);
      assert.equal(login.status, 429);
      assert.equal(login.headers.get("set-cookie"), null);
      // Presenting no token is no attempt: still a plain 401.
      assert.equal((await f.app.request("/overview")).status, 401);
      assert.equal((await f.app.request("/health")).status, 200);

      clock.now = 10_000; // the window ended
      assert.equal((await f.app.request("/metrics", { headers: AUTH })).status, 200);
      assert.equal((await f.app.request("/metrics", { headers: wrong })).status, 401);
    } finally {
      f.close();
    }
  });

  it("counts wrong logins and cookies too, and successes never refill the budget", async () => {
    const { system } = clocked();
    const f = fixture({ auth: { token: TOKEN, throttle: { maxFailures: 3 } } }, system);
    try {
      assert.equal((await f.app.request("/dashboard?token=wrong-login-0123456789")).status, 401);
      assert.equal((await f.app.request("/overview", { headers: AUTH })).status, 200);
      const cookie = { Cookie: "beamlet_token=wrong-cookie-0123456789" };
      assert.equal((await f.app.request("/overview", { headers: cookie })).status, 401);
      assert.equal((await f.app.request("/overview", { headers: AUTH })).status, 200);
      const wrong = { Authorization: "Bearer wrong-token-0123456789" };
      assert.equal((await f.app.request("/overview", { headers: wrong })).status, 401);
      assert.equal((await f.app.request("/overview", { headers: AUTH })).status, 429);
    } finally {
      f.close();
    }
  });

  it("keeps a budget per clientKey; a key that fails goes to the shared budget", async () => {
    const { system } = clocked();
    const f = fixture({
      auth: {
        token: TOKEN,
        throttle: {
          maxFailures: 2,
          clientKey: (c) => {
            const client = c.req.header("X-Client");
            if (client === "throws") throw new Error("no address");
            return client as string; // undefined without the header: the shared budget
          },
        },
      },
    }, system);
    const as = (client: string | undefined, token: string) =>
      f.app.request("/overview", {
        headers: {
          Authorization: `Bearer ${token}`,
          ...(client === undefined ? {} : { "X-Client": client }),
        },
      });
    try {
      const bad = "wrong-token-0123456789";
      assert.equal((await as("attacker", bad)).status, 401);
      assert.equal((await as("attacker", bad)).status, 401);
      assert.equal((await as("attacker", TOKEN)).status, 429);
      assert.equal((await as("dashboard", TOKEN)).status, 200); // locked out: the attacker only
      assert.equal((await as("throws", bad)).status, 401);
      assert.equal((await as(undefined, bad)).status, 401);
      assert.equal((await as(undefined, TOKEN)).status, 429); // shared budget spent
      assert.equal((await as("throws", TOKEN)).status, 429);
      assert.equal((await as("dashboard", TOKEN)).status, 200);
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
      const bad: [unknown, ErrorConstructor][] = [
        [{ token: "" }, TypeError],
        [{ token: "has space has space" }, TypeError],
        [{ token: 42 }, TypeError],
        [{ middleware: 1 }, TypeError],
        [{ token: TOKEN, throttle: "strict" }, TypeError],
        [{ token: TOKEN, throttle: { clientKey: "ip" } }, TypeError],
        [{ token: TOKEN, throttle: { maxFailures: 0 } }, RangeError],
        [{ token: TOKEN, throttle: { maxFailures: 1.5 } }, RangeError],
        [{ token: TOKEN, throttle: { windowMs: 0 } }, RangeError],
        [{ token: TOKEN, throttle: { windowMs: Infinity } }, RangeError],
      ];
      for (const [auth, type] of bad) {
        assert.throws(
          // deno-lint-ignore no-explicit-any
          () => createTelemetryApp(system, { auth: auth as any }),
          type,
          JSON.stringify(auth),
        );
      }
      assert.equal(system.telemetry.listHandlers().length, 0); // nothing attached by a refused app
    } finally {
      system.shutdown();
    }
  });
});
