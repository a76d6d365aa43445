/**
 * The codec's {@linkcode Writer} (internal): appends values to a growable
 * byte buffer, one per destination scheduler. The values a message is made
 * of most often are written by hand, without allocating (see
 * `_codec_format.ts` for the bytes); anything else is packed by msgpackr
 * (`_codec_msgpackr.ts`), after the walk that refuses what cannot cross
 * (`_codec_check.ts`).
 *
 * @module
 */

import { From } from "../from.ts";
import { Pid, Ref } from "../pid.ts";
import { UnencodableError } from "./errors.ts";
import * as format from "./_codec_format.ts";
import { pack } from "./_codec_msgpackr.ts";

// This module's own copies of the format's tags and helpers: V8 folds a
// module's own constants into optimized code, but reads an imported binding
// through its cell each time (with named imports, a switch on tags compares
// loads: decoding a small number took 1.4x as long in bench/codec_bench.ts).
const {
  illFormed,
  schedulerOf,
  SHORT_STRING,
  T_ARRAY,
  T_FALSE,
  T_FLOAT64,
  T_FROM,
  T_INT32,
  T_NULL,
  T_OBJECT,
  T_PACKED,
  T_PID,
  T_REF,
  T_STRING,
  T_STRING16,
  T_TRUE,
  T_UNDEFINED,
} = format;

/** Plain objects and arrays are written by hand up to this many entries in all... */
const MAX_NODES = 1024;
/** ...and this deep (a cycle goes past it); beyond, or with anything else inside, msgpackr packs them. */
const MAX_DEPTH = 32;

/** The containers below the root of the value being written by hand (a second visit: shared, so msgpackr). */
const CONTAINERS = new Set<object>();

const ENCODER = new TextEncoder();

/**
 * Growable byte buffer messages are appended to (one per destination
 * scheduler): `bytes[0, length)` is the encoded batch. Grows by doubling.
 */
export class Writer {
  /** The buffer; replaced by a bigger one when it fills up. */
  bytes: Uint8Array;
  /** How many bytes of `bytes` are written. */
  length = 0;
  #view: DataView;
  /** How many more entries the value being written by hand may have. */
  #budget = 0;

  /** A writer with room for `capacity` bytes before it first grows. */
  constructor(capacity = 1024) {
    this.bytes = new Uint8Array(Math.max(16, capacity));
    this.#view = new DataView(this.bytes.buffer);
  }

  /** Empties the buffer (keeps its memory). */
  reset(): void {
    this.length = 0;
  }

  /** Makes room for `n` more bytes. */
  #room(n: number): void {
    if (this.length + n > this.bytes.length) this.#grow(this.length + n);
  }

  #grow(needed: number): void {
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.#view = new DataView(next.buffer);
  }

  /** Appends one byte. */
  u8(v: number): void {
    this.#room(1);
    this.bytes[this.length++] = v;
  }

  /** Appends an unsigned 32-bit integer, little-endian. */
  u32(v: number): void {
    this.#room(4);
    const b = this.bytes;
    const p = this.length;
    b[p] = v;
    b[p + 1] = v >>> 8;
    b[p + 2] = v >>> 16;
    b[p + 3] = v >>> 24;
    this.length = p + 4;
  }

  /** Appends a float64, little-endian. */
  f64(v: number): void {
    this.#room(8);
    this.#view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  /**
   * Appends a string: u32 byte length + UTF-8 (a lone surrogate becomes
   * U+FFFD: `value` keeps them).
   */
  str(s: string): void {
    const n = s.length;
    this.#room(4 + n);
    if (n <= SHORT_STRING) {
      const b = this.bytes;
      const at = this.length + 4;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[at + i] = c;
      }
      if (i === n) {
        this.#length32(n);
        this.length = at + n;
        return;
      }
    }
    this.#room(4 + n * 3);
    const written = ENCODER.encodeInto(s, this.bytes.subarray(this.length + 4)).written;
    this.#length32(written);
    this.length += 4 + written;
  }

  /** Writes `n` as the u32 at `length` (a length prefix), without moving. */
  #length32(n: number): void {
    const b = this.bytes;
    const p = this.length;
    b[p] = n;
    b[p + 1] = n >>> 8;
    b[p + 2] = n >>> 16;
    b[p + 3] = n >>> 24;
  }

  /**
   * Appends one value; throws {@linkcode UnencodableError} when it cannot
   * (`path` names the value in its message), and then nothing is appended.
   */
  value(v: unknown, path = "payload"): void {
    switch (typeof v) {
      case "number":
        if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
          this.#room(5);
          const b = this.bytes;
          const p = this.length;
          b[p] = T_INT32;
          b[p + 1] = v;
          b[p + 2] = v >>> 8;
          b[p + 3] = v >>> 16;
          b[p + 4] = v >>> 24;
          this.length = p + 5;
        } else {
          this.#room(9);
          this.bytes[this.length] = T_FLOAT64;
          this.#view.setFloat64(this.length + 1, v, true);
          this.length += 9;
        }
        return;
      case "string":
        this.#string(v);
        return;
      case "boolean":
        this.u8(v ? T_TRUE : T_FALSE);
        return;
      case "undefined":
        this.u8(T_UNDEFINED);
        return;
      case "object": {
        if (v === null) {
          this.u8(T_NULL);
          return;
        }
        return this.#object(v, path);
      }
      case "bigint":
        return this.#packed(v, path);
      case "function":
        throw new UnencodableError(path, "a function");
      default:
        throw new UnencodableError(path, "a symbol");
    }
  }

  /**
   * Appends an object. One whose reading throws (a Proxy whose traps throw,
   * a getter that throws) is an {@linkcode UnencodableError} too, with
   * nothing appended: what it threw is its cause.
   */
  #object(v: object, path: string): void {
    const mark = this.length;
    try {
      const constructor = (v as { constructor?: unknown }).constructor;
      if (constructor === Pid) return this.#pid(v as Pid);
      if (constructor === Ref) return this.#ref(v as Ref);
      if (constructor === From) return this.#from(v as From);
      if ((constructor === Object || constructor === Array) && this.#tree(v)) return;
      return this.#packed(v, path);
    } catch (error) {
      this.length = mark;
      if (error instanceof UnencodableError) throw error;
      throw new UnencodableError(
        path,
        `a value that throws when read (${error instanceof Error ? error.message : String(error)})`,
        { cause: error },
      );
    }
  }

  /**
   * Writes a plain object or array by hand, if it holds only what the hand
   * paths write (no shared or cyclic containers, not too big); else writes
   * nothing and says no.
   */
  #tree(root: object): boolean {
    const start = this.length;
    this.#budget = MAX_NODES;
    let done = false;
    try {
      done = this.#composite(root, 0);
    } catch {
      done = false; // a getter threw: the walk before msgpackr says where
    }
    if (CONTAINERS.size > 0) CONTAINERS.clear();
    if (!done) this.length = start;
    return done;
  }

  #composite(v: object, depth: number): boolean {
    if (depth >= MAX_DEPTH) return false;
    const proto = Object.getPrototypeOf(v);
    if (proto === Array.prototype) {
      const array = v as unknown[];
      const n = array.length;
      if ((this.#budget -= n + 1) < 0) return false;
      this.#room(5);
      this.bytes[this.length++] = T_ARRAY;
      this.#length32(n);
      this.length += 4;
      for (let i = 0; i < n; i++) if (!this.#item(array[i], depth)) return false;
      return true;
    }
    if (proto !== Object.prototype || --this.#budget < 0) return false;
    this.#room(5);
    this.bytes[this.length] = T_OBJECT;
    const countAt = this.length + 1;
    this.length += 5;
    const object = v as Record<string, unknown>;
    let count = 0;
    for (const key in object) {
      if (--this.#budget < 0) return false;
      this.str(key);
      if (!this.#item(object[key], depth)) return false;
      count++;
    }
    const b = this.bytes;
    b[countAt] = count;
    b[countAt + 1] = count >>> 8;
    b[countAt + 2] = count >>> 16;
    b[countAt + 3] = count >>> 24;
    return true;
  }

  #item(v: unknown, depth: number): boolean {
    switch (typeof v) {
      case "number":
      case "string":
      case "boolean":
      case "undefined":
        this.value(v);
        return true;
      case "object": {
        if (v === null) {
          this.u8(T_NULL);
          return true;
        }
        const constructor = (v as { constructor?: unknown }).constructor;
        if (constructor === Pid) this.#pid(v as Pid);
        else if (constructor === Ref) this.#ref(v as Ref);
        else if (constructor === From) this.#from(v as From);
        else if (constructor === Object || constructor === Array) {
          if (CONTAINERS.has(v)) return false;
          CONTAINERS.add(v);
          return this.#composite(v, depth + 1);
        } else return false;
        return true;
      }
      default:
        return false;
    }
  }

  #string(s: string): void {
    const n = s.length;
    this.#room(5 + n);
    const start = this.length;
    if (n <= SHORT_STRING) {
      // By hand while it is ASCII (most short strings are).
      const b = this.bytes;
      const at = start + 5;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[at + i] = c;
      }
      if (i === n) {
        b[start] = T_STRING;
        this.length = start + 1;
        this.#length32(n);
        this.length = at + n;
        return;
      }
    }
    if (illFormed(s)) return this.#string16(s);
    this.bytes[start] = T_STRING;
    this.length = start + 1;
    this.str(s);
  }

  #string16(s: string): void {
    const n = s.length;
    this.#room(5 + 2 * n);
    const b = this.bytes;
    b[this.length++] = T_STRING16;
    this.#length32(n);
    let p = this.length + 4;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      b[p++] = c;
      b[p++] = c >>> 8;
    }
    this.length = p;
  }

  #pid(pid: Pid): void {
    this.u8(T_PID);
    this.str(pid.node);
    this.f64(pid.serial);
    this.f64(schedulerOf(pid));
  }

  #ref(ref: Ref): void {
    this.u8(T_REF);
    this.str(ref.node);
    this.f64(ref.serial);
  }

  #from(from: From): void {
    this.u8(T_FROM);
    const pid = from.pid;
    if (pid === undefined) this.u8(0);
    else {
      this.u8(1);
      this.str(pid.node);
      this.f64(pid.serial);
      this.f64(schedulerOf(pid));
    }
    this.f64(from.callId);
    this.str(from.node);
  }

  #packed(v: unknown, path: string): void {
    const packed = pack(v, path);
    this.#room(5 + packed.length);
    this.bytes[this.length] = T_PACKED;
    this.length += 1;
    this.#length32(packed.length);
    this.bytes.set(packed, this.length + 4);
    this.length += 4 + packed.length;
  }
}
