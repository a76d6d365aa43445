/**
 * A bounded, never-throwing printer for values a process produced (internal):
 * exit reasons, bad results, crashed messages.
 *
 * A process can hand the runtime anything: a cycle, a null-prototype object
 * holding a BigInt, a Proxy whose every trap throws, an object whose getters
 * throw or whose `toJSON` returns itself. Printing such a value with
 * `JSON.stringify` or `String()` throws, and a throw there used to escape the
 * scheduler. This printer reads each property inside its own `try`, stops at
 * a depth and a length, marks cycles, and falls back to a placeholder for
 * anything it cannot read — so it always returns a string, in time bounded by
 * `max` (the number of properties it visits is bounded too, whatever the size
 * of the value).
 *
 * The output is JSON where the value is plain data (`{"shutdown":"deploy"}`),
 * with readable forms for what JSON cannot hold (`10n`, `Symbol(x)`,
 * `[Function f]`, `NaN`, `[Circular]`, `[unreadable]`).
 *
 * @module
 */

/** Objects and arrays nested deeper than this print as `{…}` / `[…]`. */
const MAX_DEPTH = 4;
/** Properties or items printed per object or array. */
const MAX_ENTRIES = 12;
/** Strings inside a value are cut at this many characters. */
const MAX_STRING = 120;

/** How far the printer descends: nesting depth, entries per container, characters per string. */
export interface PrintLimits {
  /** Containers nested deeper than this print as `{…}` / `[…]`. */
  readonly depth: number;
  /** Properties or items printed per object, array, Map or Set. */
  readonly entries: number;
  /** Strings inside a value are cut at this many characters. */
  readonly string: number;
}

const DEFAULT_LIMITS: PrintLimits = { depth: MAX_DEPTH, entries: MAX_ENTRIES, string: MAX_STRING };

/**
 * `value` as a string of at most `max` characters (an ellipsis marks a cut).
 * A string prints as itself; anything else as described in the module doc.
 * Never throws.
 */
export function inspect(value: unknown, max = 200): string {
  if (typeof value === "string") return value.length > max ? `${value.slice(0, max)}…` : value;
  return inspectBounded(value, max, DEFAULT_LIMITS).text;
}

/**
 * `value` printed as data — a string quoted too — in at most `max`
 * characters (then an ellipsis), within `limits`; `elided` says whether
 * anything was left out (a cut, a `…N more`, a `{…}`). The same value gives
 * the same text. Never throws.
 */
export function inspectBounded(
  value: unknown,
  max: number,
  limits: PrintLimits,
): { text: string; elided: boolean } {
  const walk: Walk = { budget: max + 1, limits, elided: false };
  let text: string;
  try {
    text = print(value, 0, [], walk);
  } catch {
    text = "[unreadable]"; // belt and braces: print guards every access itself (a stack overflow)
  }
  if (text.length <= max) return { text, elided: walk.elided };
  return { text: `${text.slice(0, max)}…`, elided: true };
}

/** One printing: how many more characters it may produce before it stops descending, and its limits. */
interface Walk {
  budget: number;
  readonly limits: PrintLimits;
  /** Something was left out. */
  elided: boolean;
}

function print(value: unknown, depth: number, seen: object[], out: Walk): string {
  const before = out.budget;
  const text = printValue(value, depth, seen, out);
  // What its entries took is charged already: each character is charged once.
  out.budget -= Math.max(0, text.length - (before - out.budget));
  return text;
}

function printValue(value: unknown, depth: number, seen: object[], out: Walk): string {
  switch (typeof value) {
    case "string":
      return quote(value, out);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "boolean":
    case "undefined":
      return String(value);
    case "symbol":
      return printable(String(value)); // SymbolDescriptiveString: cannot be overridden
    case "function":
      return `[Function ${safeName(value)}]`;
  }
  if (value === null) return "null";
  const object = value as object;
  if (seen.includes(object)) return "[Circular]";
  if (depth >= out.limits.depth || out.budget <= 0) {
    out.elided = true;
    return isArray(object) ? "[…]" : "{…}";
  }
  seen.push(object);
  try {
    const error = errorText(object);
    if (error !== undefined) return error;
    const json = toJSONOf(object);
    if (json !== NONE) return print(json, depth + 1, seen, out);
    const collection = printCollection(object, depth, seen, out);
    if (collection !== undefined) return collection;
    return isArray(object)
      ? printArray(object, depth, seen, out)
      : printObject(object, depth, seen, out);
  } finally {
    seen.pop();
  }
}

function printArray(array: unknown[], depth: number, seen: object[], out: Walk): string {
  const length = read(() => array.length);
  if (typeof length !== "number") return "[unreadable]";
  const items: string[] = [];
  for (let i = 0; i < length && i < out.limits.entries && out.budget > 0; i++) {
    const item = read(() => array[i], UNREADABLE);
    items.push(item === UNREADABLE ? "[unreadable]" : print(item, depth + 1, seen, out));
  }
  if (length > items.length) items.push(more(length - items.length, out));
  return `[${items.join(",")}]`;
}

function printObject(object: object, depth: number, seen: object[], out: Walk): string {
  const keys = read(() => Object.keys(object));
  if (!Array.isArray(keys)) return "[unreadable]";
  const entries: string[] = [];
  for (const key of keys) {
    if (entries.length >= out.limits.entries || out.budget <= 0) break;
    const item = read(() => (object as Record<string, unknown>)[key], UNREADABLE);
    const text = item === UNREADABLE ? "[unreadable]" : print(item, depth + 1, seen, out);
    entries.push(`${quote(key, out)}:${text}`);
  }
  if (keys.length > entries.length) entries.push(more(keys.length - entries.length, out));
  const body = `{${entries.join(",")}}`;
  const name = className(object);
  return name === undefined ? body : `${name} ${body}`;
}

/** `…N more`, for entries left out. */
function more(count: number, out: Walk): string {
  out.elided = true;
  return `…${count} more`;
}

// Intrinsics read once, before any user code runs: a Map, a Set, a typed array or
// an ArrayBuffer is recognised by its internal slots (a Proxy or an object with
// a borrowed prototype is not one), never by properties a value could fake.
const mapSize = getterOf(Map.prototype, "size");
const setSize = getterOf(Set.prototype, "size");
const mapEntries = Map.prototype.entries;
const setValues = Set.prototype.values;
const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedLength = getterOf(typedArrayPrototype, "length");
const typedTag = getterOf(typedArrayPrototype, Symbol.toStringTag);
const bufferLength = getterOf(ArrayBuffer.prototype, "byteLength");
const regExpToString = RegExp.prototype.toString;

function getterOf(prototype: object, key: PropertyKey): (this: unknown) => unknown {
  return Object.getOwnPropertyDescriptor(prototype, key)!.get!;
}

/** A Map, a Set, a typed array, an ArrayBuffer or a RegExp, printed; undefined for anything else. */
function printCollection(
  object: object,
  depth: number,
  seen: object[],
  out: Walk,
): string | undefined {
  if (read(() => object instanceof Map, false) === true) {
    const size = read(() => mapSize.call(object));
    if (typeof size !== "number") return undefined; // a fake: printed as an object
    const entries = read(() => mapEntries.call(object) as Iterator<[unknown, unknown]>);
    return printEntries(`Map(${size})`, size, entries, true, depth, seen, out);
  }
  if (read(() => object instanceof Set, false) === true) {
    const size = read(() => setSize.call(object));
    if (typeof size !== "number") return undefined;
    const values = read(() => setValues.call(object) as Iterator<unknown>);
    return printEntries(`Set(${size})`, size, values, false, depth, seen, out);
  }
  if (ArrayBuffer.isView(object)) {
    const tag = read(() => typedTag.call(object));
    if (typeof tag !== "string") return "DataView {}";
    const length = read(() => typedLength.call(object)) as number;
    const view = object as unknown as ArrayLike<unknown>;
    const items: string[] = [];
    for (let i = 0; i < length && i < out.limits.entries && out.budget > 0; i++) {
      items.push(print(view[i], depth + 1, seen, out));
    }
    if (length > items.length) items.push(more(length - items.length, out));
    return `${tag}(${length}) [${items.join(",")}]`;
  }
  if (read(() => object instanceof ArrayBuffer, false) === true) {
    const bytes = read(() => bufferLength.call(object));
    if (typeof bytes === "number") return `ArrayBuffer { byteLength: ${bytes} }`;
  }
  if (read(() => object instanceof RegExp, false) === true) {
    const source = read(() => regExpToString.call(object));
    if (typeof source === "string") return printable(cut(source, out));
  }
  return undefined;
}

/** The entries of a Map (`key=>value`) or a Set, read through its iterator, at most the limit. */
function printEntries(
  head: string,
  size: number,
  iterator: unknown,
  pairs: boolean,
  depth: number,
  seen: object[],
  out: Walk,
): string {
  if (iterator === undefined) return `${head} {[unreadable]}`;
  const items: string[] = [];
  const it = iterator as Iterator<unknown>;
  while (items.length < out.limits.entries && out.budget > 0) {
    const next = read(() => it.next());
    if (next === undefined || next.done) break;
    if (pairs) {
      const [key, value] = next.value as [unknown, unknown];
      items.push(`${print(key, depth + 1, seen, out)}=>${print(value, depth + 1, seen, out)}`);
    } else {
      items.push(print(next.value, depth + 1, seen, out));
    }
  }
  if (size > items.length) items.push(more(size - items.length, out));
  return `${head} {${items.join(",")}}`;
}

/** `Name: message` for an Error (or anything whose prototype chain says so), else undefined. */
function errorText(object: object): string | undefined {
  if (read(() => object instanceof Error, false) !== true) return undefined;
  const name = read(() => (object as Error).name);
  const message = read(() => (object as Error).message);
  const shownName = typeof name === "string" ? name.slice(0, MAX_STRING) : "Error";
  if (typeof message !== "string") return shownName;
  return message === "" ? shownName : `${shownName}: ${message.slice(0, MAX_STRING)}`;
}

const NONE = Symbol("none");
const UNREADABLE = Symbol("unreadable");

/** What `JSON.stringify` would print instead of the object (a Pid's string form, a Date's ISO time). */
function toJSONOf(object: object): unknown {
  const toJSON = read(() => (object as { toJSON?: unknown }).toJSON);
  if (typeof toJSON !== "function") return NONE;
  const json = read(() => toJSON.call(object), UNREADABLE);
  if (json === UNREADABLE) return "[unreadable]";
  return json === object ? NONE : json;
}

/** The constructor's name of a class instance; undefined for plain and null-prototype objects. */
function className(object: object): string | undefined {
  const proto = read(() => Object.getPrototypeOf(object), UNREADABLE);
  if (proto === null || proto === Object.prototype) return undefined;
  if (proto === UNREADABLE) return "[unreadable prototype]";
  const ctor = read(() => (proto as { constructor?: unknown }).constructor);
  return typeof ctor === "function" ? safeName(ctor) : undefined;
}

function safeName(fn: unknown): string {
  const name = read(() => (fn as { name?: unknown }).name);
  return typeof name === "string" && name !== ""
    ? printable(name.slice(0, MAX_STRING))
    : "anonymous";
}

/** Control characters and line separators: printed as `\uXXXX`, so a name prints on one line. */
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function isArray(object: object): object is unknown[] {
  return read(() => Array.isArray(object), false) === true; // a revoked Proxy throws here
}

/** `text` cut at the string limit (an ellipsis marks the cut). */
function cut(text: string, out: Walk): string {
  if (text.length <= out.limits.string) return text;
  out.elided = true;
  return `${text.slice(0, out.limits.string)}…`;
}

function quote(text: string, out?: Walk): string {
  return JSON.stringify(out === undefined ? cutAt(text, MAX_STRING) : cut(text, out));
}

function cutAt(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Whether `value` is an Error (false for a Proxy whose prototype trap throws). Never throws. */
export function isError(value: unknown): value is Error {
  return read(() => value instanceof Error, false) === true;
}

/** The stack of an Error, if it can be read. Never throws. */
export function stackOf(value: unknown): string | undefined {
  if (!isError(value)) return undefined;
  const stack = read(() => value.stack);
  return typeof stack === "string" ? stack : undefined;
}

/** `get()`, or `fallback` when it throws. */
function read<T, F = undefined>(get: () => T, fallback?: F): T | F {
  try {
    return get();
  } catch {
    return fallback as F;
  }
}

/**
 * What a value is, for an error message about a bad argument: its type and,
 * for primitives, a bounded rendering (`string "100"`, `bigint 100n`,
 * `object Array`, `null`). Never throws.
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "object": {
      const name = isArray(value) ? "Array" : className(value);
      return name === undefined ? "an object" : `object ${name}`;
    }
    case "function":
      return `function ${safeName(value)}`;
    case "string":
      return `string ${quote(value)}`;
    default:
      return `${typeof value} ${inspect(value, 60)}`;
  }
}
