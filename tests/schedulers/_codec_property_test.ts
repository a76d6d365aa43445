/**
 * Properties of the codec of messages between schedulers: any value made of
 * supported kinds (primitives with -0, NaN and lone surrogates, pids, refs,
 * froms, objects, arrays, Maps, Sets, Dates, RegExps, BigInts, typed
 * arrays, errors) comes back deep-equal, in order, from a byte range at any
 * offset; and a value holding a function, a symbol or an instance of a
 * class without a codec anywhere is refused with an UnencodableError that
 * leaves the writer exactly as it was.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Reader, Writer } from "../../src/schedulers/_codec.ts";
import { UnencodableError } from "../../src/schedulers/errors.ts";
import { From } from "../../src/from.ts";
import { Pid, Ref } from "../../src/pid.ts";

const node = fc.stringMatching(/^[A-Za-z0-9_@-]{1,12}$/);
const pid = fc.tuple(fc.maxSafeNat(), node, fc.integer({ min: 0, max: 1023 })).map(
  ([serial, n, scheduler]) => new Pid(serial, n, scheduler),
);
const ref = fc.tuple(fc.maxSafeNat(), node).map(([serial, n]) => new Ref(serial, n));
const from = fc.tuple(fc.option(pid, { nil: undefined }), fc.maxSafeNat(), node).map(
  ([p, callId, n]) => new From(p, callId, n),
);
/** Object keys: msgpackr renames an own `__proto__` key (its guard against prototype pollution). */
const key = fc.string().filter((k) => k !== "__proto__");
const error = fc.tuple(
  fc.constantFrom("Error", "TypeError", "RangeError", "CustomError"),
  fc.string(),
  fc.option(fc.oneof(fc.string(), fc.integer()), { nil: undefined }),
).map(([name, message, code]) => {
  const e = name === "TypeError"
    ? new TypeError(message)
    : name === "RangeError"
    ? new RangeError(message)
    : new Error(message);
  if (name === "CustomError") e.name = name;
  if (code !== undefined) (e as { code?: unknown }).code = code;
  return e;
});

const leaf = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.string({ unit: "binary" }), // lone surrogates included
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.bigInt(),
  fc.date({ noInvalidDate: true }),
  fc.constantFrom(/a+/g, /^x$/imsu, /[\u0100-\uffff]/y),
  fc.uint8Array(),
  fc.float64Array(),
  fc.int32Array(),
  fc.bigInt64Array(),
  pid,
  ref,
  from,
  error,
);

const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("tree"), { maxLength: 5 }),
    fc.dictionary(key, tie("tree"), { maxKeys: 5, noNullPrototype: true }),
    fc.array(fc.tuple(tie("tree"), tie("tree")), { maxLength: 4 }).map((entries) =>
      new Map(entries)
    ),
    fc.array(tie("tree"), { maxLength: 4 }).map((items) => new Set(items)),
  ),
}));

class Widget {
  size = 1;
}
class MyMap extends Map {}

/** Something that cannot cross schedulers. */
const poison = fc.constantFrom<unknown>(
  () => 1,
  function named() {},
  Symbol("s"),
  new WeakMap(),
  new WeakSet(),
  Promise.resolve(1),
  new Widget(),
  new MyMap(),
  new Number(1),
  new String("boxed"),
);

/** A value holding poison somewhere: at the top, in an array, object, Map, Set or error cause. */
const { poisoned } = fc.letrec((tie) => ({
  poisoned: fc.oneof(
    { depthSize: "small" },
    poison,
    fc.tuple(fc.array(tree, { maxLength: 3 }), tie("poisoned"), fc.nat()).map(
      ([items, bad, at]) => {
        const array: unknown[] = [...items];
        array.splice(at % (array.length + 1), 0, bad);
        return array;
      },
    ),
    fc.tuple(fc.dictionary(key, tree, { maxKeys: 3, noNullPrototype: true }), key, tie("poisoned"))
      .map(
        ([object, k, bad]) => ({ ...object, [k]: bad }),
      ),
    fc.tuple(tree, tie("poisoned"), fc.boolean()).map(([other, bad, asKey]) =>
      asKey ? new Map([[bad, other]]) : new Map([[other, bad]])
    ),
    fc.tuple(fc.array(tree, { maxLength: 3 }), tie("poisoned")).map(([items, bad]) =>
      new Set([...items, bad])
    ),
    tie("poisoned").map((bad) => new Error("wrapped", { cause: bad })),
  ),
}));

/** Prints a value for a failure message (its `toString` may be anything). */
function show(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}

/**
 * Asserts that what came back is what was sent: the same prototypes, every
 * primitive `Object.is`-equal, Map and Set entries in the same order (the
 * codec keeps insertion order; comparing in order also keeps object keys
 * comparable on every runtime's `assert`), errors by their kept fields.
 */
function assertSame(actual: unknown, expected: unknown, path = "value"): void {
  if (Object.is(actual, expected)) return;
  const where = `${path}: ${show(actual)} is not ${show(expected)}`;
  assert.ok(typeof expected === "object" && expected !== null, where);
  assert.ok(typeof actual === "object" && actual !== null, where);
  assert.equal(
    Object.getPrototypeOf(actual),
    Object.getPrototypeOf(expected),
    `${path}: prototype`,
  );
  if (expected instanceof Map) {
    const got = [...(actual as Map<unknown, unknown>)];
    const want = [...expected];
    assert.equal(got.length, want.length, `${path}: size`);
    want.forEach(([k, v], i) => {
      assertSame(got[i][0], k, `${path}[map key ${i}]`);
      assertSame(got[i][1], v, `${path}[map value ${i}]`);
    });
  } else if (expected instanceof Set) {
    const got = [...(actual as Set<unknown>)];
    const want = [...expected];
    assert.equal(got.length, want.length, `${path}: size`);
    want.forEach((v, i) => assertSame(got[i], v, `${path}[set item ${i}]`));
  } else if (expected instanceof Date) {
    assert.ok(Object.is((actual as Date).getTime(), expected.getTime()), where);
  } else if (expected instanceof RegExp) {
    assert.equal(String(actual), String(expected), where);
  } else if (ArrayBuffer.isView(expected)) {
    assertSame([...(actual as unknown as Iterable<unknown>)], [
      ...(expected as unknown as Iterable<unknown>),
    ], path);
  } else if (expected instanceof Error) {
    const got = actual as Error & { code?: unknown };
    assert.equal(got.name, expected.name, `${path}.name`);
    assert.equal(got.message, expected.message, `${path}.message`);
    assert.equal(got.stack, expected.stack, `${path}.stack`);
    assertSame(got.code, (expected as { code?: unknown }).code, `${path}.code`);
  } else {
    const keys = Object.keys(expected);
    assert.deepEqual(Object.keys(actual), keys, `${path}: keys`);
    for (const k of keys) {
      assertSame(
        (actual as Record<string, unknown>)[k],
        (expected as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
    }
  }
}

describe("codec properties", () => {
  it("decode(encode(v)) deep-equals v, values read in order from any offset", () => {
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 4 }), fc.nat(64), (values, offset) => {
        const writer = new Writer(8);
        writer.value("prefix");
        const start = writer.length;
        for (const v of values) writer.value(v);
        const end = writer.length;
        const frame = new Uint8Array(offset + end);
        frame.set(writer.bytes.subarray(0, end), offset);
        const cut = offset % 2; // a view with a byteOffset of its own, half the time
        const reader = new Reader();
        reader.reset(frame.subarray(cut), offset - cut + start, offset - cut + end);
        for (const v of values) assertSame(reader.value(), v);
        assert.equal(reader.done, true);
      }),
      { numRuns: 300 },
    );
  });

  it("a value holding a function, symbol or class instance anywhere is refused, the writer unchanged", () => {
    fc.assert(
      fc.property(tree, poisoned, (before, bad) => {
        const writer = new Writer(8);
        writer.value(before);
        const length = writer.length;
        const bytes = writer.bytes.slice(0, length);
        assert.throws(() => writer.value(bad), UnencodableError);
        assert.equal(writer.length, length);
        assert.deepEqual(writer.bytes.slice(0, length), bytes);
        writer.value(7);
        const reader = new Reader();
        reader.reset(writer.bytes, 0, writer.length);
        assertSame(reader.value(), before);
        assert.equal(reader.value(), 7);
        assert.equal(reader.done, true);
      }),
      { numRuns: 300 },
    );
  });
});
