/**
 * Match patterns of `Table.match`: a row-shaped array in which {@linkcode ANY}
 * matches any element and every other element must equal the row's
 * (structurally). Arrays and plain objects inside a pattern are patterns
 * themselves: an object pattern matches an object that has at least its keys,
 * each matching.
 *
 * @module
 */

import { isPlainObject, MAX_DEPTH, termEquals } from "./_terms.ts";

/**
 * The wildcard of a match pattern (ETS's `'_'`).
 *
 * @example Every session of one user
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 * import { ANY, Table } from "@beamlet/beamlet/tables";
 *
 * const system = new System();
 * const owner = await system.start({ init: () => ok(null) });
 * const sessions = new Table<[string, string, number]>(system, { owner, type: "bag" });
 * sessions.insert(["s1", "ada", 1]);
 * sessions.insert(["s2", "ada", 2]);
 * sessions.insert(["s3", "bob", 3]);
 * console.log(sessions.match([ANY, "ada", ANY]).length); // 2
 * ```
 */
export const ANY: unique symbol = Symbol.for("beamlet.tables.ANY");

/**
 * A pattern for rows of type `R`: each element is {@linkcode ANY}, a value, or
 * (for arrays and objects) a nested pattern.
 *
 * @example
 * ```ts
 * import { ANY, type MatchPattern } from "@beamlet/beamlet/tables";
 *
 * const pattern: MatchPattern<[string, number]> = ["ada", ANY];
 * ```
 */
export type MatchPattern<R extends readonly unknown[]> = { [I in keyof R]: PatternOf<R[I]> };

/**
 * A pattern for one element of type `T`.
 *
 * @example
 * ```ts
 * import { ANY, type PatternOf } from "@beamlet/beamlet/tables";
 *
 * const element: PatternOf<{ city: string; zip: number }> = { city: "Lyon", zip: ANY };
 * ```
 */
export type PatternOf<T> =
  | typeof ANY
  | (T extends readonly unknown[] ? MatchPattern<T>
    : T extends object ? { [P in keyof T]?: PatternOf<T[P]> }
    : T);

/** Whether `pattern` has no wildcard anywhere (it is a plain value). */
export function isGround(pattern: unknown, depth = 0): boolean {
  if (pattern === ANY) return false;
  // Deeper than any stored row: matches nothing, wildcard or not.
  if (typeof pattern !== "object" || pattern === null || depth >= MAX_DEPTH) return true;
  if (Array.isArray(pattern)) return pattern.every((element) => isGround(element, depth + 1));
  if (!isPlainObject(pattern)) return true;
  return Object.values(pattern).every((element) => isGround(element, depth + 1));
}

/** Whether `value` matches `pattern`. */
export function matches(pattern: unknown, value: unknown): boolean {
  if (pattern === ANY) return true;
  if (typeof pattern !== "object" || pattern === null) return termEquals(pattern, value);
  if (Array.isArray(pattern)) {
    if (!Array.isArray(value) || value.length !== pattern.length) return false;
    for (let i = 0; i < pattern.length; i++) if (!matches(pattern[i], value[i])) return false;
    return true;
  }
  if (!isPlainObject(pattern)) return termEquals(pattern, value);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  for (const key of Object.keys(pattern)) {
    if (!Object.hasOwn(value, key)) return false;
    const sub = (pattern as Record<string, unknown>)[key];
    if (!matches(sub, (value as Record<string, unknown>)[key])) return false;
  }
  return true;
}
