/**
 * The codec's wire format (internal): the one-byte tag each value starts
 * with, and the helpers its parts share — the `Writer` of
 * `_codec_writer.ts`, the `Reader` of `_codec_reader.ts` and the msgpackr
 * extensions of `_codec_msgpackr.ts`.
 *
 * Each value is a tag and its fields, little-endian: nothing for
 * `undefined`, `null` and the booleans, 4 bytes for an int32, a float64 for
 * other numbers, u32 byte length + UTF-8 for a string, u32 count + UTF-16
 * code units for a string with a lone surrogate, node + serial (+ scheduler)
 * for pids, refs and froms, u32 count + entries for plain arrays and
 * objects, and u32 length + msgpack for anything msgpackr packs.
 *
 * @module
 */

import { Pid } from "../pid.ts";

/** `undefined`: the tag alone. */
export const T_UNDEFINED = 0;
/** `null`: the tag alone. */
export const T_NULL = 1;
/** `false`: the tag alone. */
export const T_FALSE = 2;
/** `true`: the tag alone. */
export const T_TRUE = 3;
/** A number that is an int32 (not -0): 4 bytes. */
export const T_INT32 = 4;
/** Any other number (NaN, -0 and the infinities too): a float64. */
export const T_FLOAT64 = 5;
/** A well-formed string: u32 byte length + UTF-8. */
export const T_STRING = 6;
/** A string that is not well-formed UTF-16 (a lone surrogate): u32 count + code units. */
export const T_STRING16 = 7;
/** A {@linkcode Pid}: node (u32 length + UTF-8) + serial and scheduler (float64s). */
export const T_PID = 8;
/** A `Ref`: node (u32 length + UTF-8) + serial (float64). */
export const T_REF = 9;
/** A `From`: u8 1 + its pid's node, serial and scheduler (or u8 0: no pid), call id (float64), node. */
export const T_FROM = 10;
/** msgpackr bytes: u32 length + msgpack. */
export const T_PACKED = 11;
/** A plain array: u32 length + its items. */
export const T_ARRAY = 12;
/** A plain object: u32 count + (key: u32 length + UTF-8, value) pairs. */
export const T_OBJECT = 13;

/** Strings up to this many characters are written and read by hand; longer ones by TextEncoder/TextDecoder. */
export const SHORT_STRING = 32;

/** A Pid constructor that takes the scheduler (the third parameter, ignored by a Pid without one). */
export const PidOf = Pid as unknown as new (serial: number, node: string, scheduler: number) => Pid;

/** The scheduler of `pid` (0 for a pid without one). */
export function schedulerOf(pid: Pid): number {
  return (pid as { scheduler?: number }).scheduler ?? 0;
}

const hasIsWellFormed = typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed ===
  "function";
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `s` holds a lone surrogate (which UTF-8 cannot encode). */
export function illFormed(s: string): boolean {
  return hasIsWellFormed
    ? !(s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : LONE_SURROGATE.test(s);
}

/** `String.fromCharCode` over many code units, in chunks (the argument count is bounded). */
export function fromCharCodes(units: number[]): string {
  let s = "";
  for (let i = 0; i < units.length; i += 8192) {
    s += String.fromCharCode(...units.slice(i, i + 8192));
  }
  return s;
}
