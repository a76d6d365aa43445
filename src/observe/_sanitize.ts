/**
 * Telemetry metadata and measurements made safe to send: JSON-encodable,
 * bounded in keys and characters, revealing no object graphs, no stack
 * traces and no source file paths. Pids and refs become their strings,
 * errors `{ name, message }`, arrays of scalars stay (bounded), other
 * objects become a short summary such as `"[Object]"`; `stack` and
 * `stacktrace` fields are dropped, and any text is cut where a stack trace
 * starts, with `file://` URLs and `path:line:column` locations replaced by
 * `[path]`.
 *
 * @module
 */

import { Pid, Ref } from "../pid.ts";

/** Characters kept of a string (longer ones end in `…`). */
export const MAX_STRING = 256;
/** Keys kept of a metadata or measurements record. */
export const MAX_KEYS = 32;
/** Items kept of an array. */
export const MAX_ITEMS = 16;

/** A JSON-safe value. */
export type SafeValue =
  | string
  | number
  | boolean
  | null
  | SafeValue[]
  | { readonly [key: string]: SafeValue };

/** `text` cut to `max` characters. */
export function capString(text: string, max: number = MAX_STRING): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Keys whose values are stack traces. */
const STACK_KEY = /^stack(_?trace)?$/i;
/** Where a stack trace starts: a V8/JSC frame (`\n    at ...`) or a Firefox one (`fn@file:...`). */
const STACK_START = /\n\s*at\s|\n[^\n]*@(?:file|https?|node|ext):/;
/** A `file://` URL, or a path with a line and a column (a source location). */
const SOURCE_LOCATION = /file:\/\/[^\s)'"]*|(?:[A-Za-z]:)?(?:[\\/][^\s\\/()'":]+)+:\d+(?::\d+)?/g;

/** `text` without any stack trace or source path it holds, cut to {@linkcode MAX_STRING}. */
export function scrubText(text: string): string {
  // Scanned no further than a few times what is kept: a huge string costs no more than a short one.
  if (text.length > 4 * MAX_STRING) text = text.slice(0, 4 * MAX_STRING);
  const start = text.search(STACK_START);
  const head = start === -1 ? text : text.slice(0, start);
  return capString(head.replace(SOURCE_LOCATION, "[path]"));
}

/** A scalar (or a summary of anything else); never throws, whatever `value` is. */
function scalar(value: unknown): SafeValue | undefined {
  try {
    return readScalar(value);
  } catch {
    return "[unreadable]"; // a Proxy whose traps throw, a getter that throws
  }
}

function readScalar(value: unknown): SafeValue | undefined {
  switch (typeof value) {
    case "string":
      return scrubText(value);
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "boolean":
      return value;
    case "bigint":
      return capString(String(value));
    case "symbol":
      return capString(value.toString());
    case "undefined":
    case "function":
      return undefined;
  }
  if (value === null) return null;
  if (value instanceof Pid || value instanceof Ref) return String(value);
  if (value instanceof Error) {
    return { name: scrubText(String(value.name)), message: scrubText(String(value.message)) };
  }
  if (Array.isArray(value)) return `[Array(${value.length})]`;
  return `[${className(value as object)}]`;
}

function className(value: object): string {
  try {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return typeof name === "string" && /^[A-Za-z_$][\w$]{0,63}$/.test(name) ? name : "Object";
  } catch {
    return "Object";
  }
}

/** One metadata value: a scalar, an error, or a bounded array of scalars. */
export function sanitizeValue(value: unknown): SafeValue | undefined {
  if (!Array.isArray(value)) return scalar(value);
  const items: SafeValue[] = [];
  for (let i = 0; i < value.length && i < MAX_ITEMS; i++) {
    const item = value[i];
    items.push(Array.isArray(item) ? `[Array(${item.length})]` : scalar(item) ?? null);
  }
  if (value.length > MAX_ITEMS) items.push(`… ${value.length - MAX_ITEMS} more`);
  return items;
}

/**
 * A record of at most {@linkcode MAX_KEYS} sanitized entries (`undefined`
 * values and stack-trace fields left out).
 */
export function sanitizeRecord(record: unknown): Record<string, SafeValue> {
  // No prototype: a key such as "__proto__" stays a plain key.
  const out: Record<string, SafeValue> = Object.create(null);
  if (typeof record !== "object" || record === null) return out;
  let kept = 0;
  try {
    for (const key of Object.keys(record)) {
      if (kept >= MAX_KEYS) break;
      if (STACK_KEY.test(key)) continue;
      const value = sanitizeValue((record as Record<string, unknown>)[key]);
      if (value === undefined) continue;
      out[capString(key, 64)] = value;
      kept++;
    }
  } catch {
    // A throwing getter or proxy: keep what was read.
  }
  return out;
}
