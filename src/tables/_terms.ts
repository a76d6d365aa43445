/**
 * Keys and rows as values (internal): structural equality of rows, the
 * canonical form of a composite key for the hash tables, and the order of
 * keys in an `ordered_set`.
 *
 * - Equality: arrays element by element, plain objects key by key, pids and
 *   refs by value (`equals`), numbers and the other primitives by
 *   SameValueZero (`0` equals `-0`, `NaN` equals `NaN`); any other object
 *   (a class instance, a function) by identity.
 * - Order (`ordered_set`): numbers < strings < arrays; numbers numerically,
 *   strings by UTF-16 code units, arrays element by element with a prefix
 *   first. Nothing else is comparable.
 *
 * @module
 */

import { Pid, Ref } from "../pid.ts";

/**
 * How deep arrays and plain objects may nest in a row or key. Stored rows
 * are copied to at most this depth, so a deeper (or cyclic) key cannot be in
 * any table: it is refused or found absent, never walked forever.
 */
export const MAX_DEPTH = 100;

/** Whether `value` is a plain object (`{}` or `Object.create(null)`). */
export function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Structural equality of two terms (rows, keys, elements). */
export function termEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return a !== a && b !== b; // NaN
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!termEquals(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Pid) return b instanceof Pid && a.equals(b);
  if (a instanceof Ref) return b instanceof Ref && a.equals(b);
  if (Array.isArray(b) || !isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key)) return false;
    if (!termEquals((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) {
      return false;
    }
  }
  return true;
}

/** Ids of objects that compare by identity, inside composite keys. */
const identities = new WeakMap<object, number>();
/** Ids of symbols inside composite keys (symbols are few; kept). */
const symbols = new Map<symbol, number>();
let nextIdentity = 1;

function identityOf(value: object): number {
  let id = identities.get(value);
  if (id === undefined) identities.set(value, id = nextIdentity++);
  return id;
}

/**
 * The canonical string of a composite key (an array, a plain object, a pid or
 * a ref): two keys equal by {@linkcode termEquals} have the same string.
 * `undefined` for a key nested deeper than {@linkcode MAX_DEPTH} (or
 * cyclic), which no table holds.
 */
export function encodeKey(key: object): string | undefined {
  const parts: string[] = [];
  return encodeInto(key, parts, 0) ? parts.join("") : undefined;
}

/** Appends the code of `value` to `out`; false when it nests too deep. */
function encodeInto(value: unknown, out: string[], depth: number): boolean {
  switch (typeof value) {
    case "number":
      out.push(value === 0 ? "n0" : `n${value}`); // -0 is 0
      return true;
    case "string":
      out.push("s", JSON.stringify(value));
      return true;
    case "boolean":
      out.push(value ? "T" : "F");
      return true;
    case "undefined":
      out.push("U");
      return true;
    case "bigint":
      out.push(`i${value}`);
      return true;
    case "symbol": {
      let id = symbols.get(value);
      if (id === undefined) symbols.set(value, id = nextIdentity++);
      out.push(`y${id}`);
      return true;
    }
    case "function":
      out.push(`o${identityOf(value)}`);
      return true;
  }
  if (value === null) {
    out.push("Z");
    return true;
  }
  if (depth >= MAX_DEPTH) return false;
  const object = value as object;
  if (Array.isArray(object)) {
    out.push("[");
    for (let i = 0; i < object.length; i++) {
      if (i > 0) out.push(",");
      if (!encodeInto(object[i], out, depth + 1)) return false;
    }
    out.push("]");
  } else if (object instanceof Pid) {
    out.push(`p${object.node}.${object.serial}`);
  } else if (object instanceof Ref) {
    out.push(`r${String(object)}`);
  } else if (isPlainObject(object)) {
    out.push("{");
    const keys = Object.keys(object).sort();
    for (const key of keys) {
      out.push(JSON.stringify(key), ":");
      if (!encodeInto((object as Record<string, unknown>)[key], out, depth + 1)) return false;
      out.push(",");
    }
    out.push("}");
  } else {
    out.push(`o${identityOf(object)}`);
  }
  return true;
}

/** Whether `key` can be a key of an `ordered_set`: a finite-or-infinite number (not NaN), a string, or an array of those. */
export function isComparableKey(key: unknown, depth = 0): boolean {
  switch (typeof key) {
    case "number":
      return key === key;
    case "string":
      return true;
    case "object":
      if (!Array.isArray(key) || depth >= MAX_DEPTH) return false;
      for (let i = 0; i < key.length; i++) if (!isComparableKey(key[i], depth + 1)) return false;
      return true;
    default:
      return false;
  }
}

/** Rank of a comparable key's class: numbers, then strings, then arrays. */
function rank(key: unknown): number {
  return typeof key === "number" ? 0 : typeof key === "string" ? 1 : 2;
}

/** The order of `ordered_set` keys (both comparable): negative, zero or positive. */
export function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  const x = a as unknown[];
  const y = b as unknown[];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const order = compareKeys(x[i], y[i]);
    if (order !== 0) return order;
  }
  return x.length - y.length;
}
