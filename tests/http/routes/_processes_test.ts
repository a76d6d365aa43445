/**
 * /processes (sorting, paging, validation), /processes/:id (detail, bad
 * ids) and the kill route (403 unless enabled, POST only, same origin).
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Pid } from "../../../src/pid.ts";
import { echo, type Fixture, fixture, json } from "../_fixtures.ts";

interface Page {
  total: number;
  offset: number;
  limit: number;
  sort: string;
  order: string;
  items: {
    id: string;
    pid: string;
    name: string | null;
    status: string;
    messageQueueLength: number;
    reductions: number;
    memoryBytes: number;
    oldestMessageAgeMs: number;
    currentCallback: string | null;
  }[];
}

/** Starts servers whose mailboxes hold `lengths[i]` messages each (suspended, so they stay). */
async function queued(f: Fixture, lengths: number[]): Promise<Pid[]> {
  const pids: Pid[] = [];
  for (const [i, length] of lengths.entries()) {
    const pid = (await f.system.start(echo, undefined, { name: `q${i}` }))!;
    f.system.suspend(pid);
    for (let n = 0; n < length; n++) f.system.cast(pid, n);
    pids.push(pid);
  }
  return pids;
}

describe("GET /processes", () => {
  it("sorts by mailbox length, longest first by default, ties to the older process", async () => {
    const f = fixture();
    try {
      const pids = await queued(f, [3, 7, 0, 7, 1]);
      const page = await json<Page>(await f.get("/processes"));
      assert.equal(page.total, 5);
      assert.equal(page.offset, 0);
      assert.equal(page.limit, 50);
      assert.equal(page.sort, "messageQueueLength");
      assert.equal(page.order, "desc");
      assert.deepEqual(page.items.map((item) => item.messageQueueLength), [7, 7, 3, 1, 0]);
      assert.deepEqual(page.items.map((item) => item.name), ["q1", "q3", "q0", "q4", "q2"]);
      const first = page.items[0];
      assert.equal(first.id, String(pids[1].serial));
      assert.equal(first.pid, String(pids[1]));
      assert.equal(first.status, "suspended");
      assert.equal(typeof first.memoryBytes, "number");
      assert.equal(first.currentCallback, null);

      const asc = await json<Page>(await f.get("/processes?order=asc&sort=messageQueueLength"));
      assert.deepEqual(asc.items.map((item) => item.name), ["q2", "q4", "q0", "q1", "q3"]);
    } finally {
      f.close();
    }
  });

  it("pages with offset and limit", async () => {
    const f = fixture();
    try {
      await queued(f, [5, 4, 3, 2, 1]);
      const page = await json<Page>(await f.get("/processes?offset=1&limit=2"));
      assert.equal(page.total, 5);
      assert.deepEqual(page.items.map((item) => item.messageQueueLength), [4, 3]);
      const past = await json<Page>(await f.get("/processes?offset=10&limit=2"));
      assert.equal(past.total, 5);
      assert.deepEqual(past.items, []);
      const byReductions = await json<Page>(await f.get("/processes?sort=reductions&limit=1"));
      assert.equal(byReductions.items.length, 1);
      assert.equal(byReductions.sort, "reductions");
    } finally {
      f.close();
    }
  });

  it("answers 400 JSON for a bad sort, order, offset or limit", async () => {
    const f = fixture({ limits: { maxPageSize: 20 } });
    try {
      const bad = [
        "sort=state",
        "sort=",
        "order=up",
        "offset=-1",
        "offset=1.5",
        "offset=abc",
        "offset=99999999999999999999",
        "offset=2000000000",
        "limit=0",
        "limit=-5",
        "limit=21",
        "limit=1e3",
        "limit=100000000000",
      ];
      for (const query of bad) {
        const response = await f.get(`/processes?${query}`);
        assert.equal(response.status, 400, query);
        const body = await json<{ error: string }>(response);
        assert.equal(typeof body.error, "string");
        assert.ok(body.error.length < 200);
      }
      assert.equal((await f.get("/processes?limit=20")).status, 200);
      const defaults = await json<Page>(await f.get("/processes"));
      assert.equal(defaults.limit, 20); // min(50, maxPageSize)
    } finally {
      f.close();
    }
  });
});

describe("GET /processes/:id", () => {
  it("answers the grouped info with pids as strings", async () => {
    const f = fixture();
    try {
      const [pid] = await queued(f, [2]);
      const response = await f.get(`/processes/${pid.serial}`);
      assert.equal(response.status, 200);
      // deno-lint-ignore no-explicit-any
      const body = await json<any>(response);
      assert.equal(body.id, String(pid.serial));
      assert.equal(body.meta.pid, String(pid));
      assert.equal(body.meta.name, "q0");
      assert.equal(body.meta.status, "suspended");
      assert.deepEqual(body.signals.links, []);
      assert.equal(body.signals.linksOmitted, 0);
      assert.equal(body.memoryUsed.messageQueueLength, 2);
      assert.equal(body.memoryUsed.mailbox.bound, null); // unbounded: Infinity is not JSON
      assert.equal(typeof body.work.reductions, "number");
    } finally {
      f.close();
    }
  });

  it("answers 400 for a malformed id and 404 for an unknown or dead process", async () => {
    const f = fixture();
    try {
      const pid = (await f.system.start(echo))!;
      for (const id of ["abc", "0", "-1", "1.5", "01", "99999999999999999999", "%00"]) {
        const response = await f.get(`/processes/${id}`);
        assert.equal(response.status, 400, id);
        assert.deepEqual(await json(response), { error: "malformed process id" });
      }
      assert.equal((await f.get("/processes/123456")).status, 404);
      f.system.exit(pid, "kill");
      await f.system.whenExited(pid);
      const dead = await f.get(`/processes/${pid.serial}`);
      assert.equal(dead.status, 404);
      assert.deepEqual(await json(dead), { error: "no such process" });
    } finally {
      f.close();
    }
  });
});

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
