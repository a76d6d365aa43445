/**
 * A keyed hash for routing keys to partitions: SipHash-2-4 under a secret
 * chosen at random per system.
 *
 * Why keyed. An unkeyed hash (Erlang's `phash2`, FNV, a string's
 * `hashCode`) is public: anyone who controls the keys — user names, device
 * ids, URL paths — can compute offline a million keys that all land in one
 * partition, and so turn one partition's process into the bottleneck of the
 * whole service. SipHash is a pseudo-random function: without its 128-bit
 * secret, the partition of a key cannot be predicted, so crafted keys spread
 * like any others. Draw the secret at random (the default) in production; pass
 * a fixed one in tests, or where several systems must agree on the routing.
 *
 * How keys become bytes, so the same key always hashes alike on every runtime:
 *
 * - a `string` is hashed as its UTF-8 encoding (as `TextEncoder` gives it;
 *   lone surrogates become U+FFFD, so strings that differ only there collide);
 * - a `number` is hashed as the 8 bytes of its IEEE 754 float64 value,
 *   little-endian, with `-0` read as `0` and every NaN as the one canonical
 *   NaN, so numbers that are `SameValueZero`-equal hash alike;
 * - a `Uint8Array` is hashed as is.
 *
 * Keys are not tagged by type: `"abc"` and `new TextEncoder().encode("abc")`
 * hash alike.
 *
 * SipHash itself is Aumasson and Bernstein's SipHash-2-4 with 64-bit output,
 * computed on 32-bit halves (no BigInt, no allocation per hash), checked
 * against the reference test vectors.
 *
 * @module
 */

/**
 * What {@linkcode KeyedHash} hashes: a string, a number or bytes.
 *
 * @example Three kinds of keys
 * ```ts
 * import { type HashKey, KeyedHash } from "@beamlet/beamlet/partition";
 *
 * const hash = new KeyedHash();
 * const keys: HashKey[] = ["customer:1042", 1042, new TextEncoder().encode("device-7")];
 * console.log(keys.map((key) => hash.partition(key, 8) < 8)); // [true, true, true]
 * ```
 */
export type HashKey = string | number | Uint8Array;

/**
 * The largest partition count {@linkcode KeyedHash.partition} accepts, 2^21:
 * up to it, `hash × count` is exact in a float64, so the multiply-high is
 * exact and its bias stays below `count / 2^32` (under 0.05%).
 *
 * @example Checking a configured count
 * ```ts
 * import { MAX_PARTITION_COUNT } from "@beamlet/beamlet/partition";
 *
 * const partitions = 64;
 * console.log(partitions <= MAX_PARTITION_COUNT); // true
 * ```
 */
export const MAX_PARTITION_COUNT = 2 ** 21;

const SECRET_BYTES = 16;
const TWO_POW_32 = 4294967296;
const encoder = new TextEncoder();

/**
 * SipHash-2-4 under one 16-byte secret, over strings, numbers and bytes.
 *
 * `partition(key, count)` maps the 32-bit hash to `0..count-1` by
 * multiply-high, `floor(hash × count / 2^32)`, not by `hash % count`: both
 * are as even as a 32-bit hash allows (each partition gets
 * `floor(2^32 / count)` or one more of the 2^32 hash values, a bias under
 * `count / 2^32`), but the multiply-high needs no division and keeps using the
 * high bits when `count` is a power of two.
 *
 * An instance is not safe to share across threads (it reuses a scratch
 * buffer); it is cheap to make one per Worker from the same secret.
 *
 * @example Routing keys to 16 partitions under a per-system secret
 * ```ts
 * import { KeyedHash } from "@beamlet/beamlet/partition";
 *
 * const hash = new KeyedHash(); // random secret
 * const partition = hash.partition("customer:1042", 16); // 0..15, stable for this `hash`
 * console.log(partition === hash.partition("customer:1042", 16)); // true
 * ```
 *
 * @example A fixed secret, for tests or systems that must agree
 * ```ts
 * import { KeyedHash } from "@beamlet/beamlet/partition";
 *
 * const secret = Uint8Array.from({ length: 16 }, (_, i) => i);
 * const a = new KeyedHash(secret);
 * const b = new KeyedHash(secret);
 * console.log(a.hash("device-7") === b.hash("device-7")); // true
 * ```
 */
export class KeyedHash {
  readonly #key = new Int32Array(4);
  readonly #out = new Int32Array(2);
  #scratch = new Uint8Array(256);
  readonly #numberBytes = new Uint8Array(8);
  readonly #numberView = new DataView(this.#numberBytes.buffer);

  /**
   * Makes a hash under `secret` (16 bytes, copied), or under 16 random bytes
   * from `crypto.getRandomValues` when none is given.
   *
   * @throws {TypeError} `secret` is given and is not a `Uint8Array`.
   * @throws {RangeError} `secret` is not 16 bytes long.
   */
  constructor(secret?: Uint8Array) {
    if (secret === undefined) {
      secret = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
    } else if (!(secret instanceof Uint8Array)) {
      throw new TypeError(
        `KeyedHash secret must be a Uint8Array of 16 bytes, got ${typeOf(secret)}`,
      );
    } else if (secret.length !== SECRET_BYTES) {
      throw new RangeError(`KeyedHash secret must be 16 bytes long, got ${secret.length}`);
    }
    for (let i = 0; i < 4; i++) this.#key[i] = readWord(secret, i * 4);
  }

  /**
   * The low 32 bits of the key's SipHash-2-4, as an unsigned integer
   * (`0..2^32-1`).
   *
   * @throws {TypeError} `key` is not a string, a number or a `Uint8Array`.
   *
   * @example Hashing keys of each kind
   * ```ts
   * import { KeyedHash } from "@beamlet/beamlet/partition";
   *
   * const hash = new KeyedHash();
   * hash.hash("user:42");
   * hash.hash(42);
   * hash.hash(new Uint8Array([1, 2, 3]));
   * ```
   */
  hash(key: HashKey): number {
    this.#sipHashKey(key);
    return this.#out[1] >>> 0;
  }

  /**
   * The key's partition among `count`, in `0..count-1`, by multiply-high of
   * its 32-bit hash (see the class docs).
   *
   * @throws {TypeError} `key` is not a string, a number or a `Uint8Array`.
   * @throws {RangeError} `count` is not an integer in `1..MAX_PARTITION_COUNT`.
   *
   * @example Choosing one of 8 partitions
   * ```ts
   * import { KeyedHash } from "@beamlet/beamlet/partition";
   *
   * const hash = new KeyedHash();
   * const index = hash.partition("session:9f2c", 8); // 0..7
   * ```
   */
  partition(key: HashKey, count: number): number {
    if (!Number.isInteger(count) || count < 1 || count > MAX_PARTITION_COUNT) {
      throw new RangeError(
        `partition count must be an integer from 1 to ${MAX_PARTITION_COUNT}, got ${
          describe(count)
        }`,
      );
    }
    return Math.floor((this.hash(key) * count) / TWO_POW_32);
  }

  /**
   * The key's full 64-bit SipHash-2-4 as 8 bytes, little-endian — the form
   * in which the reference test vectors are printed.
   *
   * @throws {TypeError} `key` is not a string, a number or a `Uint8Array`.
   *
   * @example The first reference vector
   * ```ts
   * import { KeyedHash } from "@beamlet/beamlet/partition";
   *
   * const hash = new KeyedHash(Uint8Array.from({ length: 16 }, (_, i) => i));
   * hash.digest(new Uint8Array(0)); // 31 0e 0e dd 47 db 6f 72
   * ```
   */
  digest(key: HashKey): Uint8Array {
    this.#sipHashKey(key);
    const out = new Uint8Array(8);
    writeWord(out, 0, this.#out[1]);
    writeWord(out, 4, this.#out[0]);
    return out;
  }

  /** Leaves the 64-bit hash of `key` in `#out[0]` (high) and `#out[1]` (low). */
  #sipHashKey(key: HashKey): void {
    if (typeof key === "string") {
      const length = this.#encode(key);
      sipHash24(this.#key, this.#scratch, length, this.#out);
    } else if (typeof key === "number") {
      // -0 → 0 and any NaN → the canonical NaN, so equal numbers hash alike.
      this.#numberView.setFloat64(0, key === 0 ? 0 : Number.isNaN(key) ? NaN : key, true);
      sipHash24(this.#key, this.#numberBytes, 8, this.#out);
    } else if (key instanceof Uint8Array) {
      sipHash24(this.#key, key, key.length, this.#out);
    } else {
      throw new TypeError(
        `hash key must be a string, a number or a Uint8Array, got ${typeOf(key)}`,
      );
    }
  }

  /** UTF-8 encodes `text` into the scratch buffer; returns the byte length. */
  #encode(text: string): number {
    const length = text.length;
    if (length * 3 > this.#scratch.length) {
      let size = this.#scratch.length;
      while (size < length * 3) size *= 2;
      this.#scratch = new Uint8Array(size);
    }
    const bytes = this.#scratch;
    // ASCII, the common case for keys, is encoded here without a call out.
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) return encoder.encodeInto(text, bytes).written;
      bytes[i] = code;
    }
    return length;
  }
}

/**
 * SipHash-2-4 of `data[0..length)` under `key` (4 little-endian words: k0
 * low, k0 high, k1 low, k1 high); the 64-bit result goes to `out[0]` (high)
 * and `out[1]` (low).
 *
 * Each 64-bit word is a (high, low) pair of int32 locals: an add carries when
 * the unsigned sum of the lows passes 2^32; a rotation by 32 swaps the halves.
 * One loop runs every stage — each message block, the last block (its 0..7
 * remaining bytes under the length's low byte), then the finalization as a
 * block of zeros after `v2 ^= 0xff` with 4 rounds instead of 2 — so the round
 * is written once and the state never leaves registers.
 */
function sipHash24(key: Int32Array, data: Uint8Array, length: number, out: Int32Array): void {
  let v0h = key[1] ^ 0x736f6d65, v0l = key[0] ^ 0x70736575;
  let v1h = key[3] ^ 0x646f7261, v1l = key[2] ^ 0x6e646f6d;
  let v2h = key[1] ^ 0x6c796765, v2l = key[0] ^ 0x6e657261;
  let v3h = key[3] ^ 0x74656462, v3l = key[2] ^ 0x79746573;
  const whole = length - (length & 7);
  let offset = 0;
  let stage = 0; // 0: whole blocks, 1: last block, 2: finalization
  for (;;) {
    let mh = 0, ml = 0, rounds = 2;
    if (offset < whole) {
      ml = readWord(data, offset);
      mh = readWord(data, offset + 4);
      offset += 8;
    } else if (stage === 0) {
      stage = 1;
      mh = (length & 0xff) << 24;
      for (let i = length - 1; i >= whole; i--) {
        const shift = i - whole;
        if (shift >= 4) mh |= data[i] << ((shift - 4) * 8);
        else ml |= data[i] << (shift * 8);
      }
    } else {
      stage = 2;
      v2l ^= 0xff;
      rounds = 4;
    }
    v3h ^= mh;
    v3l ^= ml;
    for (let r = 0; r < rounds; r++) {
      // v0 += v1; v1 = rotl(v1, 13) ^ v0; v0 = rotl(v0, 32)
      let sum = (v0l >>> 0) + (v1l >>> 0);
      v0h = (v0h + v1h + (sum > 0xffffffff ? 1 : 0)) | 0;
      v0l = sum | 0;
      let t = (v1h << 13) | (v1l >>> 19);
      v1l = ((v1l << 13) | (v1h >>> 19)) ^ v0l;
      v1h = t ^ v0h;
      t = v0h;
      v0h = v0l;
      v0l = t;
      // v2 += v3; v3 = rotl(v3, 16) ^ v2
      sum = (v2l >>> 0) + (v3l >>> 0);
      v2h = (v2h + v3h + (sum > 0xffffffff ? 1 : 0)) | 0;
      v2l = sum | 0;
      t = (v3h << 16) | (v3l >>> 16);
      v3l = ((v3l << 16) | (v3h >>> 16)) ^ v2l;
      v3h = t ^ v2h;
      // v0 += v3; v3 = rotl(v3, 21) ^ v0
      sum = (v0l >>> 0) + (v3l >>> 0);
      v0h = (v0h + v3h + (sum > 0xffffffff ? 1 : 0)) | 0;
      v0l = sum | 0;
      t = (v3h << 21) | (v3l >>> 11);
      v3l = ((v3l << 21) | (v3h >>> 11)) ^ v0l;
      v3h = t ^ v0h;
      // v2 += v1; v1 = rotl(v1, 17) ^ v2; v2 = rotl(v2, 32)
      sum = (v2l >>> 0) + (v1l >>> 0);
      v2h = (v2h + v1h + (sum > 0xffffffff ? 1 : 0)) | 0;
      v2l = sum | 0;
      t = (v1h << 17) | (v1l >>> 15);
      v1l = ((v1l << 17) | (v1h >>> 15)) ^ v2l;
      v1h = t ^ v2h;
      t = v2h;
      v2h = v2l;
      v2l = t;
    }
    v0h ^= mh;
    v0l ^= ml;
    if (stage === 2) break;
  }
  out[0] = v0h ^ v1h ^ v2h ^ v3h;
  out[1] = v0l ^ v1l ^ v2l ^ v3l;
}

function readWord(bytes: Uint8Array, offset: number): number {
  return bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) |
    (bytes[offset + 3] << 24);
}

function writeWord(bytes: Uint8Array, offset: number, word: number): void {
  bytes[offset] = word;
  bytes[offset + 1] = word >>> 8;
  bytes[offset + 2] = word >>> 16;
  bytes[offset + 3] = word >>> 24;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}

function describe(value: unknown): string {
  return typeof value === "number" ? String(value) : typeOf(value);
}
