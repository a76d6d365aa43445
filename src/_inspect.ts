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

/**
 * `value` as a string of at most `max` characters (an ellipsis marks a cut).
 * A string prints as itself; anything else as described in the module doc.
 * Never throws.
 */
export function inspect(value: unknown, max = 200): string {
  let text: string;
  try {
    text = typeof value === "string" ? value : print(value, 0, [], { budget: max + 1 });
  } catch {
    text = "[unreadable]"; // belt and braces: print guards every access itself
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** How many more characters the printer may produce before it stops descending. */
interface Budget {
  budget: number;
}

function print(value: unknown, depth: number, seen: object[], out: Budget): string {
  const text = printValue(value, depth, seen, out);
  out.budget -= text.length;
  return text;
}

function printValue(value: unknown, depth: number, seen: object[], out: Budget): string {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "boolean":
    case "undefined":
      return String(value);
    case "symbol":
      return String(value); // SymbolDescriptiveString: cannot be overridden
    case "function":
      return `[Function ${safeName(value)}]`;
  }
  if (value === null) return "null";
  const object = value as object;
  if (seen.includes(object)) return "[Circular]";
  if (depth >= MAX_DEPTH || out.budget <= 0) return isArray(object) ? "[…]" : "{…}";
  seen.push(object);
  try {
    const error = errorText(object);
    if (error !== undefined) return error;
    const json = toJSONOf(object);
    if (json !== NONE) return print(json, depth + 1, seen, out);
    return isArray(object)
      ? printArray(object, depth, seen, out)
      : printObject(object, depth, seen, out);
  } finally {
    seen.pop();
  }
}

function printArray(array: unknown[], depth: number, seen: object[], out: Budget): string {
  const length = read(() => array.length);
  if (typeof length !== "number") return "[unreadable]";
  const items: string[] = [];
  for (let i = 0; i < length && i < MAX_ENTRIES && out.budget > 0; i++) {
    const item = read(() => array[i], UNREADABLE);
    items.push(item === UNREADABLE ? "[unreadable]" : print(item, depth + 1, seen, out));
  }
  if (length > items.length) items.push(`…${length - items.length} more`);
  return `[${items.join(",")}]`;
}

function printObject(object: object, depth: number, seen: object[], out: Budget): string {
  const keys = read(() => Object.keys(object));
  if (!Array.isArray(keys)) return "[unreadable]";
  const entries: string[] = [];
  for (const key of keys) {
    if (entries.length >= MAX_ENTRIES || out.budget <= 0) break;
    const item = read(() => (object as Record<string, unknown>)[key], UNREADABLE);
    const text = item === UNREADABLE ? "[unreadable]" : print(item, depth + 1, seen, out);
    entries.push(`${quote(key)}:${text}`);
  }
  if (keys.length > entries.length) entries.push(`…${keys.length - entries.length} more`);
  const body = `{${entries.join(",")}}`;
  const name = className(object);
  return name === undefined ? body : `${name} ${body}`;
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
  return typeof name === "string" && name !== "" ? name.slice(0, MAX_STRING) : "anonymous";
}

function isArray(object: object): object is unknown[] {
  return read(() => Array.isArray(object), false) === true; // a revoked Proxy throws here
}

function quote(text: string): string {
  return JSON.stringify(text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text);
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
