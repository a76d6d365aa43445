/**
 * Named tokens: `auth: { tokens: { name: token } }` next to `{ token,
 * name? }`. The token that authenticates a request (bearer or the login
 * cookie) sets the `"beamlet.user"` context variable to its name; the
 * dashboard login's cookie then says whose session it is; a custom
 * middleware may set the user itself, else actions are by "anonymous".
 * Wrong tokens are throttled as before; bad names and tokens are refused
 * at creation.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Hono } from "hono";
import { createTelemetryApp, type TelemetryAuth } from "../../src/http/mod.ts";
import { System } from "../../src/system.ts";
import { echo, json, TOKEN } from "./_fixtures.ts";

const ALICE = "alice-token-0123456789";
const BOB = "bob-token-0123456789ab";
const SAME_ORIGIN = { Origin: "http://localhost" } as const;

function named(auth: TelemetryAuth) {
  const system = new System({ logger: null });
  const controller = new AbortController();
  const app = createTelemetryApp(system, {
    auth,
    mutations: { suspend: true },
    signal: controller.signal,
  });
  return {
    system,
    app,
    close() {
      controller.abort();
      system.shutdown();
    },
  };
}

/** Who the app says suspended a process, for a request with `headers`. */
async function whoSuspends(
  app: Hono,
  system: System,
  headers: Record<string, string>,
): Promise<{ status: number; by?: string }> {
  const pid = (await system.start(echo))!;
  const response = await app.request(`/processes/${pid.serial}/suspend`, {
    method: "POST",
    headers: { ...SAME_ORIGIN, ...headers },
  });
  const body = await json<{ by?: string }>(response);
  return { status: response.status, by: body.by };
}

describe("named tokens", () => {
  it("names the user by the token that authenticated the request", async () => {
    const t = named({ tokens: { alice: ALICE, "bob@ops": BOB } });
    try {
      assert.deepEqual(await whoSuspends(t.app, t.system, { Authorization: `Bearer ${ALICE}` }), {
        status: 200,
        by: "alice",
      });
      assert.deepEqual(await whoSuspends(t.app, t.system, { Authorization: `Bearer ${BOB}` }), {
        status: 200,
        by: "bob@ops",
      });
      const wrong = await whoSuspends(t.app, t.system, { Authorization: `Bearer ${TOKEN}` });
      assert.equal(wrong.status, 401);
      // Every read route takes any of them.
      for (const token of [ALICE, BOB]) {
        const overview = await t.app.request("/overview", {
          headers: { Authorization: `Bearer ${token}` },
        });
        assert.equal(overview.status, 200);
      }
    } finally {
      t.close();
    }
  });

  it("the single token is named 'token', or its name", async () => {
    for (
      const [auth, user] of [[{ token: TOKEN }, "token"], [
        { token: TOKEN, name: "ci" },
        "ci",
      ]] as const
    ) {
      const t = named(auth);
      try {
        const who = await whoSuspends(t.app, t.system, { Authorization: `Bearer ${TOKEN}` });
        assert.deepEqual(who, { status: 200, by: user });
      } finally {
        t.close();
      }
    }
  });

  it("the dashboard login's cookie says whose session it is", async () => {
    const t = named({ tokens: { alice: ALICE, bob: BOB } });
    try {
      const login = await t.app.request(`/dashboard?token=${BOB}`);
      assert.equal(login.status, 302);
      const cookie = login.headers.get("set-cookie")!.split(";")[0];
      assert.equal(cookie, `beamlet_token=${BOB}`);
      assert.deepEqual(await whoSuspends(t.app, t.system, { Cookie: cookie }), {
        status: 200,
        by: "bob",
      });
      const wrong = await t.app.request(`/dashboard?token=${TOKEN}`);
      assert.equal(wrong.status, 401);
    } finally {
      t.close();
    }
  });

  it("a custom middleware may set beamlet.user; without it the user is anonymous", async () => {
    const system = new System({ logger: null });
    const controller = new AbortController();
    try {
      const app = createTelemetryApp(system, {
        auth: {
          middleware: async (c, next) => {
            const key = c.req.header("X-Api-Key");
            if (key === undefined) return c.json({ error: "no key" }, 401);
            if (key !== "anon") c.set("beamlet.user", `key:${key}`);
            return await next();
          },
        },
        mutations: { suspend: true },
        signal: controller.signal,
      });
      assert.deepEqual(await whoSuspends(app, system, { "X-Api-Key": "k1" }), {
        status: 200,
        by: "key:k1",
      });
      assert.deepEqual(await whoSuspends(app, system, { "X-Api-Key": "anon" }), {
        status: 200,
        by: "anonymous",
      });
    } finally {
      controller.abort();
      system.shutdown();
    }
  });

  it("throttles wrong tokens across all names, as for one token", async () => {
    const clock = { now: 0 };
    const system = new System({ logger: null, clock: { now: () => clock.now } });
    const controller = new AbortController();
    try {
      const app = createTelemetryApp(system, {
        auth: { tokens: { alice: ALICE, bob: BOB }, throttle: { maxFailures: 2, windowMs: 1000 } },
        signal: controller.signal,
      });
      const wrong = { Authorization: "Bearer wrong-token-0123456789" };
      assert.equal((await app.request("/overview", { headers: wrong })).status, 401);
      assert.equal((await app.request("/overview", { headers: wrong })).status, 401);
      const spent = await app.request("/overview", {
        headers: { Authorization: `Bearer ${ALICE}` },
      });
      assert.equal(spent.status, 429);
      clock.now = 1000;
      const again = await app.request("/overview", { headers: { Authorization: `Bearer ${BOB}` } });
      assert.equal(again.status, 200);
    } finally {
      controller.abort();
      system.shutdown();
    }
  });

  it("refuses malformed named tokens at creation", () => {
    const system = new System({ logger: null });
    try {
      const bad: unknown[] = [
        { tokens: {} },
        { tokens: [ALICE] },
        { tokens: null },
        { tokens: { alice: "short" } },
        { tokens: { alice: ALICE, bob: ALICE } },
        { tokens: { "has space": ALICE } },
        { tokens: { ["x".repeat(65)]: ALICE } },
        { tokens: { "a/b": ALICE } },
        { tokens: { alice: 42 } },
        { tokens: { alice: ALICE }, token: BOB },
        { tokens: { alice: ALICE }, name: "x" },
        { token: TOKEN, name: "" },
        { token: TOKEN, name: "new\nline" },
        {
          tokens: Object.fromEntries(
            Array.from({ length: 33 }, (_, i) => [`u${i}`, `${ALICE}${i}`]),
          ),
        },
      ];
      for (const auth of bad) {
        assert.throws(
          // deno-lint-ignore no-explicit-any
          () => createTelemetryApp(system, { auth: auth as any }),
          TypeError,
          JSON.stringify(auth),
        );
      }
      assert.equal(system.telemetry.listHandlers().length, 0);
    } finally {
      system.shutdown();
    }
  });
});
