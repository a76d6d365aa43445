/**
 * persistentTerm: get (with and without a default), put, erase, info,
 * version, change listeners (ordered, isolated, re-entrant), typed keys,
 * snapshots, bad input that leaves the store unchanged — and a property:
 * random put/erase/get sequences agree with a Map model.
 *
 * The store is global to the realm, so every test uses keys under its own
 * prefix and erases them afterwards.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  persistentTerm,
  type PersistentTermChange,
  PersistentTermKeyError,
  PersistentTermNotFoundError,
  PersistentTermValueError,
} from "../../src/persistent_term/mod.ts";

let prefixes = 0;
/** A fresh key prefix; `clean` erases every key under it. */
function scope(): { k: (name: string) => string; clean: () => void } {
  const prefix = `test:pt:${++prefixes}:`;
  return {
    k: (name) => prefix + name,
    clean: () => {
      for (const key of Object.keys(persistentTerm.snapshot())) {
        if (key.startsWith(prefix)) persistentTerm.erase(key);
      }
    },
  };
}

/** Runs `body` with its own scope, cleaning up even when it fails. */
function scoped(body: (k: (name: string) => string) => void): () => void {
  return () => {
    const { k, clean } = scope();
    try {
      body(k);
    } finally {
      clean();
    }
  };
}

function changes(): { seen: PersistentTermChange[]; stop: () => void } {
  const seen: PersistentTermChange[] = [];
  return { seen, stop: persistentTerm.onChange((change) => seen.push(change)) };
}

describe("persistentTerm: put and get", () => {
  it(
    "returns the stored value itself, not a copy, and does not freeze it",
    scoped((k) => {
      const config = { limits: [1, 2, 3] };
      persistentTerm.put(k("config"), config);
      assert.equal(persistentTerm.get(k("config")), config);
      assert.equal(persistentTerm.get<typeof config>(k("config")).limits, config.limits);
      assert.equal(Object.isFrozen(config), false);
    }),
  );

  it(
    "replaces a term and bumps the version once per change",
    scoped((k) => {
      const before = persistentTerm.version;
      persistentTerm.put(k("a"), 1);
      persistentTerm.put(k("a"), 2);
      assert.equal(persistentTerm.get(k("a")), 2);
      assert.equal(persistentTerm.version, before + 2);
    }),
  );

  it(
    "putting the very value stored changes nothing (Object.is), as in Erlang",
    scoped((k) => {
      const value = { big: true };
      persistentTerm.put(k("same"), value);
      persistentTerm.put(k("nan"), NaN);
      persistentTerm.put(k("zero"), 0);
      const { seen, stop } = changes();
      const before = persistentTerm.version;
      const snapshot = persistentTerm.snapshot();
      persistentTerm.put(k("same"), value);
      persistentTerm.put(k("nan"), NaN);
      assert.equal(persistentTerm.version, before);
      assert.equal(persistentTerm.snapshot(), snapshot);
      persistentTerm.put(k("same"), { big: true }); // equal, not identical: a change
      persistentTerm.put(k("zero"), -0); // Object.is(0, -0) is false
      stop();
      assert.equal(persistentTerm.version, before + 2);
      assert.deepEqual(seen.map((c) => c.key), [k("same"), k("zero")]);
      assert.ok(Object.is(persistentTerm.get(k("zero")), -0));
    }),
  );

  it(
    "stores falsy values and null, and returns them rather than a default",
    scoped((k) => {
      const values = [0, "", false, null, NaN, 0n];
      values.forEach((value, i) => persistentTerm.put(k(`v${i}`), value));
      values.forEach((value, i) => {
        assert.ok(Object.is(persistentTerm.get(k(`v${i}`)), value));
        assert.ok(Object.is(persistentTerm.get(k(`v${i}`), "default"), value));
      });
    }),
  );

  it(
    "throws PersistentTermNotFoundError (code badarg) for a missing key without a default",
    scoped((k) => {
      assert.throws(
        () => persistentTerm.get(k("missing")),
        (error) =>
          error instanceof PersistentTermNotFoundError && error.key === k("missing") &&
          error.code === "badarg" && error.name === "PersistentTermNotFoundError" &&
          error.message.includes(k("missing")),
      );
    }),
  );

  it(
    "returns the default for a missing key, even an explicit undefined",
    scoped((k) => {
      assert.equal(persistentTerm.get(k("missing"), 42), 42);
      assert.equal(persistentTerm.get(k("missing"), null), null);
      assert.equal(persistentTerm.get(k("missing"), undefined), undefined);
      const typed: number = persistentTerm.get(k("missing"), 7);
      assert.equal(typed, 7);
    }),
  );

  it(
    "keys are plain strings: inherited names, __proto__ and the empty string are ordinary keys",
    scoped((k) => {
      for (const name of ["toString", "constructor", "hasOwnProperty", "__proto__"]) {
        assert.throws(() => persistentTerm.get(name), PersistentTermNotFoundError);
        assert.equal(persistentTerm.get(name, "none"), "none");
      }
      persistentTerm.put(k("__proto__"), "proto");
      assert.equal(persistentTerm.get(k("__proto__")), "proto");
      try {
        persistentTerm.put("__proto__", { polluted: true });
        assert.deepEqual(persistentTerm.get("__proto__"), { polluted: true });
        assert.equal(Object.getPrototypeOf(persistentTerm.snapshot()), null);
        persistentTerm.put("", "empty");
        assert.equal(persistentTerm.get(""), "empty");
      } finally {
        persistentTerm.erase("__proto__");
        persistentTerm.erase("");
      }
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    }),
  );
});

describe("persistentTerm: erase", () => {
  it(
    "returns true once, then false without a change",
    scoped((k) => {
      persistentTerm.put(k("a"), "x");
      const { seen, stop } = changes();
      const before = persistentTerm.version;
      assert.equal(persistentTerm.erase(k("a")), true);
      assert.equal(persistentTerm.erase(k("a")), false);
      assert.equal(persistentTerm.erase(k("never")), false);
      stop();
      assert.equal(persistentTerm.version, before + 1);
      assert.deepEqual(seen, [{
        kind: "erase",
        key: k("a"),
        value: undefined,
        previous: "x",
        version: before + 1,
      }]);
      assert.throws(() => persistentTerm.get(k("a")), PersistentTermNotFoundError);
      assert.equal(k("a") in persistentTerm.snapshot(), false);
    }),
  );

  it(
    "a key put again after an erase is stored once",
    scoped((k) => {
      const count = persistentTerm.info().count;
      persistentTerm.put(k("a"), 1);
      persistentTerm.erase(k("a"));
      persistentTerm.put(k("a"), 2);
      assert.equal(persistentTerm.info().count, count + 1);
      assert.deepEqual(
        Object.keys(persistentTerm.snapshot()).filter((key) => key === k("a")),
        [k("a")],
      );
    }),
  );
});

describe("persistentTerm: snapshots", () => {
  it(
    "a snapshot is frozen, null-prototype, and never changes (copy-on-write)",
    scoped((k) => {
      persistentTerm.put(k("a"), 1);
      const snapshot = persistentTerm.snapshot();
      assert.ok(Object.isFrozen(snapshot));
      assert.equal(Object.getPrototypeOf(snapshot), null);
      assert.equal(persistentTerm.snapshot(), snapshot, "reads do not copy");
      persistentTerm.put(k("a"), 2);
      persistentTerm.put(k("b"), 3);
      persistentTerm.erase(k("a"));
      assert.equal(snapshot[k("a")], 1);
      assert.equal(k("b") in snapshot, false);
      assert.notEqual(persistentTerm.snapshot(), snapshot);
      assert.throws(() => {
        "use strict";
        (snapshot as Record<string, unknown>)[k("c")] = 1;
      }, TypeError);
    }),
  );
});

describe("persistentTerm: info and version", () => {
  it(
    "counts terms, estimates their memory and reports the version",
    scoped((k) => {
      const before = persistentTerm.info();
      assert.equal(before.version, persistentTerm.version);
      persistentTerm.put(k("small"), 1);
      const small = persistentTerm.info();
      assert.equal(small.count, before.count + 1);
      assert.ok(small.memory > before.memory);
      persistentTerm.put(k("big"), "x".repeat(100_000));
      const big = persistentTerm.info();
      assert.ok(big.memory - small.memory >= 200_000, `${big.memory - small.memory}`);
      assert.equal(big.version, small.version + 1);
      persistentTerm.put(k("big"), "y");
      assert.ok(persistentTerm.info().memory < big.memory, "a replaced term is measured again");
      persistentTerm.erase(k("big"));
      persistentTerm.erase(k("small"));
      const after = persistentTerm.info();
      assert.equal(after.count, before.count);
      assert.equal(after.memory, before.memory);
    }),
  );

  it(
    "measures collections, buffers and bigints, and a shared object once per term",
    scoped((k) => {
      const measure = (value: NonNullable<unknown> | null) => {
        const base = persistentTerm.info().memory;
        persistentTerm.put(k("m"), value);
        const bytes = persistentTerm.info().memory - base;
        persistentTerm.erase(k("m"));
        return bytes;
      };
      assert.ok(measure(new Uint8Array(50_000)) >= 50_000);
      assert.ok(measure(new ArrayBuffer(50_000)) >= 50_000);
      assert.ok(measure(new Map([["a", "x".repeat(10_000)]])) >= 20_000);
      assert.ok(measure(new Set(["x".repeat(10_000)])) >= 20_000);
      assert.ok(measure(2n ** 100_000n) >= 12_000);
      const shared = "x".repeat(10_000);
      const one = measure([shared]);
      const sharedObject = { s: shared };
      const twice = measure([sharedObject, sharedObject]);
      assert.ok(twice < one + 1_000, `${one} ${twice}`);
    }),
  );

  it(
    "measures hostile values without calling accessors or failing",
    scoped((k) => {
      let getterCalls = 0;
      const withGetter = {
        get boom(): never {
          getterCalls++;
          throw new Error("getter");
        },
      };
      const cycle: Record<string, unknown> = { name: "cycle" };
      cycle.self = cycle;
      const hostileProxy = new Proxy({}, {
        ownKeys() {
          throw new Error("ownKeys");
        },
        getPrototypeOf() {
          throw new Error("getPrototypeOf");
        },
      });
      const fakeMap = Object.create(Map.prototype);
      const huge = new Array(1_000_000);
      const deep: unknown[] = [];
      let node = deep;
      for (let i = 0; i < 100_000; i++) node = (node[0] = []) as unknown[];
      const values = [withGetter, cycle, hostileProxy, fakeMap, huge, deep, Object.create(null)];
      values.forEach((value, i) => persistentTerm.put(k(`h${i}`), value));
      const { memory } = persistentTerm.info();
      assert.ok(Number.isFinite(memory) && memory > 0);
      assert.equal(getterCalls, 0);
    }),
  );
});

describe("persistentTerm: bad input", () => {
  const badKeys: unknown[] = [1, Symbol("k"), null, undefined, {}, ["a"], 1n, () => "k"];
  const hostile = {
    toString() {
      throw new Error("toString");
    },
  };

  it(
    "refuses a non-string key everywhere with PersistentTermKeyError (a TypeError), unchanged",
    scoped((k) => {
      persistentTerm.put(k("x"), 1);
      const snapshot = persistentTerm.snapshot();
      const version = persistentTerm.version;
      // deno-lint-ignore no-explicit-any
      const store = persistentTerm as any;
      for (const key of [...badKeys, hostile]) {
        const isKeyError = (operation: string) => (error: unknown) =>
          error instanceof PersistentTermKeyError && error instanceof TypeError &&
          error.operation === operation && error.key === key &&
          error.name === "PersistentTermKeyError";
        assert.throws(() => store.get(key), isKeyError("get"));
        assert.throws(() => store.get(key, "default"), isKeyError("get"));
        assert.throws(() => store.put(key, 1), isKeyError("put"));
        assert.throws(() => store.erase(key), isKeyError("erase"));
        assert.throws(() => store.key(key), isKeyError("key"));
      }
      assert.equal(persistentTerm.snapshot(), snapshot);
      assert.equal(persistentTerm.version, version);
    }),
  );

  it(
    "refuses undefined with PersistentTermValueError that says to use erase, unchanged",
    scoped((k) => {
      persistentTerm.put(k("x"), 1);
      const version = persistentTerm.version;
      const { seen, stop } = changes();
      // deno-lint-ignore no-explicit-any
      const store = persistentTerm as any;
      for (const key of [k("x"), k("new")]) {
        assert.throws(
          () => store.put(key, undefined),
          (error) =>
            error instanceof PersistentTermValueError && error instanceof TypeError &&
            error.key === key && /erase/.test(error.message),
        );
      }
      stop();
      assert.equal(persistentTerm.get(k("x")), 1);
      assert.equal(persistentTerm.get(k("new"), "none"), "none");
      assert.equal(persistentTerm.version, version);
      assert.deepEqual(seen, []);
    }),
  );

  it("refuses a listener or an onError that is not a function", () => {
    // deno-lint-ignore no-explicit-any
    const store = persistentTerm as any;
    assert.throws(() => store.onChange(undefined), TypeError);
    assert.throws(() => store.onChange("listener"), TypeError);
    assert.throws(() => store.onChange(() => {}, { onError: 1 }), TypeError);
  });

  it("the store object cannot be tampered with", () => {
    assert.ok(Object.isFrozen(persistentTerm));
    assert.throws(() => {
      // deno-lint-ignore no-explicit-any
      (persistentTerm as any).get = () => 1;
    }, TypeError);
  });
});

describe("persistentTerm: change listeners", () => {
  it(
    "deliver each change after the store reflects it, with its version",
    scoped((k) => {
      const observed: unknown[] = [];
      const stop = persistentTerm.onChange((change) =>
        observed.push([change.kind, persistentTerm.get(change.key, "gone"), change.version])
      );
      const { seen, stop: stop2 } = changes();
      const v = persistentTerm.version;
      persistentTerm.put(k("a"), 1);
      persistentTerm.put(k("a"), 2);
      persistentTerm.erase(k("a"));
      stop();
      stop2();
      assert.deepEqual(observed, [["put", 1, v + 1], ["put", 2, v + 2], ["erase", "gone", v + 3]]);
      assert.deepEqual(seen[1], {
        kind: "put",
        key: k("a"),
        value: 2,
        previous: 1,
        version: v + 2,
      });
      assert.equal(seen[0].previous, undefined);
    }),
  );

  it(
    "a throwing listener is reported to onError; the put is done, the others still run",
    scoped((k) => {
      const errors: [unknown, PersistentTermChange][] = [];
      const boom = new Error("listener failed");
      const stop1 = persistentTerm.onChange(() => {
        throw boom;
      }, { onError: (error, change) => errors.push([error, change]) });
      const stop2 = persistentTerm.onChange(() => {
        throw "not even an Error";
      }, {
        onError: () => {
          throw new Error("the reporter fails too");
        },
      });
      const { seen, stop: stop3 } = changes();
      persistentTerm.put(k("a"), 1);
      stop1();
      stop2();
      stop3();
      assert.equal(persistentTerm.get(k("a")), 1);
      assert.equal(errors.length, 1);
      assert.equal(errors[0][0], boom);
      assert.equal(errors[0][1].key, k("a"));
      assert.equal(seen.length, 1);
    }),
  );

  it(
    "by default a throwing listener is reported on console.error",
    scoped((k) => {
      const saved = console.error;
      const logged: unknown[][] = [];
      console.error = (...args: unknown[]) => void logged.push(args);
      const stop = persistentTerm.onChange(() => {
        throw new Error("cache broke");
      });
      try {
        persistentTerm.put(k("a"), 1);
      } finally {
        console.error = saved;
        stop();
      }
      assert.equal(persistentTerm.get(k("a")), 1);
      assert.equal(logged.length, 1);
      assert.match(String(logged[0][0]), /onChange listener threw on put/);
      assert.equal((logged[0][1] as Error).message, "cache broke");
    }),
  );

  it(
    "changes made by a listener are delivered after the current one, to everyone, in order",
    scoped((k) => {
      const first: string[] = [];
      const second: string[] = [];
      const stop1 = persistentTerm.onChange((change) => {
        first.push(`${change.kind}:${change.key}:${change.version}`);
        if (change.key === k("trigger")) persistentTerm.put(k("derived"), "d");
      });
      const stop2 = persistentTerm.onChange((change) => {
        second.push(`${change.kind}:${change.key}:${change.version}`);
      });
      const v = persistentTerm.version;
      persistentTerm.put(k("trigger"), "t");
      stop1();
      stop2();
      const expected = [`put:${k("trigger")}:${v + 1}`, `put:${k("derived")}:${v + 2}`];
      assert.deepEqual(first, expected);
      assert.deepEqual(second, expected);
      assert.equal(persistentTerm.get(k("derived")), "d");
    }),
  );

  it(
    "unsubscribing is idempotent; one function subscribed twice is called twice",
    scoped((k) => {
      let calls = 0;
      const listener = () => void calls++;
      const stopA = persistentTerm.onChange(listener);
      const stopB = persistentTerm.onChange(listener);
      persistentTerm.put(k("a"), 1);
      assert.equal(calls, 2);
      stopA();
      stopA();
      persistentTerm.put(k("a"), 2);
      assert.equal(calls, 3);
      stopB();
      persistentTerm.put(k("a"), 3);
      assert.equal(calls, 3);
    }),
  );

  it(
    "a listener added or removed during a delivery takes effect from the next change",
    scoped((k) => {
      const late: string[] = [];
      let stopLate: (() => void) | undefined;
      let selfCalls = 0;
      const stopAdder = persistentTerm.onChange(() => {
        stopLate ??= persistentTerm.onChange((change) => void late.push(change.key));
      });
      const stopSelf: () => void = persistentTerm.onChange(() => {
        selfCalls++;
        stopSelf();
      });
      persistentTerm.put(k("a"), 1);
      persistentTerm.put(k("b"), 2);
      stopAdder();
      stopLate?.();
      assert.deepEqual(late, [k("b")]);
      assert.equal(selfCalls, 1);
    }),
  );
});

describe("persistentTerm: typed keys", () => {
  it(
    "a handle reads, writes and erases the term under its name",
    scoped((k) => {
      interface Limits {
        perMinute: number;
      }
      const limits = persistentTerm.key<Limits>(k("limits"));
      const again = persistentTerm.key<Limits>(k("limits"));
      assert.equal(limits.name, k("limits"));
      assert.ok(Object.isFrozen(limits));
      assert.throws(() => limits.get(), PersistentTermNotFoundError);
      assert.equal(limits.get(null), null);
      assert.equal(limits.get(undefined), undefined);
      limits.put({ perMinute: 600 });
      assert.equal(again.get().perMinute, 600);
      assert.equal(persistentTerm.get<Limits>(k("limits")).perMinute, 600);
      assert.equal(again.erase(), true);
      assert.equal(limits.erase(), false);
      assert.throws(
        // deno-lint-ignore no-explicit-any
        () => limits.put(undefined as any),
        PersistentTermValueError,
      );
    }),
  );
});

describe("persistentTerm: model", () => {
  type Op =
    | { op: "put"; key: string; value: number | string | null }
    | { op: "putSame"; key: string }
    | { op: "erase"; key: string }
    | { op: "get"; key: string; fallback: boolean };
  const keyArb = fc.constantFrom("a", "b", "c", "__proto__", "toString", "");
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      op: fc.constant("put" as const),
      key: keyArb,
      value: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
    }),
    fc.record({ op: fc.constant("putSame" as const), key: keyArb }),
    fc.record({ op: fc.constant("erase" as const), key: keyArb }),
    fc.record({ op: fc.constant("get" as const), key: keyArb, fallback: fc.boolean() }),
  );

  it("random put/erase/get sequences agree with a Map, and so do version, info and events", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const { k, clean } = scope();
        const model = new Map<string, unknown>();
        const { seen, stop } = changes();
        const baseCount = persistentTerm.info().count;
        let version = persistentTerm.version;
        let expectedEvents = 0;
        try {
          for (const step of ops) {
            const key = k(step.key);
            switch (step.op) {
              case "put":
              case "putSame": {
                const value = step.op === "put" ? step.value : model.get(key) ?? "first";
                const changed = !model.has(key) || !Object.is(model.get(key), value);
                persistentTerm.put(key, value);
                model.set(key, value);
                if (changed) version++, expectedEvents++;
                break;
              }
              case "erase": {
                const had = model.delete(key);
                assert.equal(persistentTerm.erase(key), had);
                if (had) version++, expectedEvents++;
                break;
              }
              case "get":
                if (step.fallback) {
                  const fallback = Symbol("fallback");
                  const expected = model.has(key) ? model.get(key) : fallback;
                  assert.equal(persistentTerm.get(key, fallback), expected);
                } else if (model.has(key)) {
                  assert.equal(persistentTerm.get(key), model.get(key));
                } else {
                  assert.throws(() => persistentTerm.get(key), PersistentTermNotFoundError);
                }
                break;
            }
            assert.equal(persistentTerm.version, version);
            assert.equal(persistentTerm.info().count, baseCount + model.size);
            assert.equal(seen.length, expectedEvents);
          }
          const stored = Object.entries(persistentTerm.snapshot())
            .filter(([key]) => key.startsWith(k("")));
          assert.deepEqual(new Map(stored), model);
          assert.deepEqual(seen.map((c) => c.version), seen.map((_, i) => seen[0].version + i));
        } finally {
          stop();
          clean();
        }
        assert.equal(persistentTerm.info().count, baseCount);
      }),
      { numRuns: 200 },
    );
  });
});
