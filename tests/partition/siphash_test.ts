import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { KeyedHash, MAX_PARTITION_COUNT } from "../../src/partition/siphash.ts";

/** Key 00 01 .. 0f, the reference implementation's test key. */
const REFERENCE_SECRET = Uint8Array.from({ length: 16 }, (_, i) => i);

/**
 * SipHash-2-4 64-bit outputs, little-endian bytes, for the messages 00 01 02 ..
 * of length 0..63 under the reference key (vectors_sip64 of the reference
 * implementation, github.com/veorq/SipHash vectors.h).
 */
// deno-fmt-ignore
const REFERENCE_VECTORS = [
  "310e0edd47db6f72", "fd67dc93c539f874", "5a4fa9d909806c0d", "2d7efbd796666785",
  "b7877127e09427cf", "8da699cd64557618", "cee3fe586e46c9cb", "37d1018bf50002ab",
  "6224939a79f5f593", "b0e4a90bdf82009e", "f3b9dd94c5bb5d7a", "a7ad6b22462fb3f4",
  "fbe50e86bc8f1e75", "903d84c02756ea14", "eef27a8e90ca23f7", "e545be4961ca29a1",
  "db9bc2577fcc2a3f", "9447be2cf5e99a69", "9cd38d96f0b3c14b", "bd6179a71dc96dbb",
  "98eea21af25cd6be", "c7673b2eb0cbf2d0", "883ea3e395675393", "c8ce5ccd8c030ca8",
  "94af49f6c650adb8", "eab8858ade92e1bc", "f315bb5bb835d817", "adcf6b0763612e2f",
  "a5c91da7acaa4dde", "716595876650a2a6", "28ef495c53a387ad", "42c341d8fa92d832",
  "ce7cf2722f512771", "e37859f94623f3a7", "381205bb1ab0e012", "ae97a10fd434e015",
  "b4a31508beff4d31", "81396229f0907902", "4d0cf49ee5d4dcca", "5c73336a76d8bf9a",
  "d0a704536ba93e0e", "925958fcd6420cad", "a915c29bc8067318", "952b79f3bc0aa6d4",
  "f21df2e41d4535f9", "87577519048f53a9", "10a56cf5dfcd9adb", "eb75095ccd986cd0",
  "51a9cb9ecba312e6", "96afadfc2ce666c7", "72fe52975a4364ee", "5a1645b276d592a1",
  "b274cb8ebf87870a", "6f9bb4203de7b381", "eaecb2a30b22a87f", "9924a43cc1315724",
  "bd838d3aafbf8db7", "0b1a2a3265d51aea", "135079a3231ce660", "932b2846e4d70666",
  "e1915f5cb1eca46c", "f325965ca16d629f", "575ff28e60381be5", "724506eb4c328a95",
];

/** A fixed secret, so the statistical tests below are deterministic. */
// deno-fmt-ignore
const FIXED_SECRET = Uint8Array.from([
  0x9e, 0x37, 0x79, 0xb9, 0x7f, 0x4a, 0x7c, 0x15, 0xf3, 0x9c, 0xc0, 0x60, 0x5c, 0xed, 0xc8, 0x34,
]);

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function message(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => i);
}

/** FNV-1a, 32-bit: a fast, public, unkeyed string hash. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Counts per partition, and the largest relative distance from an even share. */
function spread(partitionOf: (i: number) => number, keys: number, partitions: number) {
  const counts = new Array<number>(partitions).fill(0);
  for (let i = 0; i < keys; i++) counts[partitionOf(i)]++;
  const even = keys / partitions;
  const worst = Math.max(...counts.map((count) => Math.abs(count - even) / even));
  const chiSquare = counts.reduce((sum, count) => sum + (count - even) ** 2 / even, 0);
  return { counts, worst, chiSquare };
}

/** χ² with 15 degrees of freedom exceeds this with probability 0.001. */
const CHI_SQUARE_15_P001 = 37.7;

describe("KeyedHash SipHash-2-4", () => {
  test("matches the 64 reference test vectors", () => {
    const hash = new KeyedHash(REFERENCE_SECRET);
    for (let length = 0; length < 64; length++) {
      assert.equal(
        hex(hash.digest(message(length))),
        REFERENCE_VECTORS[length],
        `length ${length}`,
      );
    }
  });

  test("hash() is the low 32 bits of the digest", () => {
    const hash = new KeyedHash(REFERENCE_SECRET);
    // 63-byte vector: 72 45 06 eb ... → low word 0xeb064572
    assert.equal(hash.hash(message(63)), 0xeb064572);
    assert.equal(hash.hash(new Uint8Array(0)), 0xdd0e0e31);
  });

  test("reads a Uint8Array view at its own offset", () => {
    const hash = new KeyedHash(REFERENCE_SECRET);
    const backing = Uint8Array.from({ length: 20 }, (_, i) => i - 4);
    assert.equal(hex(hash.digest(backing.subarray(4, 19))), REFERENCE_VECTORS[15]);
  });
});

describe("KeyedHash keys", () => {
  test("is deterministic for one secret, across instances", () => {
    const a = new KeyedHash(FIXED_SECRET);
    const b = new KeyedHash(FIXED_SECRET.slice());
    for (const key of ["", "user:42", "ünïcødé ✓ 🚀", 0, 42, -1.5, 2 ** 60, new Uint8Array([7])]) {
      assert.equal(a.hash(key), a.hash(key));
      assert.equal(a.hash(key), b.hash(key));
      assert.equal(a.partition(key, 16), b.partition(key, 16));
    }
  });

  test("copies the secret, so changing it later changes nothing", () => {
    const secret = FIXED_SECRET.slice();
    const hash = new KeyedHash(secret);
    const before = hash.hash("user:42");
    secret.fill(0);
    assert.equal(hash.hash("user:42"), before);
  });

  test("depends on the secret", () => {
    const other = FIXED_SECRET.slice();
    other[15] ^= 1;
    const a = new KeyedHash(FIXED_SECRET);
    const b = new KeyedHash(other);
    let differ = 0;
    for (let i = 0; i < 100; i++) if (a.hash(`key-${i}`) !== b.hash(`key-${i}`)) differ++;
    assert.ok(differ >= 99, `${differ} of 100 hashes changed`);
    // The default secret is random: two default instances disagree.
    assert.notEqual(
      new KeyedHash().digest("user:42").join(),
      new KeyedHash().digest("user:42").join(),
    );
  });

  test("hashes strings as their UTF-8 bytes", () => {
    const hash = new KeyedHash(FIXED_SECRET);
    const encoder = new TextEncoder();
    for (
      const text of ["", "a", "user:42", "ünïcødé", "日本語のキー", "🚀 rocket", "x".repeat(1000)]
    ) {
      assert.equal(hash.hash(text), hash.hash(encoder.encode(text)), text.slice(0, 20));
    }
    // Lone surrogates encode as U+FFFD, as TextEncoder does.
    assert.equal(hash.hash("a\ud800b"), hash.hash("a\ufffdb"));
  });

  test("hashes numbers as their little-endian float64 bytes", () => {
    const hash = new KeyedHash(FIXED_SECRET);
    for (const value of [1, -1, 0.1, 42, 2 ** 53, -Infinity, Number.MIN_VALUE]) {
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setFloat64(0, value, true);
      assert.equal(hash.hash(value), hash.hash(bytes), String(value));
    }
    assert.equal(hash.hash(-0), hash.hash(0));
    const otherNaN = new Float64Array(new Uint32Array([1, 0x7ff00000]).buffer)[0];
    assert.ok(Number.isNaN(otherNaN));
    assert.equal(hash.hash(otherNaN), hash.hash(NaN));
    assert.notEqual(hash.hash(1), hash.hash("1"));
  });

  test("rejects keys that are not strings, numbers or Uint8Arrays", () => {
    const hash = new KeyedHash(FIXED_SECRET);
    for (const key of [null, undefined, 1n, {}, [1], true, new Uint16Array(2), Symbol("k")]) {
      assert.throws(
        () => hash.hash(key as unknown as string),
        (error: unknown) =>
          error instanceof TypeError && /string, a number or a Uint8Array/.test(error.message),
      );
      assert.throws(() => hash.partition(key as unknown as string, 4), TypeError);
      assert.throws(() => hash.digest(key as unknown as string), TypeError);
    }
  });
});

describe("KeyedHash secret", () => {
  test("must be 16 bytes", () => {
    for (const length of [0, 8, 15, 17, 32]) {
      assert.throws(
        () => new KeyedHash(new Uint8Array(length)),
        (error: unknown) =>
          error instanceof RangeError && error.message.includes(`16 bytes long, got ${length}`),
      );
    }
  });

  test("must be a Uint8Array", () => {
    for (const secret of ["0123456789abcdef", new Uint16Array(8), Array(16).fill(0), null]) {
      assert.throws(() => new KeyedHash(secret as unknown as Uint8Array), TypeError);
    }
  });
});

describe("KeyedHash.partition", () => {
  test("stays in 0..count-1 and uses every partition", () => {
    const hash = new KeyedHash(FIXED_SECRET);
    for (const count of [1, 2, 3, 7, 16, 1000]) {
      const seen = new Set<number>();
      for (let i = 0; i < 20000; i++) {
        const p = hash.partition(i, count);
        assert.ok(Number.isInteger(p) && p >= 0 && p < count);
        seen.add(p);
      }
      assert.equal(seen.size, count);
    }
    assert.equal(hash.partition("anything", 1), 0);
  });

  test("is the multiply-high of the 32-bit hash", () => {
    const hash = new KeyedHash(FIXED_SECRET);
    for (let i = 0; i < 100; i++) {
      assert.equal(hash.partition(i, 10), Math.floor((hash.hash(i) * 10) / 2 ** 32));
    }
    assert.ok(hash.partition("k", MAX_PARTITION_COUNT) < MAX_PARTITION_COUNT);
  });

  test("rejects a count that is not an integer from 1 to MAX_PARTITION_COUNT", () => {
    const hash = new KeyedHash(FIXED_SECRET);
    for (const count of [0, -1, 1.5, NaN, Infinity, MAX_PARTITION_COUNT + 1, "4", undefined]) {
      assert.throws(
        () => hash.partition("key", count as number),
        (error: unknown) => error instanceof RangeError && /integer from 1 to/.test(error.message),
      );
    }
  });

  test("spreads 100k keys over 16 partitions within 5% of even", () => {
    const hash = new KeyedHash(FIXED_SECRET);
    const strings = spread((i) => hash.partition(`user:${i}`, 16), 100_000, 16);
    const numbers = spread((i) => hash.partition(i, 16), 100_000, 16);
    for (const result of [strings, numbers]) {
      assert.ok(
        result.worst < 0.05,
        `worst partition off even by ${result.worst}: ${result.counts}`,
      );
      assert.ok(result.chiSquare < CHI_SQUARE_15_P001, `χ² ${result.chiSquare}`);
    }
  });

  test("spreads keys crafted to collide under an unkeyed hash", () => {
    // An attacker who knows the hash builds keys that all land in partition 0
    // of `fnv1a(key) % 16`.
    const crafted: string[] = [];
    for (let i = 0; crafted.length < 10_000; i++) {
      const key = `attack-${i}`;
      if (fnv1a(key) % 16 === 0) crafted.push(key);
    }
    const unkeyed = spread((i) => fnv1a(crafted[i]) % 16, crafted.length, 16);
    assert.equal(unkeyed.counts[0], 10_000); // all in one partition: 16× its fair load

    for (const secret of [FIXED_SECRET, REFERENCE_SECRET]) {
      const hash = new KeyedHash(secret);
      const keyed = spread((i) => hash.partition(crafted[i], 16), crafted.length, 16);
      // 625 expected per partition, σ ≈ 24 (3.9%): allow a bit over 3σ.
      assert.ok(keyed.worst < 0.13, `worst partition off even by ${keyed.worst}: ${keyed.counts}`);
      assert.ok(keyed.chiSquare < CHI_SQUARE_15_P001, `χ² ${keyed.chiSquare}`);
    }
  });
});
