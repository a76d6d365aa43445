import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { HashRing } from "../../src/partition/hash_ring.ts";
import {
  DuplicateMemberError,
  EmptyRingError,
  UnknownMemberError,
} from "../../src/partition/errors.ts";
import { KeyedHash } from "../../src/partition/siphash.ts";

/** A fixed secret, so the statistical tests below are deterministic. */
// deno-fmt-ignore
const SECRET = Uint8Array.from([
  0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
]);
const KEYS = Array.from({ length: 50_000 }, (_, i) => `key-${i}`);

function ringOf(ids: string[], virtualNodes?: number): HashRing<string> {
  const ring = new HashRing<string>({ hash: new KeyedHash(SECRET), virtualNodes });
  for (const id of ids) ring.add(id);
  return ring;
}

function nodes(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `node-${i}`);
}

describe("HashRing routing", () => {
  test("routes the same key to the same member, whatever the order members joined in", () => {
    const ring = ringOf(nodes(5));
    const reversed = ringOf(nodes(5).reverse());
    for (const key of KEYS.slice(0, 2000)) {
      assert.equal(ring.route(key), ring.route(key));
      assert.equal(ring.route(key), reversed.route(key));
    }
  });

  test("routes string, number and byte keys", () => {
    const ring = ringOf(nodes(3));
    for (const key of ["user:1", 42, -0.5, new Uint8Array([1, 2, 3])]) {
      assert.ok(nodes(3).includes(ring.route(key)));
    }
    assert.equal(ring.route("abc"), ring.route(new TextEncoder().encode("abc")));
  });

  test("works with one member", () => {
    const ring = ringOf(["only"], 1);
    for (const key of KEYS.slice(0, 1000)) assert.equal(ring.route(key), "only");
  });

  test("spreads keys roughly evenly over 10 members", () => {
    const ring = ringOf(nodes(10));
    const counts = new Map<string, number>();
    for (const key of KEYS) counts.set(ring.route(key), (counts.get(ring.route(key)) ?? 0) + 1);
    assert.equal(counts.size, 10);
    const even = KEYS.length / 10;
    for (const [member, count] of counts) {
      // 160 spots each: a member's share has a relative σ of about 8%.
      assert.ok(Math.abs(count - even) / even < 0.25, `${member} got ${count}, even is ${even}`);
    }
  });

  test("uses the secret to place members and keys", () => {
    const a = ringOf(nodes(10));
    const other = SECRET.slice();
    other[0] ^= 1;
    const b = new HashRing<string>({ hash: new KeyedHash(other) });
    for (const id of nodes(10)) b.add(id);
    let same = 0;
    for (const key of KEYS.slice(0, 5000)) if (a.route(key) === b.route(key)) same++;
    assert.ok(same < 5000 * 0.2, `${same} of 5000 keys routed alike under different secrets`);
  });
});

describe("HashRing membership changes", () => {
  test("adding an 11th member moves ≤ 1.5/11 of the keys, all to it", () => {
    const ring = ringOf(nodes(10));
    const before = KEYS.map((key) => ring.route(key));
    ring.add("node-new");
    let moved = 0;
    KEYS.forEach((key, i) => {
      const owner = ring.route(key);
      if (owner !== before[i]) {
        moved++;
        assert.equal(owner, "node-new", `${key} moved from ${before[i]} to ${owner}`);
      }
    });
    const fraction = moved / KEYS.length;
    assert.ok(fraction > 0 && fraction <= 1.5 / 11, `moved ${fraction} of the keys`);
  });

  test("removing one of 10 members moves only its keys, ≤ 1.5/10 of them", () => {
    const ring = ringOf(nodes(10));
    const before = KEYS.map((key) => ring.route(key));
    ring.remove("node-3");
    let moved = 0;
    KEYS.forEach((key, i) => {
      const owner = ring.route(key);
      assert.notEqual(owner, "node-3");
      if (owner !== before[i]) {
        moved++;
        assert.equal(before[i], "node-3", `${key} moved from ${before[i]} to ${owner}`);
      }
    });
    const owned = before.filter((owner) => owner === "node-3").length;
    assert.equal(moved, owned);
    assert.ok(moved / KEYS.length <= 1.5 / 10, `moved ${moved / KEYS.length} of the keys`);
  });

  test("adding then removing a member restores every route", () => {
    const ring = ringOf(nodes(4));
    const before = KEYS.slice(0, 5000).map((key) => ring.route(key));
    ring.add("node-x");
    ring.remove("node-x");
    assert.deepEqual(KEYS.slice(0, 5000).map((key) => ring.route(key)), before);
  });

  test("has, members and size follow adds and removes", () => {
    const ring = ringOf([]);
    assert.equal(ring.size, 0);
    assert.deepEqual(ring.members(), []);
    ring.add("b");
    ring.add("a");
    assert.deepEqual(ring.members(), ["b", "a"]);
    assert.equal(ring.size, 2);
    assert.equal(ring.has("a"), true);
    ring.remove("a");
    assert.equal(ring.has("a"), false);
    assert.deepEqual(ring.members(), ["b"]);
    ring.members().push("z"); // a copy
    assert.equal(ring.size, 1);
  });

  test("identifies object members by idOf", () => {
    interface Worker {
      readonly name: string;
    }
    const ring = new HashRing<Worker>({
      idOf: (worker) => worker.name,
      hash: new KeyedHash(SECRET),
    });
    const a = { name: "a" };
    ring.add(a);
    ring.add({ name: "b" });
    assert.equal(ring.has({ name: "a" }), true);
    assert.throws(() => ring.add({ name: "a" }), DuplicateMemberError);
    ring.remove({ name: "b" });
    assert.equal(ring.route("any"), a);
  });
});

describe("HashRing errors", () => {
  test("a duplicate add is a DuplicateMemberError and changes nothing", () => {
    const ring = ringOf(["a", "b"]);
    const before = KEYS.slice(0, 1000).map((key) => ring.route(key));
    assert.throws(
      () => ring.add("a"),
      (error: unknown) => {
        assert.ok(error instanceof DuplicateMemberError);
        assert.equal(error.name, "DuplicateMemberError");
        assert.equal(error.memberId, "a");
        assert.match(error.message, /already has a member with id "a"/);
        return true;
      },
    );
    assert.equal(ring.size, 2);
    assert.deepEqual(KEYS.slice(0, 1000).map((key) => ring.route(key)), before);
  });

  test("removing an unknown member is an UnknownMemberError", () => {
    const ring = ringOf(["a"]);
    assert.throws(
      () => ring.remove("z"),
      (error: unknown) => {
        assert.ok(error instanceof UnknownMemberError);
        assert.equal(error.name, "UnknownMemberError");
        assert.equal(error.memberId, "z");
        assert.match(error.message, /no member with id "z"/);
        return true;
      },
    );
    assert.deepEqual(ring.members(), ["a"]);
  });

  test("routing on an empty ring is an EmptyRingError", () => {
    const ring = ringOf([]);
    assert.throws(
      () => ring.route("user:42"),
      (error: unknown) => {
        assert.ok(error instanceof EmptyRingError);
        assert.equal(error.name, "EmptyRingError");
        assert.equal(error.key, "user:42");
        assert.match(error.message, /no members/);
        return true;
      },
    );
    ring.add("a");
    ring.remove("a");
    assert.throws(() => ring.route(7), EmptyRingError);
  });

  test("a bad key is a TypeError, even on an empty ring", () => {
    assert.throws(() => ringOf(["a"]).route({} as unknown as string), TypeError);
    assert.throws(() => ringOf([]).route(null as unknown as string), TypeError);
  });

  test("members that are not strings need idOf", () => {
    const ring = new HashRing<number>();
    assert.throws(
      () => ring.add(1),
      (error: unknown) =>
        error instanceof TypeError && /must be strings unless options.idOf/.test(error.message),
    );
    const bad = new HashRing<string>({ idOf: () => 5 as unknown as string });
    assert.throws(
      () => bad.add("a"),
      (error: unknown) =>
        error instanceof TypeError && /idOf must return a string/.test(error.message),
    );
  });

  test("rejects bad options", () => {
    for (const virtualNodes of [0, -1, 1.5, NaN, 65537, "8"]) {
      assert.throws(
        () => new HashRing({ virtualNodes: virtualNodes as number }),
        (error: unknown) => error instanceof RangeError && /virtualNodes/.test(error.message),
      );
    }
    assert.throws(() => new HashRing({ hash: {} as KeyedHash }), TypeError);
    assert.throws(() => new HashRing({ idOf: "name" as unknown as () => string }), TypeError);
  });
});
