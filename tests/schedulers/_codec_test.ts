/**
 * The codec of messages between schedulers: every supported kind of value
 * comes back equal (pids, refs and froms as instances, nested ones too,
 * errors as their class), several values read back in order from any byte
 * range (an offset subarray, shared memory) without aliasing it, and a value
 * that cannot cross is refused with an UnencodableError that names where it
 * is — the writer left exactly as it was.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Reader, Writer } from "../../src/schedulers/_codec.ts";
import { UndecodableError, UnencodableError } from "../../src/schedulers/errors.ts";
import { From } from "../../src/from.ts";
import { Pid, Ref } from "../../src/pid.ts";
import {
  CallTimeoutError,
  ExitError,
  NoProcError,
  OverloadedError,
  SystemLimitError,
} from "../../src/errors.ts";

/** Encodes `values` in one writer and reads them back with one reader. */
function roundTrip(...values: unknown[]): unknown[] {
  const writer = new Writer(16);
  for (const value of values) writer.value(value);
  const reader = new Reader();
  reader.reset(writer.bytes, 0, writer.length);
  const out = values.map(() => reader.value());
  assert.equal(reader.done, true);
  return out;
}

function back<T>(value: T): T {
  return roundTrip(value)[0] as T;
}

const pid = new Pid(42, "n1", 3);

describe("Writer.value / Reader.value: the hand-written kinds", () => {
  it("round-trips undefined, null and booleans", () => {
    assert.deepEqual(roundTrip(undefined, null, true, false), [undefined, null, true, false]);
  });

  it("round-trips numbers: int32 bounds, -0, NaN, infinities, fractions, big integers", () => {
    const numbers = [
      0,
      -0,
      1,
      -1,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 31,
      -(2 ** 31) - 1,
      2 ** 53 - 1,
      1.5,
      -1e-300,
      Number.MIN_VALUE,
      Number.MAX_VALUE,
      NaN,
      Infinity,
      -Infinity,
    ];
    const out = roundTrip(...numbers);
    numbers.forEach((n, i) => assert.ok(Object.is(out[i], n), `${n} came back as ${out[i]}`));
  });

  it("writes an int32 in 5 bytes and another number in 9", () => {
    const writer = new Writer();
    writer.value(123456);
    assert.equal(writer.length, 5);
    writer.value(0.5);
    assert.equal(writer.length, 14);
    writer.value(-0);
    assert.equal(writer.length, 23);
  });

  it("round-trips strings: empty, ASCII, UTF-8, emoji, long, lone surrogates", () => {
    const strings = [
      "",
      "add",
      "x".repeat(32),
      "x".repeat(33),
      "y".repeat(5000),
      "héllo wörld",
      "日本語のテキスト".repeat(20),
      "🎉 party 🎉",
      "a\uD800b",
      "\uDC00",
      "tail\uD83D",
      "z".repeat(100) + "\uDFFF",
    ];
    assert.deepEqual(roundTrip(...strings), strings);
  });

  it("round-trips pids, refs and froms as instances equal to the originals", () => {
    const ref = new Ref(9, "n2");
    const from = new From(pid, 17, "n1");
    const anonymous = new From(undefined, 18, "n3");
    const [p, r, f, a] = roundTrip(pid, ref, from, anonymous) as [Pid, Ref, From, From];
    assert.ok(p instanceof Pid && p.equals(pid));
    assert.equal(p.scheduler, 3);
    assert.ok(r instanceof Ref && r.equals(ref));
    assert.ok(f instanceof From && f.pid instanceof Pid && f.pid.equals(pid));
    assert.deepEqual(f, from);
    assert.ok(a instanceof From);
    assert.deepEqual(a, anonymous);
  });

  it("reads the same node id of many pids as one string", () => {
    const pids = Array.from({ length: 5 }, (_, i) => new Pid(i, "node-a", 0));
    const out = roundTrip(...pids) as Pid[];
    out.forEach((p, i) => assert.ok(p.equals(pids[i])));
  });
});

describe("Writer.value / Reader.value: packed values", () => {
  it("round-trips objects, arrays, Map, Set, Date, RegExp, BigInt, typed arrays", () => {
    const value = {
      op: "add",
      n: 1,
      list: [1, "two", [3], { four: 4 }, null, undefined],
      map: new Map<unknown, unknown>([["k", 1], [2, { v: [1] }], [{ o: 1 }, "object key"]]),
      set: new Set([1, "a", { b: 2 }]),
      date: new Date(1_700_000_000_123),
      old: new Date(-5_000_000_000_000),
      regexp: /a+b/gi,
      big: 10n ** 30n,
      small: -7n,
      bytes: new Uint8Array([1, 2, 3]),
      floats: new Float64Array([1.5, NaN, -0]),
      words: new Int32Array([-1, 2]),
      bigs: new BigInt64Array([1n, -2n]),
      buffer: new Uint8Array([9, 8]).buffer,
      view: new DataView(new Uint8Array([7]).buffer),
      empty: {},
      nested: { deep: { deeper: { deepest: ["end"] } } },
    };
    assert.deepStrictEqual(back(value), value);
  });

  it("round-trips a view of part of a buffer as just that part", () => {
    const whole = new Uint8Array([0, 1, 2, 3, 4, 5]);
    assert.deepStrictEqual(back({ part: whole.subarray(2, 4) }), { part: new Uint8Array([2, 3]) });
  });

  it("round-trips -0 and lone surrogates nested in a packed value", () => {
    const value = { z: -0, list: [-0, 1], s: "a\uD800", map: new Map([["k", "\uDC00"]]) };
    const out = back(value);
    assert.ok(Object.is(out.z, -0) && Object.is(out.list[0], -0));
    assert.equal(out.s, "a\uD800");
    assert.equal(out.map.get("k"), "\uDC00");
    assert.deepStrictEqual(out, value);
  });

  it("round-trips an invalid Date", () => {
    const out = back({ when: new Date(NaN) });
    assert.ok(out.when instanceof Date && Number.isNaN(out.when.getTime()));
  });

  it("keeps nested pids, refs and froms instances, in objects, arrays, Maps and Sets", () => {
    const ref = new Ref(5, "n1");
    const from = new From(pid, 3, "n1");
    const value = {
      from: pid,
      list: [pid, ref, from],
      map: new Map<unknown, unknown>([[pid, ref], ["from", from]]),
      set: new Set([ref]),
    };
    const out = back(value);
    assert.ok(out.from instanceof Pid && out.from.equals(pid));
    assert.equal(out.from.scheduler, 3);
    assert.ok(out.list[0] instanceof Pid && out.list[1] instanceof Ref);
    assert.ok(out.list[2] instanceof From && out.list[2].pid instanceof Pid);
    const [key] = out.map.keys() as Iterable<Pid>;
    assert.ok(key instanceof Pid && key.equals(pid));
    assert.ok(out.map.get(key) instanceof Ref);
    assert.ok([...out.set][0] instanceof Ref);
    assert.deepStrictEqual(out, value);
  });

  it("keeps cycles and shared references", () => {
    const shared = { s: 1 };
    const cyclic: { name: string; self?: unknown; shared: unknown; again: unknown } = {
      name: "c",
      shared,
      again: shared,
    };
    cyclic.self = cyclic;
    const list: unknown[] = [1];
    list.push(list);
    const map = new Map<string, unknown>();
    map.set("me", map);
    const out = back({ cyclic, list, map });
    assert.equal(out.cyclic.self, out.cyclic);
    assert.equal(out.cyclic.shared, out.cyclic.again);
    assert.equal(out.list[1], out.list);
    assert.equal(out.map.get("me"), out.map);
  });

  it("reads a pid in two places as two equal pids (a plain array) or one (packed)", () => {
    const plain = back([pid, pid]);
    assert.ok(plain[0] instanceof Pid && plain[0].equals(pid) && plain[1].equals(pid));
    const packed = back([pid, pid, new Set([1])]);
    assert.equal(packed[0], packed[1]);
    assert.ok(packed[0] instanceof Pid && packed[0].equals(pid));
  });

  it("packs plain trees too big or too deep for the hand-written path", () => {
    const long = Array.from({ length: 5000 }, (_, i) => i);
    let deep: unknown = "bottom";
    for (let i = 0; i < 100; i++) deep = { down: [deep] };
    const sparse: unknown[] = [];
    sparse[10_000] = 1;
    const out = back({ long, deep, sparse });
    assert.deepStrictEqual(out.long, long);
    assert.deepStrictEqual(out.deep, deep);
    assert.equal(out.sparse.length, 10_001);
    assert.equal(out.sparse[10_000], 1);
  });

  it("keeps an own __proto__ key as a key, without touching the prototype", () => {
    const value = JSON.parse('{"a": 1, "__proto__": {"polluted": true}}');
    const out = back(value);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.keys(out), ["a", "__proto__"]);
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(out, "__proto__")?.value, {
      polluted: true,
    });
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });

  it("writes a message of plain data by hand: no msgpackr tag", () => {
    const writer = new Writer();
    writer.value({ op: "add", n: 1, from: pid, list: [1, "x", null, { deep: true }] });
    assert.equal(writer.bytes[0], 13); // T_OBJECT
    writer.reset();
    writer.value({ at: new Date(0) });
    assert.equal(writer.bytes[0], 11); // T_PACKED
  });

  it("packs a subclass of Pid as a Pid", () => {
    class TaggedPid extends Pid {}
    const out = back(new TaggedPid(1, "n1", 0));
    assert.ok(out instanceof Pid && out.equals(new Pid(1, "n1", 0)));
  });

  it("round-trips many objects of different shapes (more than msgpackr's record ids)", () => {
    const value = Array.from({ length: 200 }, (_, i) => ({ [`k${i}`]: i, [`j${i % 7}`]: [i] }));
    assert.deepStrictEqual(back(value), value);
  });

  it("round-trips an object with many keys and a ~1 MB string", () => {
    const wide = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`key${i}`, i]));
    const long = "é".repeat(500_000);
    assert.deepStrictEqual(back({ wide, long }), { wide, long });
  });
});

describe("errors", () => {
  it("revives beamlet errors that have fromJSON as their class", () => {
    const noProc = new NoProcError("cache", { pid });
    const timeout = new CallTimeoutError("cache", "get", 50);
    const exit = new ExitError("#PID<n1.3.0>", "killed");
    const overloaded = new OverloadedError("cache", "shed");
    const [a, b, c, d] = roundTrip(noProc, timeout, exit, overloaded) as [
      NoProcError,
      CallTimeoutError,
      ExitError,
      OverloadedError,
    ];
    assert.ok(a instanceof NoProcError);
    assert.equal(a.target, "cache");
    assert.ok(a.pid instanceof Pid && a.pid.equals(pid));
    assert.equal(a.code, "noproc");
    assert.equal(a.message, noProc.message);
    assert.equal(a.stack, noProc.stack);
    assert.ok(b instanceof CallTimeoutError);
    assert.equal(b.timeout, 50);
    assert.equal(b.request, undefined); // its toJSON leaves the request behind
    assert.ok(c instanceof ExitError);
    assert.equal(c.reason, "killed");
    assert.equal(c.message, exit.message);
    assert.ok(d instanceof OverloadedError);
    assert.equal(d.outcome, "shed");
  });

  it("keeps name, message, code, stack and cause of other errors", () => {
    const limit = new SystemLimitError("timers", "the timer table is full");
    const custom = Object.assign(new Error("disk full", { cause: new RangeError("inner") }), {
      code: "ENOSPC",
    });
    custom.name = "DiskError";
    const typed = new TypeError("bad type");
    const [l, c, t] = roundTrip(limit, custom, typed) as Error[];
    assert.ok(l instanceof Error);
    assert.equal(l.name, "SystemLimitError");
    assert.equal(l.message, "the timer table is full");
    assert.equal((l as { code?: unknown }).code, "system_limit");
    assert.equal(l.stack, limit.stack);
    assert.equal(c.name, "DiskError");
    assert.equal(c.message, "disk full");
    assert.equal((c as { code?: unknown }).code, "ENOSPC");
    assert.equal(c.stack, custom.stack);
    assert.ok(c.cause instanceof RangeError);
    assert.equal((c.cause as Error).message, "inner");
    assert.ok(t instanceof TypeError);
    assert.equal(t.message, "bad type");
    assert.equal(Object.hasOwn(t, "cause"), false);
  });

  it("revives errors nested in a packed value", () => {
    const out = back({ reason: new NoProcError("x"), list: [new RangeError("r")] });
    assert.ok(out.reason instanceof NoProcError);
    assert.ok(out.list[0] instanceof RangeError);
  });

  it("drops the reference of a cycle through an error, and keeps the error", () => {
    const looped = new Error("loop");
    (looped as { cause?: unknown }).cause = { again: looped, n: -0 };
    const shared = new TypeError("shared");
    const out = back({ looped, twice: [shared, shared] });
    assert.ok(out.looped instanceof Error);
    assert.equal(out.looped.message, "loop");
    assert.equal(out.looped.stack, looped.stack);
    assert.deepStrictEqual(out.looped.cause, { again: undefined, n: -0 });
    assert.ok(out.twice[0] instanceof TypeError);
    assert.equal(out.twice[0], out.twice[1]);
  });
});

describe("several values, raw fields and byte ranges", () => {
  it("reads values and raw fields back in the order they were written", () => {
    const writer = new Writer(8);
    writer.u8(7);
    writer.u32(0xfffffffe);
    writer.f64(-2.5);
    writer.str("héllo");
    writer.value({ a: 1 });
    writer.str("");
    writer.value(pid);
    writer.u32(0);
    const reader = new Reader();
    reader.reset(writer.bytes, 0, writer.length);
    assert.equal(reader.u8(), 7);
    assert.equal(reader.u32(), 0xfffffffe);
    assert.equal(reader.f64(), -2.5);
    assert.equal(reader.str(), "héllo");
    assert.deepEqual(reader.value(), { a: 1 });
    assert.equal(reader.str(), "");
    assert.ok((reader.value() as Pid).equals(pid));
    assert.equal(reader.done, false);
    assert.equal(reader.u32(), 0);
    assert.equal(reader.done, true);
  });

  it("reads over an offset subarray, and only its range", () => {
    const writer = new Writer();
    writer.value("skip me");
    const start = writer.length;
    writer.value(1);
    writer.value("two");
    const end = writer.length;
    writer.value("after");
    const frame = new Uint8Array(writer.length + 16);
    frame.set(writer.bytes.subarray(0, writer.length), 16);
    const view = frame.subarray(3); // byteOffset 3: the range starts at 13 of the view
    const reader = new Reader();
    reader.reset(view, 13 + start, 13 + end);
    assert.equal(reader.value(), 1);
    assert.equal(reader.value(), "two");
    assert.equal(reader.done, true);
    assert.throws(() => reader.value(), UndecodableError);
  });

  it("reads from shared memory, and what it returns does not alias it", () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const writer = new Writer();
    const payload = { bytes, text: "é".repeat(40), list: [1] };
    writer.value(payload);
    writer.value("short");
    writer.value("long ".repeat(20));
    const shared = new Uint8Array(new SharedArrayBuffer(writer.length + 8));
    shared.set(writer.bytes.subarray(0, writer.length), 8);
    const reader = new Reader();
    reader.reset(shared, 8, 8 + writer.length);
    const out = reader.value() as typeof payload;
    const short = reader.value();
    const long = reader.value();
    shared.fill(0);
    assert.deepStrictEqual(out, payload);
    assert.equal(out.bytes.buffer instanceof SharedArrayBuffer, false);
    assert.equal(short, "short");
    assert.equal(long, "long ".repeat(20));
  });

  it("grows its buffer by doubling and keeps what it wrote", () => {
    const writer = new Writer(16);
    const values = Array.from({ length: 500 }, (_, i) => (i % 3 ? `value ${i}` : { i }));
    for (const v of values) writer.value(v);
    assert.ok(writer.bytes.length >= writer.length);
    assert.equal(writer.bytes.length & (writer.bytes.length - 1), 0);
    const reader = new Reader();
    reader.reset(writer.bytes, 0, writer.length);
    for (const v of values) assert.deepEqual(reader.value(), v);
  });

  it("reset empties the writer", () => {
    const writer = new Writer();
    writer.value("x");
    writer.reset();
    assert.equal(writer.length, 0);
    writer.value(5);
    const reader = new Reader();
    reader.reset(writer.bytes, 0, writer.length);
    assert.equal(reader.value(), 5);
  });

  it("refuses a range outside the view", () => {
    const reader = new Reader();
    assert.throws(() => reader.reset(new Uint8Array(4), 2, 5), RangeError);
    assert.throws(() => reader.reset(new Uint8Array(4), 3, 2), RangeError);
  });
});

describe("unencodable values", () => {
  class Widget {
    size = 1;
  }
  class MyMap extends Map {}

  const cases: [unknown, string, string][] = [
    [() => 1, "payload", "a function"],
    [Symbol("s"), "payload", "a symbol"],
    [{ handler: () => 1 }, "payload.handler", "a function"],
    [[1, [2, Symbol("deep")]], "payload[1][1]", "a symbol"],
    [{ "not an id": new Widget() }, 'payload["not an id"]', "an instance of Widget"],
    [{ w: new WeakMap() }, "payload.w", "an instance of WeakMap"],
    [{ p: Promise.resolve(1) }, "payload.p", "an instance of Promise"],
    [new Map([["k", { f: () => 1 }]]), "payload[map value 0].f", "a function"],
    [new Map([[() => 1, 1]]), "payload[map key 0]", "a function"],
    [new Set([1, new Widget()]), "payload[set item 1]", "an instance of Widget"],
    [new Error("e", { cause: { f: () => 1 } }), "payload.cause.f", "a function"],
    [{ boxed: new Number(1) }, "payload.boxed", "an instance of Number"],
    [{ sub: new MyMap() }, "payload.sub", "an instance of MyMap"],
    [{ toJSON: () => "json" }, "payload.toJSON", "a function"],
    [new Widget(), "payload", "an instance of Widget"],
  ];

  for (const [value, path, what] of cases) {
    it(`refuses ${path}: ${what}, leaving the writer as it was`, () => {
      const writer = new Writer(16);
      writer.value("before");
      const length = writer.length;
      const bytes = writer.bytes.slice(0, length);
      assert.throws(() => writer.value(value), (error: unknown) => {
        assert.ok(error instanceof UnencodableError);
        assert.ok(error instanceof TypeError);
        assert.equal(error.code, "unencodable");
        assert.equal(error.path, path);
        assert.equal(error.what, what);
        assert.equal(error.message, `${path}: ${what} cannot cross schedulers`);
        return true;
      });
      assert.equal(writer.length, length);
      assert.deepEqual(writer.bytes.slice(0, length), bytes);
      writer.value("after");
      const reader = new Reader();
      reader.reset(writer.bytes, 0, writer.length);
      assert.equal(reader.value(), "before");
      assert.equal(reader.value(), "after");
      assert.equal(reader.done, true);
    });
  }

  it("names the value with the path it is given", () => {
    const writer = new Writer();
    assert.throws(() => writer.value({ f: () => 1 }, "reply"), /^UnencodableError: reply\.f: /);
  });

  it("refuses a value whose getter throws, naming the cause", () => {
    const writer = new Writer();
    const value = {
      get broken(): never {
        throw new Error("nope");
      },
    };
    assert.throws(() => writer.value(value), (error: unknown) => {
      assert.ok(error instanceof UnencodableError);
      assert.ok(error.cause instanceof Error);
      return true;
    });
    assert.equal(writer.length, 0);
  });

  it("refuses a Proxy whose traps throw, naming where, with nothing written", () => {
    const writer = new Writer();
    writer.value(1);
    const hostile = new Proxy({}, {
      get() {
        throw new Error("trap");
      },
      ownKeys() {
        throw new Error("trap");
      },
    });
    for (const value of [hostile, { nested: [hostile] }]) {
      assert.throws(() => writer.value(value, "request"), (error: unknown) => {
        assert.ok(error instanceof UnencodableError, String(error));
        assert.match(error.message, /^request/);
        return true;
      });
      assert.equal(writer.length, 5);
    }
  });
});

describe("undecodable bytes", () => {
  it("refuses an unknown tag and a truncated value", () => {
    const reader = new Reader();
    reader.reset(new Uint8Array([200]), 0, 1);
    assert.throws(() => reader.value(), UndecodableError);
    const writer = new Writer();
    writer.value("a string");
    reader.reset(writer.bytes, 0, writer.length - 1);
    assert.throws(() => reader.value(), UndecodableError);
    reader.reset(writer.bytes, 0, 3);
    assert.throws(() => reader.u32(), UndecodableError);
  });

  it("refuses packed bytes that do not unpack", () => {
    const writer = new Writer();
    writer.value({ a: 1 });
    writer.bytes[5] = 0xc1; // never used by msgpack
    const reader = new Reader();
    reader.reset(writer.bytes, 0, writer.length);
    assert.throws(() => reader.value(), UndecodableError);
  });
});
