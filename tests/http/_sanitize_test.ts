/** Sanitizing telemetry metadata: JSON-safe, bounded, no object graphs. */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  MAX_ITEMS,
  MAX_KEYS,
  MAX_STRING,
  sanitizeRecord,
  sanitizeValue,
} from "../../src/http/_sanitize.ts";
import { Pid, Ref } from "../../src/pid.ts";

describe("sanitizeRecord", () => {
  it("keeps scalars, stringifies pids and refs, summarizes errors and objects", () => {
    class Session {}
    const out = sanitizeRecord({
      s: "text",
      n: 1.5,
      inf: Infinity,
      b: true,
      nil: null,
      undef: undefined,
      fn: () => 1,
      big: 10n,
      pid: new Pid(12),
      ref: new Ref(3),
      error: new RangeError("too big"),
      object: { secret: "state" },
      session: new Session(),
      list: [1, "a", new Pid(4), { x: 1 }, [1]],
    });
    assert.deepEqual(JSON.parse(JSON.stringify(out)), {
      s: "text",
      n: 1.5,
      inf: "Infinity",
      b: true,
      nil: null,
      big: "10",
      pid: "#PID<0.12.0>",
      ref: "#Reference<0.3>",
      error: { name: "RangeError", message: "too big" },
      object: "[Object]",
      session: "[Session]",
      list: [1, "a", "#PID<0.4.0>", "[Object]", "[Array(1)]"],
    });
  });

  it("bounds strings, keys and arrays, and keeps __proto__ a plain key", () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    assert.equal(Object.keys(sanitizeRecord(many)).length, MAX_KEYS);
    const long = sanitizeValue("x".repeat(10_000)) as string;
    assert.equal(long.length, MAX_STRING);
    const list = sanitizeValue(Array.from({ length: 100 }, (_, i) => i)) as unknown[];
    assert.equal(list.length, MAX_ITEMS + 1);
    assert.equal(list.at(-1), `… ${100 - MAX_ITEMS} more`);
    const proto = sanitizeRecord(JSON.parse('{"__proto__": {"polluted": 1}}'));
    assert.equal(JSON.stringify(proto), '{"__proto__":"[Object]"}');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("never throws, and its output always survives JSON", () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true }), (value) => {
        const out = sanitizeRecord({ value, nested: { value } });
        assert.equal(typeof JSON.stringify(out), "string");
        assert.ok(JSON.stringify(out).length < 64 * 1024);
      }),
    );
    const hostile = new Proxy({}, {
      ownKeys: () => {
        throw new Error("no");
      },
    });
    assert.deepEqual({ ...sanitizeRecord(hostile) }, {});
  });
});
