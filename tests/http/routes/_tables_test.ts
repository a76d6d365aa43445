/**
 * /tables: the live ETS-like tables as JSON (named first, then unnamed as
 * `#Table<id>`, owner pids as strings, reads and writes since creation,
 * bounded), behind auth; and /metrics with each named table's size, memory
 * and read and write counters.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { attachTableStats } from "../../../src/tables/_table_stats.ts";
import { Table } from "../../../src/tables/table.ts";
import { System } from "../../../src/system.ts";
import { echo, fixture, json } from "../_fixtures.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

describe("GET /tables", () => {
  it("answers no tables on a system that never made one", async () => {
    const f = fixture();
    try {
      const body = await json<Json>(await f.get("/tables"));
      assert.deepEqual({ ...body, time: 0 }, {
        time: 0,
        total: 0,
        named: 0,
        limit: 200,
        truncated: false,
        items: [],
      });
    } finally {
      f.close();
    }
  });

  it("lists named tables first with their owner, size and counters, unnamed ones after", async () => {
    const f = fixture();
    try {
      const owner = await f.system.start(echo, undefined, { name: "limiter" });
      const anonymous = new Table(f.system, { owner, access: "public" });
      const limits = new Table<[string, number]>(f.system, { owner, name: "rate_limits" });
      const hostile = new Table(f.system, { owner, name: "<script>alert(1)</script>" });
      limits.insert(["alice", 1]);
      limits.insert(["bob", 2]);
      limits.lookup("alice");
      anonymous.insert([1]);
      const response = await f.get("/tables");
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("cache-control"), "no-store");
      const body = await json<Json>(response);
      assert.equal(body.total, 3);
      assert.equal(body.named, 2);
      assert.deepEqual(body.items.map((t: Json) => t.label), [
        "<script>alert(1)</script>",
        "rate_limits",
        `#Table<${anonymous.id}>`,
      ]);
      const item = body.items[1];
      assert.equal(item.id, String(limits.id));
      assert.equal(item.name, "rate_limits");
      assert.equal(item.type, "set");
      assert.equal(item.access, "protected");
      assert.equal(item.owner, String(owner));
      assert.equal(item.ownerId, String(owner.serial));
      assert.equal(item.ownerName, "limiter");
      assert.equal(item.heir, null);
      assert.equal(item.size, 2);
      assert.ok(item.memoryBytes > 0);
      assert.equal(item.reads, 1);
      assert.equal(item.writes, 2);
      assert.equal(body.items[2].name, null);
      assert.equal(body.items[2].access, "public");
      hostile.deleteTable();
      const after = await json<Json>(await f.get("/tables"));
      assert.deepEqual(after.items.map((t: Json) => t.label), [
        "rate_limits",
        `#Table<${anonymous.id}>`,
      ]);
    } finally {
      f.close();
    }
  });

  it("needs auth", async () => {
    const f = fixture();
    try {
      const response = await f.app.request("/tables");
      assert.equal(response.status, 401);
    } finally {
      f.close();
    }
  });
});

describe("GET /metrics for tables", () => {
  it("exposes each named table's size, memory, reads and writes, and 0 once it is gone", async () => {
    let now = 0;
    const system = new System({ logger: null, clock: { now: () => now } });
    const f = fixture({}, system);
    try {
      attachTableStats(system, () => Table.list(system));
      const owner = await system.start(echo);
      const limits = new Table<[string, number]>(system, { owner, name: "rate_limits" });
      new Table(system, { owner }); // unnamed: not a series
      limits.insert(["alice", 1]);
      for (let i = 0; i < 3; i++) limits.lookup("alice");
      const slice = async () => {
        now += 1000;
        system.cast(owner, "tick");
        await system.runUntilIdle();
      };
      await slice();
      const text = await (await f.get("/metrics")).text();
      assert.match(text, /^beamlet_table_stats_size\{table="rate_limits"\} 1$/m);
      assert.match(text, /^beamlet_table_stats_memory_bytes\{table="rate_limits"\} [1-9]\d*$/m);
      assert.match(text, /^beamlet_table_stats_reads_total\{table="rate_limits"\} 3$/m);
      assert.match(text, /^beamlet_table_stats_writes_total\{table="rate_limits"\} 1$/m);
      assert.equal(text.match(/^beamlet_table_stats_size\{/gm)?.length, 1, "named tables only");
      limits.lookup("bob");
      limits.deleteTable();
      await slice();
      const gone = await (await f.get("/metrics")).text();
      assert.match(gone, /^beamlet_table_stats_size\{table="rate_limits"\} 0$/m);
      assert.match(gone, /^beamlet_table_stats_reads_total\{table="rate_limits"\} 4$/m);
    } finally {
      f.close();
    }
  });
});
