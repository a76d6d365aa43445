/**
 * Per-server call latencies: three summaries per server, at most `max`
 * servers, the least recently answering one evicted first.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MAX_SERVERS, ServerLatencies } from "../../src/observe/_server_latencies.ts";
import { Pid } from "../../src/pid.ts";

const pid = (serial: number) => new Pid(serial);

describe("ServerLatencies", () => {
  it("summarises each server's queued, handling and round trip", () => {
    const servers = new ServerLatencies();
    servers.record(7, 1, 2, 3);
    servers.record(7, 1, 2, 3);
    servers.record(8, 10, 0, 10);
    const seven = servers.of(pid(7));
    assert.deepEqual(seven.queued, { count: 2, p50: 1, p95: 1, p99: 1, max: 1 });
    assert.deepEqual(seven.handling, { count: 2, p50: 2, p95: 2, p99: 2, max: 2 });
    assert.deepEqual(seven.roundTrip, { count: 2, p50: 3, p95: 3, p99: 3, max: 3 });
    assert.equal(servers.of(pid(8)).queued?.max, 10);
    assert.deepEqual(servers.of(pid(9)), { queued: null, handling: null, roundTrip: null });
  });

  it("keeps at most max servers, evicting the least recently used", () => {
    const servers = new ServerLatencies(3);
    for (const serial of [1, 2, 3]) servers.record(serial, serial, 0, serial);
    servers.record(1, 1, 0, 1); // 1 is used again: 2 is now the oldest
    servers.record(4, 4, 0, 4);
    assert.equal(servers.size, 3);
    assert.equal(servers.of(pid(2)).queued, null);
    for (const serial of [1, 3, 4]) {
      assert.notEqual(servers.of(pid(serial)).queued, null, `${serial}`);
    }
    // The evicted server's arrays are reused clean: 5 takes 3's, with nothing of 3's left.
    servers.record(5, 5, 0, 5);
    assert.equal(servers.of(pid(3)).queued, null);
    assert.deepEqual(servers.of(pid(5)).queued, { count: 1, p50: 5, p95: 5, p99: 5, max: 5 });
    assert.equal(servers.of(pid(1)).queued?.count, 2);
  });

  it("defaults to 1024 servers", () => {
    assert.equal(MAX_SERVERS, 1024);
    const servers = new ServerLatencies();
    for (let serial = 1; serial <= 3000; serial++) servers.record(serial, 1, 1, 2);
    assert.equal(servers.size, 1024);
    assert.equal(servers.of(pid(3000 - 1024)).queued, null);
    assert.equal(servers.of(pid(3000 - 1023)).queued?.count, 1);
  });
});
