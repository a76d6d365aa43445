/**
 * The renderer of state previews (internal): checks the bounds and prints a
 * value with the runtime's never-throwing printer (`src/_inspect.ts`), with
 * the caller's bounds instead of the crash-report ones.
 *
 * @module
 */

import { inspect, inspectBounded, type PrintLimits } from "../_inspect.ts";
import { readOptions } from "../_options.ts";
import type { StatePreviewOptions } from "./state_preview.ts";

/** Default characters of a preview. */
export const DEFAULT_MAX_CHARS = 4096;
/** Default depth of a preview. */
export const DEFAULT_MAX_DEPTH = 6;
/** Default entries per container of a preview. */
export const DEFAULT_MAX_ITEMS = 50;
/** Characters of one string inside a preview, at most (a long token does not hide the rest). */
const MAX_STRING = 1024;

/** Checked bounds of a preview. */
export interface PreviewBounds {
  readonly maxChars: number;
  readonly limits: PrintLimits;
}

/** `options` checked: a TypeError for anything but an options object, a RangeError for a bad bound. */
export function previewBounds(
  where: string,
  options: StatePreviewOptions | undefined,
): PreviewBounds {
  if (options === undefined) options = {};
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${where}: options must be an object, got ${inspect(options, 60)}`);
  }
  const o = options;
  return readOptions(`${where}: options`, () => {
    const maxChars = bound(where, "maxChars", o.maxChars, DEFAULT_MAX_CHARS, 32, 1_048_576);
    const depth = bound(where, "maxDepth", o.maxDepth, DEFAULT_MAX_DEPTH, 0, 32);
    const entries = bound(where, "maxItems", o.maxItems, DEFAULT_MAX_ITEMS, 1, 10_000);
    return { maxChars, limits: { depth, entries, string: Math.min(maxChars, MAX_STRING) } };
  });
}

function bound(
  where: string,
  what: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") {
    throw new TypeError(`${where}: ${what} must be a number, got ${inspect(value, 60)}`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${where}: ${what} must be an integer in ${min}..${max}, got ${value}`);
  }
  return value;
}

/** `value` as preview text within `bounds`, and whether anything was left out. Never throws. */
export function renderPreview(
  value: unknown,
  bounds: PreviewBounds,
): { text: string; truncated: boolean } {
  const { text, elided } = inspectBounded(value, bounds.maxChars, bounds.limits);
  return { text, truncated: elided };
}

/** What a `formatStatus` threw, as a bounded line: `Name: message`, or the value printed. Never throws. */
export function thrownText(error: unknown): string {
  return inspect(error, 200);
}
