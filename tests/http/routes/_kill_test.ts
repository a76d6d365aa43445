/**
 * POST /processes/:id/kill: POST only (405 with `Allow: POST` otherwise,
 * OPTIONS included), 403 unless enabled, and only for requests that prove
 * an accepted origin — by `Origin`, else `Sec-Fetch-Site`, else `Referer`,
 * refused when none does; without `publicOrigin` only on a loopback host.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { NEEDS_PUBLIC_ORIGIN } from "../../../src/http/_origin_policy.ts";
import type { Pid } from "../../../src/pid.ts";
import { echo, type Fixture, fixture, json } from "../_fixtures.ts";

/** POSTs the kill of `pid` to `url` (default: the app's own http://localhost) with `headers`. */
function kill(f: Fixture, pid: Pid, headers: Record<string, string>, base = "http://localhost") {
  return f.get(`${base}/processes/${pid.serial}/kill`, { method: "POST", headers });
}

describe("POST /processes/:id/kill", () => {
  it("answers 403 when the mutation is not enabled, and leaves the process alone", async () => {
    const f = fixture();
    try {
      const pid = (await f.system.start(echo))!;
      const response = await kill(f, pid, { Origin: "http://localhost" });
      assert.equal(response.status, 403);
      assert.deepEqual(await json(response), { error: "mutation disabled" });
      assert.equal(f.system.isAlive(pid), true);
    } finally {
      f.close();
    }
  });

  it("the kill route answers 405 with Allow: POST to every other method, OPTIONS included", async () => {
    for (const enabled of [false, true]) {
      const f = fixture({ mutations: { kill: enabled } });
      try {
        const pid = (await f.system.start(echo))!;
        for (const method of ["GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
          const response = await f.get(`/processes/${pid.serial}/kill`, {
            method,
            headers: { Origin: "http://localhost" },
          });
          assert.equal(response.status, 405, `${method} (enabled: ${enabled})`);
          assert.equal(response.headers.get("allow"), "POST", method);
          if (method !== "HEAD") {
            assert.deepEqual(await json(response), { error: "method not allowed" }, method);
          }
        }
        assert.equal(f.system.isAlive(pid), true);
      } finally {
        f.close();
      }
    }
  });

  it("kills with a same-origin POST on a loopback host", async () => {
    const f = fixture({ mutations: { kill: true } });
    try {
      const pid = (await f.system.start(echo))!;
      const exited = f.system.whenExited(pid);
      const response = await kill(f, pid, { Origin: "http://localhost" });
      assert.equal(response.status, 200);
      assert.deepEqual(await json(response), {
        id: String(pid.serial),
        pid: String(pid),
        action: "kill",
        ok: true,
        by: "token",
        killed: true,
      });
      assert.equal(await exited, "killed");
      assert.equal((await kill(f, pid, { Origin: "http://localhost" })).status, 404);
      const malformed = await f.get("/processes/x/kill", {
        method: "POST",
        headers: { Origin: "http://localhost" },
      });
      assert.equal(malformed.status, 400);
    } finally {
      f.close();
    }
  });

  it("refuses a cross-origin POST, and a POST that proves no origin at all", async () => {
    const f = fixture({ mutations: { kill: true } });
    try {
      const pid = (await f.system.start(echo))!;
      const refused: Record<string, string>[] = [
        { Origin: "https://evil.example" },
        { Origin: "http://localhost:8080" },
        { Origin: "null" },
        // Origin decides when present: a same-site Sec-Fetch-Site or Referer does not save it.
        { Origin: "https://evil.example", "Sec-Fetch-Site": "same-origin" },
        { Origin: "https://evil.example", Referer: "http://localhost/dashboard" },
        {},
      ];
      for (const headers of refused) {
        const response = await kill(f, pid, headers);
        assert.equal(response.status, 403, JSON.stringify(headers));
        assert.deepEqual(await json(response), { error: "cross-origin request" });
      }
      assert.equal(f.system.isAlive(pid), true);
    } finally {
      f.close();
    }
  });

  it("a POST without Origin is refused with a cross-site Referer or Sec-Fetch-Site: cross-site", async () => {
    const f = fixture({ mutations: { kill: true } });
    try {
      const pid = (await f.system.start(echo))!;
      const refused: Record<string, string>[] = [
        { "Sec-Fetch-Site": "cross-site" },
        { "Sec-Fetch-Site": "same-site" },
        { "Sec-Fetch-Site": "none" },
        { "Sec-Fetch-Site": "cross-site", Referer: "http://localhost/dashboard" },
        { Referer: "https://evil.example/page" },
        { Referer: "not a url" },
      ];
      for (const headers of refused) {
        const response = await kill(f, pid, headers);
        assert.equal(response.status, 403, JSON.stringify(headers));
      }
      assert.equal(f.system.isAlive(pid), true);
      const bySite = await kill(f, pid, { "Sec-Fetch-Site": "same-origin" });
      assert.equal(bySite.status, 200);
      const other = (await f.system.start(echo))!;
      const byReferer = await kill(f, other, { Referer: "http://localhost/dashboard#/x" });
      assert.equal(byReferer.status, 200);
    } finally {
      f.close();
    }
  });

  it("takes the request's own origin only on a loopback host (no DNS rebinding)", async () => {
    const f = fixture({ mutations: { kill: true } });
    try {
      for (const base of ["http://127.0.0.1:8080", "http://127.3.2.1", "http://[::1]:9000"]) {
        const pid = (await f.system.start(echo))!;
        const response = await kill(f, pid, { Origin: base }, base);
        assert.equal(response.status, 200, base);
      }
      // Host and Origin both the attacker's name, resolving to this machine.
      for (const base of ["http://rebind.evil.example:8080", "http://0.0.0.0", "http://10.0.0.5"]) {
        const pid = (await f.system.start(echo))!;
        const response = await kill(f, pid, { Origin: base }, base);
        assert.equal(response.status, 403, base);
        assert.deepEqual(await json(response), { error: NEEDS_PUBLIC_ORIGIN });
        assert.equal(f.system.isAlive(pid), true);
      }
    } finally {
      f.close();
    }
  });

  it("with publicOrigin, accepts those origins only, whatever the Host", async () => {
    const f = fixture({
      mutations: { kill: true },
      publicOrigin: ["https://ops.example.com", "https://ops2.example.com:8443/"],
    });
    try {
      const behindProxy = "http://10.0.0.5:3000";
      const a = (await f.system.start(echo))!;
      assert.equal(
        (await kill(f, a, { Origin: "https://ops.example.com" }, behindProxy)).status,
        200,
      );
      const b = (await f.system.start(echo))!;
      assert.equal(
        (await kill(f, b, { Origin: "https://OPS2.example.com:8443" }, behindProxy)).status,
        200,
      );
      const c = (await f.system.start(echo))!;
      const refused: [Record<string, string>, string][] = [
        [{ Origin: "http://ops.example.com" }, behindProxy],
        [{ Origin: "http://localhost" }, "http://localhost"], // loopback is no exception now
        [{ Origin: behindProxy }, behindProxy],
        [{ "Sec-Fetch-Site": "same-origin" }, behindProxy], // addressed to an origin not listed
        [{ Referer: "https://evil.example/" }, behindProxy],
      ];
      for (const [headers, base] of refused) {
        const response = await kill(f, c, headers, base);
        assert.equal(response.status, 403, JSON.stringify(headers));
        assert.deepEqual(await json(response), { error: "cross-origin request" });
      }
      assert.equal(
        (await kill(f, c, { Referer: "https://ops.example.com/beamlet/dashboard" }, behindProxy))
          .status,
        200,
      );
      const d = (await f.system.start(echo))!;
      assert.equal(
        (await kill(f, d, { "Sec-Fetch-Site": "same-origin" }, "https://ops.example.com")).status,
        200,
      );
    } finally {
      f.close();
    }
  });
});
