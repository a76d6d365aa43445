/**
 * /processes (sorting, paging from the walker's rankings, how deep they go,
 * validation, no scan per request) and /processes/:id (detail, bad ids,
 * found by serial).
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ProcessTableWalker } from "../../../src/observe/process_table_walker.ts";
import type { Pid } from "../../../src/pid.ts";
import { System } from "../../../src/system.ts";
import { echo, type Fixture, fixture, forbidScans, json } from "../_fixtures.ts";

interface Page {
  total: number;
  offset: number;
  limit: number;
  sort: string;
  order: string;
  ranked: number;
  truncated: boolean;
  snapshotAgeMs: number;
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
      assert.equal(page.ranked, 5);
      assert.equal(page.truncated, false);
      assert.equal(typeof page.snapshotAgeMs, "number");
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

  it("says how deep the ranking goes: a page past it is cut and truncated", async () => {
    const system = new System({ logger: null });
    const walker = new ProcessTableWalker(system, { schedule: "manual", rankDepth: 3 });
    const f = fixture({ processTable: walker }, system);
    try {
      await queued(f, [5, 4, 3, 2, 1]);
      walker.refresh();
      const first = await json<Page>(await f.get("/processes?limit=2"));
      assert.deepEqual([first.total, first.ranked, first.truncated], [5, 3, false]);
      assert.deepEqual(first.items.map((item) => item.messageQueueLength), [5, 4]);
      const second = await json<Page>(await f.get("/processes?limit=2&offset=2"));
      assert.deepEqual([second.ranked, second.truncated], [3, true]);
      assert.deepEqual(second.items.map((item) => item.messageQueueLength), [3]);
      const asc = await json<Page>(await f.get("/processes?limit=3&order=asc"));
      assert.deepEqual(asc.items.map((item) => item.messageQueueLength), [1, 2, 3]);
      const beyond = await json<Page>(await f.get("/processes?offset=3"));
      assert.deepEqual([beyond.items.length, beyond.truncated], [0, true]);
    } finally {
      f.close();
    }
  });

  it("concurrent /processes requests do not each read the process table", async () => {
    const f = fixture({ manualWalker: true });
    try {
      await queued(f, [3, 1, 2]);
      f.refresh();
      forbidScans(f.system, { walker: false });
      let summaries = 0;
      const summary = f.system.processSummary.bind(f.system);
      Object.defineProperty(f.system, "processSummary", {
        value: (target: Parameters<typeof summary>[0]) => (summaries++, summary(target)),
      });
      const sorts = ["messageQueueLength", "reductions", "memoryBytes", "oldestMessageAgeMs"];
      const responses = await Promise.all(
        Array.from(
          { length: 20 },
          (_, i) => f.get(`/processes?sort=${sorts[i % 4]}&order=${i % 2 ? "asc" : "desc"}`),
        ),
      );
      for (const response of responses) assert.equal((await json<Page>(response)).total, 3);
      assert.equal(summaries, 0);
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
  it("finds the process by its serial, without scanning the process table", async () => {
    const f = fixture();
    try {
      for (let i = 0; i < 20; i++) await f.system.start(echo);
      const [pid] = await queued(f, [1]);
      forbidScans(f.system, { walker: false });
      const response = await f.get(`/processes/${pid.serial}`);
      assert.equal(response.status, 200);
      // deno-lint-ignore no-explicit-any
      assert.equal((await json<any>(response)).meta.pid, String(pid));
    } finally {
      f.close();
    }
  });

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
      assert.equal((await f.get("/processes/9007199254740991")).status, 404);
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
