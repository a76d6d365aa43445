/**
 * The check before msgpackr packs a value (internal): a walk over it refuses
 * what msgpackr would silently change (a function, a symbol, an instance of
 * a class without a codec — msgpackr would send its fields as a plain
 * object) with an {@linkcode UnencodableError} naming where it is; and it
 * finds the two values msgpackr cannot hold (-0 and strings with lone
 * surrogates), rare enough that a value holding one is copied with markers
 * in their place, which the extensions of `_codec_msgpackr.ts` write.
 *
 * @module
 */

import { From } from "../from.ts";
import { Pid, Ref } from "../pid.ts";
import { UnencodableError } from "./errors.ts";
import { illFormed } from "./_codec_format.ts";

/** Marks a -0 inside a packed value (msgpackr writes -0 as the integer 0). */
export class NegativeZero {}
/** Marks a string with a lone surrogate inside a packed value (msgpackr writes U+FFFD). */
export class IllFormedString {
  /** A marker for `text`. */
  constructor(readonly text: string) {}
}

/** An error with the fields the codec carries besides `name`, `message` and `stack`. */
export type ErrorLike = Error & { code?: unknown; cause?: unknown; toJSON?: () => unknown };

/**
 * `v` ready for msgpackr, after the walk that refuses what cannot cross:
 * `v` itself, or a copy with markers for -0 and ill-formed strings. Throws
 * an {@linkcode UnencodableError} when `v` holds what cannot cross, naming
 * where it is (`path` names `v`), or when reading `v` throws (a getter).
 */
export function packable(v: unknown, path: string): unknown {
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
  return value;
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
