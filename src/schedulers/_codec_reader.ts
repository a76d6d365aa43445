/**
 * The codec's {@linkcode Reader} (internal): reads back, in order, the
 * values a `Writer` (`_codec_writer.ts`) wrote, from a byte range which may
 * lie in shared memory — what it returns never aliases it. The short ASCII
 * strings read are kept in a small cache, so that a key or a node id read
 * again is the same string, not a new one.
 *
 * @module
 */

import { From } from "../from.ts";
import { type Pid, Ref } from "../pid.ts";
import { UndecodableError } from "./errors.ts";
import * as format from "./_codec_format.ts";
import { unpack } from "./_codec_msgpackr.ts";

// This module's own copies of the format's tags and helpers: V8 folds a
// module's own constants into optimized code, but reads an imported binding
// through its cell each time (with named imports, a switch on tags compares
// loads: decoding a small number took 1.4x as long in bench/codec_bench.ts).
const {
  fromCharCodes,
  PidOf,
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

/**
 * Short ASCII strings read, by a hash of their bytes: a string read again
 * (an object key, a node id, an atom-like tag) is the same string, not a new one.
 */
const STRING_CACHE: (string | undefined)[] = new Array<string | undefined>(4096).fill(undefined);

const DECODER = new TextDecoder();
const EMPTY = new Uint8Array(0);

function isSharedBuffer(buffer: ArrayBufferLike): boolean {
  return typeof SharedArrayBuffer === "function" && buffer instanceof SharedArrayBuffer;
}

/** Reads values a {@linkcode Writer} wrote, in order, from a byte range. */
export class Reader {
  #bytes: Uint8Array = EMPTY;
  #view: DataView = new DataView(EMPTY.buffer);
  #shared = false;
  #position = 0;
  #end = 0;
  /** Where msgpack bytes in shared memory are copied to before msgpackr reads them. */
  #scratch: Uint8Array = EMPTY;

  /** A reader over nothing: {@linkcode Reader.reset} points it at bytes. */
  constructor() {}

  /**
   * Points at `bytes[start, end)`. The view may be over shared memory: the
   * values read never alias it (strings and binary data are copied out).
   */
  reset(bytes: Uint8Array, start: number, end: number): void {
    if (!(0 <= start && start <= end && end <= bytes.length)) {
      throw new RangeError(
        `Reader.reset: [${start}, ${end}) is not a range of a ${bytes.length}-byte view`,
      );
    }
    if (bytes !== this.#bytes) {
      this.#bytes = bytes;
      this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.#shared = isSharedBuffer(bytes.buffer);
    }
    this.#position = start;
    this.#end = end;
  }

  /** Whether every byte of the range has been read. */
  get done(): boolean {
    return this.#position >= this.#end;
  }

  /** Checks that `n` more bytes are there; returns where they start. */
  #take(n: number): number {
    const p = this.#position;
    if (p + n > this.#end) throw this.#pastEnd(n);
    this.#position = p + n;
    return p;
  }

  #pastEnd(n: number): UndecodableError {
    return new UndecodableError(
      `read of ${n} bytes at ${this.#position} runs past the end of the range (${this.#end})`,
    );
  }

  /** Reads one byte. */
  u8(): number {
    return this.#bytes[this.#take(1)];
  }

  /** Reads an unsigned 32-bit integer, little-endian. */
  u32(): number {
    const p = this.#take(4);
    const b = this.#bytes;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  /** Reads a float64, little-endian. */
  f64(): number {
    return this.#view.getFloat64(this.#take(8), true);
  }

  /** Reads a string written by {@linkcode Writer.str}. */
  str(): string {
    const n = this.u32();
    return this.#utf8(this.#take(n), n);
  }

  #utf8(p: number, n: number): string {
    const b = this.#bytes;
    if (n <= SHORT_STRING) {
      const end = p + n;
      let hash = n;
      for (let i = p; i < end; i++) {
        const c = b[i];
        if (c >= 0x80) return this.#decode(p, n);
        hash = (hash * 31 + c) | 0;
      }
      const slot = hash & (STRING_CACHE.length - 1);
      const cached = STRING_CACHE[slot];
      if (cached !== undefined && cached.length === n) {
        let i = 0;
        while (i < n && cached.charCodeAt(i) === b[p + i]) i++;
        if (i === n) return cached;
      }
      let s = "";
      for (let i = p; i < end; i++) s += String.fromCharCode(b[i]);
      STRING_CACHE[slot] = s;
      return s;
    }
    return this.#decode(p, n);
  }

  #decode(p: number, n: number): string {
    // TextDecoder refuses views of shared memory on some hosts: copy those out.
    const b = this.#bytes;
    return DECODER.decode(this.#shared ? b.slice(p, p + n) : b.subarray(p, p + n));
  }

  /** Reads one value written by {@linkcode Writer.value}. */
  value(): unknown {
    const at = this.#take(1);
    const b = this.#bytes;
    const tag = b[at];
    switch (tag) {
      case T_UNDEFINED:
        return undefined;
      case T_NULL:
        return null;
      case T_FALSE:
        return false;
      case T_TRUE:
        return true;
      case T_INT32: {
        const p = this.#take(4);
        return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
      }
      case T_FLOAT64:
        return this.f64();
      case T_STRING:
        return this.str();
      case T_STRING16: {
        const n = this.u32();
        const p = this.#take(2 * n);
        const units = new Array<number>(n);
        for (let i = 0; i < n; i++) units[i] = b[p + 2 * i] | (b[p + 2 * i + 1] << 8);
        return fromCharCodes(units);
      }
      case T_PID: {
        const node = this.str();
        const serial = this.f64();
        return new PidOf(serial, node, this.f64());
      }
      case T_REF: {
        const node = this.str();
        return new Ref(this.f64(), node);
      }
      case T_FROM: {
        let pid: Pid | undefined;
        if (this.u8() === 1) {
          const node = this.str();
          const serial = this.f64();
          pid = new PidOf(serial, node, this.f64());
        }
        const callId = this.f64();
        return new From(pid, callId, this.str());
      }
      case T_ARRAY: {
        const n = this.u32();
        if (n > this.#end - this.#position) throw this.#pastEnd(n);
        const array: unknown[] = [];
        for (let i = 0; i < n; i++) array.push(this.value());
        return array;
      }
      case T_OBJECT: {
        const n = this.u32();
        if (n > this.#end - this.#position) throw this.#pastEnd(n);
        const object: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const key = this.str();
          const value = this.value();
          if (key === "__proto__") {
            Object.defineProperty(object, key, {
              value,
              writable: true,
              enumerable: true,
              configurable: true,
            });
          } else object[key] = value;
        }
        return object;
      }
      case T_PACKED: {
        const n = this.u32();
        const p = this.#take(n);
        return unpack(this.#packedBytes(p, n));
      }
      default:
        throw new UndecodableError(`unknown tag ${tag} at byte ${at}`);
    }
  }

  /** The msgpack bytes at `[p, p + n)`, copied out of shared memory. */
  #packedBytes(p: number, n: number): Uint8Array {
    const b = this.#bytes;
    if (!this.#shared) return b.subarray(p, p + n);
    if (this.#scratch.length < n) {
      this.#scratch = new Uint8Array(Math.max(n, this.#scratch.length * 2, 1024));
    }
    this.#scratch.set(b.subarray(p, p + n));
    return this.#scratch.subarray(0, n);
  }
}
