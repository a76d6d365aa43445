/**
 * The `cluster` option is checked at `new System`: a TypeError or
 * RangeError naming the field for each bad value (a hostile options object
 * included), the defaults otherwise; a clustered system with several
 * schedulers is refused. Nothing connects here.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { System } from "../../mod.ts";
import { clusterSettings } from "../../src/cluster/_cluster_settings.ts";

describe("cluster settings", () => {
  it("has defaults", () => {
    const { settings, connection } = clusterSettings({ name: "shop" });
    assert.deepEqual(settings, {
      name: "shop",
      servers: ["127.0.0.1:4222"],
      heartbeatMs: 250,
      downAfterMs: 1500,
      connectTimeoutMs: 2000,
    });
    assert.equal(connection, undefined);
    assert.deepEqual(
      clusterSettings({ name: "a-b_1", servers: ["nats://h:1", "h:2"], heartbeatMs: 100 }).settings
        .servers,
      ["nats://h:1", "h:2"],
    );
  });

  it("refuses each bad field by name", () => {
    const bad: [unknown, ErrorConstructor, RegExp][] = [
      [null, TypeError, /cluster must be an object/],
      ["shop", TypeError, /cluster must be an object/],
      [{}, TypeError, /cluster\.name/],
      [{ name: "a.b" }, TypeError, /cluster\.name/],
      [{ name: "x".repeat(65) }, TypeError, /cluster\.name/],
      [{ name: "s", servers: [] }, TypeError, /cluster\.servers/],
      [{ name: "s", servers: ["a b"] }, TypeError, /cluster\.servers/],
      [{ name: "s", servers: 4222 }, TypeError, /cluster\.servers/],
      [{ name: "s", connection: {} }, TypeError, /cluster\.connection/],
      [{ name: "s", heartbeatMs: 0 }, RangeError, /cluster\.heartbeatMs/],
      [{ name: "s", heartbeatMs: 1.5 }, RangeError, /cluster\.heartbeatMs/],
      [{ name: "s", downAfterMs: -1 }, RangeError, /cluster\.downAfterMs/],
      [{ name: "s", heartbeatMs: 100, downAfterMs: 200 }, RangeError, /more than twice/],
      [{ name: "s", connectTimeoutMs: "1s" }, RangeError, /cluster\.connectTimeoutMs/],
    ];
    for (const [options, Type, message] of bad) {
      assert.throws(() => clusterSettings(options), (error: unknown) => {
        assert.ok(error instanceof Type, `${JSON.stringify(options)}: ${error}`);
        assert.match((error as Error).message, message);
        return true;
      });
    }
  });

  it("refuses a hostile options object with a TypeError naming it", () => {
    const hostile = new Proxy({}, {
      get() {
        throw new Error("boom");
      },
    });
    assert.throws(() => clusterSettings(hostile), /System: cluster could not be read/);
  });

  it("is checked at new System, and a clustered system runs one scheduler", () => {
    assert.throws(() => new System({ cluster: { name: "" } }), TypeError);
    assert.throws(
      () => new System({ schedulers: 2, cluster: { name: "shop" }, logger: null }),
      /runs one scheduler/,
    );
  });
});
