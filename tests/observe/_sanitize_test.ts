/**
 * Sanitizing telemetry metadata: JSON-safe, bounded, no object graphs, no
 * stack traces and no source paths.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  MAX_ITEMS,
  MAX_KEYS,
  MAX_STRING,
  sanitizeRecord,
  sanitizeValue,
  scrubText,
} from "../../src/observe/_sanitize.ts";
import { Pid, Ref } from "../../src/pid.ts";

describe("scrubText", () => {
  it("cuts a stack trace and hides source paths", () => {
    const error = new Error("boom");
    const v8 = `Error: boom\n    at handleCall (file:///home/me/app/server.ts:12:7)\n    at run`;
    assert.equal(scrubText(v8), "Error: boom");
    assert.equal(scrubText(String(error.stack)).includes("\n"), false);
    assert.equal(
      scrubText("handleCall@file:///srv/app.js:3:9\nrun@file:///srv/x.js:1:1"),
      "handleCall@[path]",
    );
    assert.equal(scrubText("Error: x\nrun@file:///srv/app.js:3:9"), "Error: x");
    assert.equal(
      scrubText("failed in /home/me/app/src/server.ts:12:7 while saving"),
      "failed in [path] while saving",
    );
    assert.equal(scrubText("see C:\\Users\\me\\app.ts:3 now"), "see [path] now");
    assert.equal(
      scrubText("module file:///home/me/app/mod.ts not found"),
      "module [path] not found",
    );
    assert.equal(scrubText("GET /processes/12 took 3 ms"), "GET /processes/12 took 3 ms");
    assert.ok(scrubText("x".repeat(1_000_000)).length <= MAX_STRING);
  });
});

describe("sanitizeRecord", () => {
  it("drops stack and stacktrace fields, and keeps an error to its name and message", () => {
    const error = new Error("boom at /srv/app/server.ts:1:2");
    const out = sanitizeRecord({
      reason: error,
      stacktrace: error.stack,
      stack: error.stack,
      Stack_Trace: "at x",
      kind: "handleCall",
    });
    assert.deepEqual(Object.keys(out).sort(), ["kind", "reason"]);
    assert.deepEqual(out.reason, { name: "Error", message: "boom at [path]" });
    assert.equal(JSON.stringify(out).includes("file://"), false);
  });

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
