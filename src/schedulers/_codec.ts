/**
 * The binary codec of messages between schedulers (internal): a
 * {@linkcode Writer} appends values to a growable byte buffer (one per
 * destination scheduler), a {@linkcode Reader} reads them back from a byte
 * range, which may lie in shared memory — what it returns never aliases it.
 *
 * Each value is a one-byte tag and its fields, little-endian. The values a
 * message is made of most often are written by hand, without allocating:
 * `undefined`, `null`, booleans, int32 numbers (tag + 4 bytes), other
 * numbers (tag + float64, so NaN, -0 and the infinities survive), strings
 * (tag + u32 byte length + UTF-8; a string with a lone surrogate, which
 * UTF-8 cannot hold, goes as its UTF-16 code units), and beamlet's
 * identifiers {@linkcode Pid}, {@linkcode Ref} and {@linkcode From}, which
 * come back as instances equal to the originals (a pid is a value: one pid
 * in two places of a message comes back as two equal pids). Plain objects
 * and arrays made of those are written by hand too (up to 1024 entries and
 * 32 levels deep), as most messages are (`{ op: "add", n: 1, from: pid }`);
 * the short ASCII strings read are kept in a small cache, so that a key or a
 * node id read again is the same string, not a new one.
 *
 * Everything else (Map, Set, Date, RegExp, errors, typed arrays,
 * ArrayBuffer, DataView, BigInt; objects and arrays holding any of these,
 * bigger ones, cycles and shared references) is packed by msgpackr with its
 * structured-clone extensions, as tag + u32 length + msgpack. Extensions carry pids, refs and froms nested in such a
 * value (as instances), and errors: `name`, `message`, `stack`, `code` and
 * `cause` — and the errors of `src/errors.ts` that have a `fromJSON` revive
 * as their own class. A walk over the value first refuses what msgpackr
 * would silently change (a function, a symbol, an instance of a class
 * without a codec — msgpackr would send its fields as a plain object) with
 * an {@linkcode UnencodableError} naming where it is; and it finds the two
 * values msgpackr cannot hold (-0 and strings with lone surrogates), rare
 * enough that a value holding one is copied with markers in their place.
 *
 * What does not survive (mostly as with `structuredClone`): fields of an error
 * other than those above, holes of sparse arrays (read as `undefined`),
 * non-index properties of arrays, symbol-keyed and non-enumerable
 * properties; a lone surrogate in an object key becomes U+FFFD; a
 * null-prototype object comes back with `Object.prototype`; a
 * Node `Buffer` comes back as a `Uint8Array`; an own `__proto__` key comes
 * back as `__proto_` from msgpackr (its guard against prototype pollution),
 * as itself from the hand-written path.
 *
 * msgpackr's extensions are global to the JavaScript realm: loading this
 * module changes how any other msgpackr user of the realm packs errors,
 * pids, refs and froms (type codes 0x45, 0x46, 0x50, 0x52, 0x5a, 0x5b).
 *
 * @module
 */

import { addExtension, Packr, Unpackr } from "msgpackr/pack";
import * as beamletErrors from "../errors.ts";
import { From } from "../from.ts";
import { Pid, Ref } from "../pid.ts";
import { UndecodableError, UnencodableError } from "./errors.ts";

// ---------------------------------------------------------------------------
// Tags

const T_UNDEFINED = 0;
const T_NULL = 1;
const T_FALSE = 2;
const T_TRUE = 3;
const T_INT32 = 4;
const T_FLOAT64 = 5;
const T_STRING = 6;
/** A string that is not well-formed UTF-16 (a lone surrogate): u32 count + code units. */
const T_STRING16 = 7;
const T_PID = 8;
const T_REF = 9;
const T_FROM = 10;
/** msgpackr bytes: u32 length + msgpack. */
const T_PACKED = 11;
/** A plain array: u32 length + its items. */
const T_ARRAY = 12;
/** A plain object: u32 count + (key: u32 length + UTF-8, value) pairs. */
const T_OBJECT = 13;

/** Plain objects and arrays are written by hand up to this many entries in all... */
const MAX_NODES = 1024;
/** ...and this deep (a cycle goes past it); beyond, or with anything else inside, msgpackr packs them. */
const MAX_DEPTH = 32;

/** Strings up to this many characters are written and read by hand; longer ones by TextEncoder/TextDecoder. */
const SHORT_STRING = 32;

/**
 * Short ASCII strings read, by a hash of their bytes: a string read again
 * (an object key, a node id, an atom-like tag) is the same string, not a new one.
 */
const STRING_CACHE: (string | undefined)[] = new Array<string | undefined>(4096).fill(undefined);

/** The containers below the root of the value being written by hand (a second visit: shared, so msgpackr). */
const CONTAINERS = new Set<object>();

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();
const EMPTY = new Uint8Array(0);

/** A Pid constructor that takes the scheduler (the third parameter, ignored by a Pid without one). */
const PidOf = Pid as unknown as new (serial: number, node: string, scheduler: number) => Pid;

function schedulerOf(pid: Pid): number {
  return (pid as { scheduler?: number }).scheduler ?? 0;
}

const hasIsWellFormed = typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed ===
  "function";
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `s` holds a lone surrogate (which UTF-8 cannot encode). */
function illFormed(s: string): boolean {
  return hasIsWellFormed
    ? !(s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : LONE_SURROGATE.test(s);
}

function isSharedBuffer(buffer: ArrayBufferLike): boolean {
  return typeof SharedArrayBuffer === "function" && buffer instanceof SharedArrayBuffer;
}

// ---------------------------------------------------------------------------
// Writer

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
        const constructor = (v as { constructor?: unknown }).constructor;
        if (constructor === Pid) return this.#pid(v as Pid);
        if (constructor === Ref) return this.#ref(v as Ref);
        if (constructor === From) return this.#from(v as From);
        if ((constructor === Object || constructor === Array) && this.#tree(v)) return;
        return this.#packed(v, path);
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

// ---------------------------------------------------------------------------
// Reader

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

/** `String.fromCharCode` over many code units, in chunks (the argument count is bounded). */
function fromCharCodes(units: number[]): string {
  let s = "";
  for (let i = 0; i < units.length; i += 8192) {
    s += String.fromCharCode(...units.slice(i, i + 8192));
  }
  return s;
}

// ---------------------------------------------------------------------------
// msgpackr: everything else

const PACKR_OPTIONS = {
  moreTypes: true,
  structuredClone: true,
  copyBuffers: true,
  bundleStrings: false,
};
const PACKR = new Packr(PACKR_OPTIONS);
const UNPACKR = new Unpackr(PACKR_OPTIONS);

/** Marks a -0 inside a packed value (msgpackr writes -0 as the integer 0). */
class NegativeZero {}
/** Marks a string with a lone surrogate inside a packed value (msgpackr writes U+FFFD). */
class IllFormedString {
  constructor(readonly text: string) {}
}

/** The errors of `src/errors.ts` that can be rebuilt from their JSON form, by name. */
const REVIVERS = new Map<
  string,
  { Class: abstract new (...args: never[]) => Error; fromJSON: (json: never) => Error }
>();
for (const value of Object.values(beamletErrors)) {
  const candidate = value as unknown as { prototype?: unknown; fromJSON?: unknown; name: string };
  if (
    typeof value === "function" && candidate.prototype instanceof Error &&
    typeof candidate.fromJSON === "function"
  ) {
    REVIVERS.set(candidate.name, {
      Class: value as unknown as abstract new (...args: never[]) => Error,
      fromJSON: candidate.fromJSON as (json: never) => Error,
    });
  }
}

const BUILTIN_ERRORS: Record<string, new (message?: string) => Error> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

const HAS_CAUSE = 1;
const HAS_CODE = 2;
const HAS_JSON = 4;

type ErrorFields = [
  name: string,
  message: string,
  stack: string | undefined,
  flags: number,
  code: unknown,
  cause: unknown,
  json: unknown,
];

type ErrorLike = Error & { code?: unknown; cause?: unknown; toJSON?: () => unknown };

function textOf(value: unknown): string {
  return value instanceof IllFormedString ? value.text : String(value);
}

/** What the error extension writes of an error. */
function errorFields(error: ErrorLike): ErrorFields {
  const name = textOf(error.name);
  const reviver = REVIVERS.get(name);
  let flags = 0;
  if ("cause" in error) flags |= HAS_CAUSE;
  if (error.code !== undefined) flags |= HAS_CODE;
  let json: unknown;
  if (
    reviver !== undefined && error instanceof reviver.Class && typeof error.toJSON === "function"
  ) {
    json = error.toJSON();
    flags |= HAS_JSON;
  }
  return [
    name,
    // A message with a lone surrogate is a marker here (see withMarkers): keep it one.
    (error.message as unknown) instanceof IllFormedString ? error.message : String(error.message),
    typeof error.stack === "string" ? error.stack : undefined,
    flags,
    flags & HAS_CODE ? error.code : undefined,
    flags & HAS_CAUSE ? error.cause : undefined,
    json,
  ];
}

/** Rebuilds an error: its own class when it has a `fromJSON`, a built-in class by name, or an Error. */
function reviveError(fields: ErrorFields): Error {
  const [name, message, stack, flags, code, cause, json] = fields;
  let error: ErrorLike | undefined;
  if (flags & HAS_JSON) {
    try {
      error = REVIVERS.get(name)?.fromJSON(json as never);
    } catch {
      error = undefined;
    }
  }
  if (error === undefined) {
    const Builtin = Object.hasOwn(BUILTIN_ERRORS, name) ? BUILTIN_ERRORS[name] : Error;
    error = new Builtin(message);
    if (error.name !== name) error.name = name;
    if (flags & HAS_CODE) error.code = code;
  }
  if (error.message !== message) error.message = message;
  if (stack !== undefined) {
    Object.defineProperty(error, "stack", { value: stack, writable: true, configurable: true });
  }
  if (flags & HAS_CAUSE && error.cause !== cause) {
    Object.defineProperty(error, "cause", { value: cause, writable: true, configurable: true });
  }
  return error;
}

addExtension({
  Class: Pid,
  type: 0x50,
  write: (pid: Pid) => [pid.node, pid.serial, schedulerOf(pid)],
  read: ([node, serial, scheduler]: [string, number, number]) => new PidOf(serial, node, scheduler),
});
addExtension({
  Class: Ref,
  type: 0x52,
  write: (ref: Ref) => [ref.node, ref.serial],
  read: ([node, serial]: [string, number]) => new Ref(serial, node),
});
addExtension({
  Class: From,
  type: 0x46,
  write: (from: From) => [from.pid ?? null, from.callId, from.node],
  read: ([pid, callId, node]: [Pid | null, number, string]) =>
    new From(pid ?? undefined, callId, node),
});
addExtension({
  Class: Error,
  type: 0x45,
  write: errorFields,
  read: reviveError,
});
addExtension({
  Class: NegativeZero,
  type: 0x5a,
  write: () => 0,
  read: () => -0,
});
addExtension({
  Class: IllFormedString,
  type: 0x5b,
  write: (marker: IllFormedString) => {
    const units = new Uint16Array(marker.text.length);
    for (let i = 0; i < units.length; i++) units[i] = marker.text.charCodeAt(i);
    return units;
  },
  read: (units: Uint16Array) => fromCharCodes(Array.from(units)),
});

/** msgpack of `v`, after the walk that refuses what cannot cross; an UnencodableError otherwise. */
function pack(v: unknown, path: string): Uint8Array {
  let value = v;
  try {
    const failure = walk(v);
    if (failure !== undefined) {
      throw new UnencodableError(path + failure.path.reverse().join(""), failure.what);
    }
    if (needsMarkers) value = withMarkers(v, new Map());
  } catch (error) {
    if (error instanceof UnencodableError) throw error;
    throw new UnencodableError(path, `a value that cannot be read (${String(error)})`, {
      cause: error,
    });
  } finally {
    SEEN.clear();
    ERRORS_IN_PROGRESS.clear();
    needsMarkers = false;
  }
  try {
    return PACKR.pack(value);
  } catch (error) {
    throw new UnencodableError(path, `a value msgpackr cannot pack (${String(error)})`, {
      cause: error,
    });
  }
}

function unpack(bytes: Uint8Array): unknown {
  try {
    return UNPACKR.unpack(bytes);
  } catch (error) {
    throw new UndecodableError(`packed value does not unpack: ${String(error)}`, { cause: error });
  }
}

// ---------------------------------------------------------------------------
// The walk: refuses what cannot cross, finds what needs a marker

interface Failure {
  what: string;
  /** Path segments, innermost first. */
  path: string[];
}

const SEEN = new Set<object>();
/** The errors the walk (or the copy) is inside of. */
const ERRORS_IN_PROGRESS = new Set<object>();
let needsMarkers = false;

const TYPED_ARRAY_PROTOTYPES = new Set<unknown>(
  [
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
    BigInt64Array,
    BigUint64Array,
  ].map((C) => C.prototype),
);

/** Built-ins msgpackr packs whole, with nothing inside to walk. */
function isLeafBuiltin(value: object, proto: unknown): boolean {
  if (
    proto === Date.prototype || proto === RegExp.prototype || proto === ArrayBuffer.prototype ||
    proto === DataView.prototype || TYPED_ARRAY_PROTOTYPES.has(proto)
  ) return true;
  // Node's Buffer (a Uint8Array subclass msgpackr writes as binary).
  return proto !== null && Object.getPrototypeOf(proto) === Uint8Array.prototype &&
    (value as { constructor?: { name?: unknown } }).constructor?.name === "Buffer";
}

function fail(what: string): Failure {
  return { what, path: [] };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function keySegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function className(value: object): string {
  try {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === "string" && name !== "" ? name : "an anonymous class";
  } catch {
    return "an unknown class";
  }
}

/** Walks `v`: a Failure where something cannot cross; sets `needsMarkers` for -0 and lone surrogates. */
function walk(v: unknown): Failure | undefined {
  switch (typeof v) {
    case "object":
      break;
    case "function":
      return fail("a function");
    case "symbol":
      return fail("a symbol");
    case "number":
      if (v === 0 && 1 / v < 0) needsMarkers = true;
      return undefined;
    case "string":
      if (!needsMarkers && v.length > 0 && illFormed(v)) needsMarkers = true;
      return undefined;
    default:
      return undefined;
  }
  if (v === null) return undefined;
  if (SEEN.has(v)) {
    // A cycle through an error: msgpackr would revive that error as a plain object.
    if (ERRORS_IN_PROGRESS.has(v)) needsMarkers = true;
    return undefined;
  }
  SEEN.add(v);
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    const object = v as Record<string, unknown>;
    for (const key in object) {
      const failure = walk(object[key]);
      if (failure !== undefined) {
        failure.path.push(keySegment(key));
        return failure;
      }
    }
    return undefined;
  }
  if (proto === Array.prototype) {
    const array = v as unknown[];
    for (let i = 0; i < array.length; i++) {
      const failure = walk(array[i]);
      if (failure !== undefined) {
        failure.path.push(`[${i}]`);
        return failure;
      }
    }
    return undefined;
  }
  if (v instanceof Pid || v instanceof Ref || v instanceof From) return undefined;
  if (proto === Map.prototype) {
    let i = 0;
    for (const [key, value] of v as Map<unknown, unknown>) {
      let failure = walk(key);
      if (failure !== undefined) {
        failure.path.push(`[map key ${i}]`);
        return failure;
      }
      failure = walk(value);
      if (failure !== undefined) {
        failure.path.push(`[map value ${i}]`);
        return failure;
      }
      i++;
    }
    return undefined;
  }
  if (proto === Set.prototype) {
    let i = 0;
    for (const item of v as Set<unknown>) {
      const failure = walk(item);
      if (failure !== undefined) {
        failure.path.push(`[set item ${i}]`);
        return failure;
      }
      i++;
    }
    return undefined;
  }
  if (isLeafBuiltin(v, proto)) return undefined;
  if (v instanceof Error) {
    const error = v as ErrorLike;
    ERRORS_IN_PROGRESS.add(error);
    let failure = walk(error.code);
    if (failure !== undefined) {
      failure.path.push(".code");
      return failure;
    }
    if ("cause" in error) {
      failure = walk(error.cause);
      if (failure !== undefined) {
        failure.path.push(".cause");
        return failure;
      }
    }
    ERRORS_IN_PROGRESS.delete(error);
    return undefined;
  }
  return fail(`an instance of ${className(v)}`);
}

/**
 * A copy of `v` (checked by the walk) with markers for -0 and ill-formed
 * strings; shared references and cycles stay shared. Rare: only values
 * holding one of those are copied.
 */
function withMarkers(v: unknown, copies: Map<object, unknown>): unknown {
  switch (typeof v) {
    case "number":
      return v === 0 && 1 / v < 0 ? new NegativeZero() : v;
    case "string":
      return v.length > 0 && illFormed(v) ? new IllFormedString(v) : v;
    case "object":
      break;
    default:
      return v;
  }
  if (v === null) return v;
  const done = copies.get(v);
  // A reference back to an error being copied (a cycle through an error) is dropped.
  if (done !== undefined) return ERRORS_IN_PROGRESS.has(v) ? undefined : done;
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    const copy: Record<string, unknown> = {};
    copies.set(v, copy);
    const object = v as Record<string, unknown>;
    for (const key in object) copy[key] = withMarkers(object[key], copies);
    return copy;
  }
  if (proto === Array.prototype) {
    const array = v as unknown[];
    const copy = new Array<unknown>(array.length);
    copies.set(v, copy);
    for (let i = 0; i < array.length; i++) copy[i] = withMarkers(array[i], copies);
    return copy;
  }
  if (proto === Map.prototype) {
    const copy = new Map<unknown, unknown>();
    copies.set(v, copy);
    for (const [key, value] of v as Map<unknown, unknown>) {
      copy.set(withMarkers(key, copies), withMarkers(value, copies));
    }
    return copy;
  }
  if (proto === Set.prototype) {
    const copy = new Set<unknown>();
    copies.set(v, copy);
    for (const item of v as Set<unknown>) copy.add(withMarkers(item, copies));
    return copy;
  }
  if (v instanceof Error) {
    // Same class and fields, with the code, cause and message marked.
    const error = v as ErrorLike;
    const copy = Object.create(proto) as ErrorLike;
    copies.set(v, copy);
    ERRORS_IN_PROGRESS.add(error);
    for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(error))) {
      if ("value" in descriptor) descriptor.value = withMarkers(descriptor.value, copies);
      Object.defineProperty(copy, key, descriptor);
    }
    ERRORS_IN_PROGRESS.delete(error);
    if (typeof error.stack === "string") {
      Object.defineProperty(copy, "stack", { value: error.stack, configurable: true });
    }
    return copy;
  }
  return v; // pids, refs, froms and the leaf built-ins
}
