/**
 * GET /processes/:id/state: off by default (403, whatever the id), a
 * StatePreview with Cache-Control: no-store when `inspection.state` is on,
 * behind auth, 400/404 for a malformed, unknown or dead process, and the
 * error — never the raw state — when formatStatus throws.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type GenServer, ok } from "../../../src/gen_server.ts";
import type { StatePreview } from "../../../src/introspection/state_preview.ts";
import { echo, fixture, json } from "../_fixtures.ts";

const SECRET = "sk-live-never-over-http";

/** A server that hides its secret, unless told to crash while formatting it. */
const vault: GenServer<{ token: string; calls: number }, "redact" | "throw"> = {
  init: (mode) => ok({ token: SECRET, calls: mode === "throw" ? -1 : 0 }),
  formatStatus(state) {
    if (state.calls < 0) throw new Error("cannot format <this>");
    return { token: "[redacted]", calls: state.calls };
  },
};

describe("GET /processes/:id/state", () => {
  it("answers 403 when state inspection is not enabled, before looking at the id", async () => {
    for (const inspection of [undefined, {}, { state: false }]) {
      const f = fixture(inspection === undefined ? {} : { inspection });
      try {
        const pid = (await f.system.start(vault, "redact"))!;
        for (const id of [String(pid.serial), "123456", "abc"]) {
          const response = await f.get(`/processes/${id}/state`);
          assert.equal(response.status, 403, id);
          assert.equal(response.headers.get("cache-control"), "no-store");
          assert.deepEqual(await json(response), { error: "state inspection disabled" });
        }
      } finally {
        f.close();
      }
    }
  });

  it("answers the StatePreview of what formatStatus shows, not cached", async () => {
    const f = fixture({ inspection: { state: true } });
    try {
      const pid = (await f.system.start(vault, "redact"))!;
      const response = await f.get(`/processes/${pid.serial}/state`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("cache-control"), "no-store");
      const body = await json<StatePreview>(response);
      assert.deepEqual(body, {
        pid: String(pid),
        formatted: true,
        text: '{"token":"[redacted]","calls":0}',
        truncated: false,
        error: null,
      });
      const plain = (await f.system.start(echo))!;
      const raw = await json<StatePreview>(await f.get(`/processes/${plain.serial}/state`));
      assert.deepEqual(raw, {
        pid: String(plain),
        formatted: false,
        text: "0",
        truncated: false,
        error: null,
      });
    } finally {
      f.close();
    }
  });

  it("shows a failing formatStatus's error, never the raw state", async () => {
    const f = fixture({ inspection: { state: true } });
    try {
      const pid = (await f.system.start(vault, "throw"))!;
      const response = await f.get(`/processes/${pid.serial}/state`);
      assert.equal(response.status, 200);
      const text = await response.text();
      assert.ok(!text.includes(SECRET));
      assert.deepEqual(JSON.parse(text), {
        pid: String(pid),
        formatted: true,
        text: "[formatStatus failed]",
        truncated: false,
        error: "Error: cannot format <this>",
      });
    } finally {
      f.close();
    }
  });

  it("bounds a huge state", async () => {
    const f = fixture({ inspection: { state: true } });
    try {
      const rows = Array.from({ length: 200_000 }, (_, i) => ({ i, text: "x".repeat(64) }));
      const pid = (await f.system.start({ init: () => ok(rows) }))!;
      const body = await json<StatePreview>(await f.get(`/processes/${pid.serial}/state`));
      assert.ok(body.text.length <= 4097);
      assert.equal(body.truncated, true);
    } finally {
      f.close();
    }
  });

  it("answers 400 for a malformed id and 404 for an unknown or dead process", async () => {
    const f = fixture({ inspection: { state: true } });
    try {
      const pid = (await f.system.start(echo))!;
      for (const id of ["abc", "0", "-1", "01"]) {
        const response = await f.get(`/processes/${id}/state`);
        assert.equal(response.status, 400, id);
        assert.deepEqual(await json(response), { error: "malformed process id" });
      }
      assert.equal((await f.get("/processes/123456/state")).status, 404);
      f.system.exit(pid, "kill");
      await f.system.whenExited(pid);
      const dead = await f.get(`/processes/${pid.serial}/state`);
      assert.equal(dead.status, 404);
      assert.deepEqual(await json(dead), { error: "no such process" });
    } finally {
      f.close();
    }
  });

  it("needs auth like every route", async () => {
    const f = fixture({ inspection: { state: true } });
    try {
      const pid = (await f.system.start(vault, "redact"))!;
      const response = await f.app.request(`/processes/${pid.serial}/state`);
      assert.equal(response.status, 401);
      assert.ok(!(await response.text()).includes("redacted"));
    } finally {
      f.close();
    }
  });
});
