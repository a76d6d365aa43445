/**
 * POST /processes/:id/kill: 403 unless enabled, POST only, same origin.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { echo, fixture, json } from "../_fixtures.ts";

describe("POST /processes/:id/kill", () => {
  it("answers 403 when the mutation is not enabled, and leaves the process alone", async () => {
    const f = fixture();
    try {
      const pid = (await f.system.start(echo))!;
      for (const method of ["POST", "GET", "DELETE"]) {
        const response = await f.get(`/processes/${pid.serial}/kill`, { method });
        assert.equal(response.status, 403, method);
        assert.deepEqual(await json(response), { error: "mutation disabled" });
      }
      assert.equal(f.system.isAlive(pid), true);
    } finally {
      f.close();
    }
  });

  it("kills with POST when enabled; GET and cross-origin requests get 403", async () => {
    const f = fixture({ mutations: { kill: true } });
    try {
      const pid = (await f.system.start(echo))!;
      const path = `/processes/${pid.serial}/kill`;
      assert.equal((await f.get(path)).status, 403);
      const crossOrigin = await f.get(path, {
        method: "POST",
        headers: { Origin: "https://evil.example" },
      });
      assert.equal(crossOrigin.status, 403);
      assert.deepEqual(await json(crossOrigin), { error: "cross-origin request" });
      assert.equal(f.system.isAlive(pid), true);

      const exited = f.system.whenExited(pid);
      const response = await f.get(path, {
        method: "POST",
        headers: { Origin: "http://localhost" },
      });
      assert.equal(response.status, 200);
      assert.deepEqual(await json(response), {
        id: String(pid.serial),
        pid: String(pid),
        killed: true,
      });
      assert.equal(await exited, "killed");
      assert.equal((await f.get(path, { method: "POST" })).status, 404);
      assert.equal((await f.get("/processes/x/kill", { method: "POST" })).status, 400);
    } finally {
      f.close();
    }
  });
});
