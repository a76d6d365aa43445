/**
 * fast-check generators of the table tests (private: not a test file):
 * keys from small domains (so that keys collide and array keys are equal by
 * structure, not identity), rows, and the operations of the model-based
 * property.
 *
 * @module
 */

import fc from "fast-check";
import type { CounterOp, RangeBounds } from "./_model.ts";
import type { Row } from "./_term.ts";

/** A scalar key element: a few numbers and strings. */
export const scalarKey: fc.Arbitrary<number | string> = fc.oneof(
  fc.constantFrom(0, 1, 2, -1, 2.5),
  fc.constantFrom("a", "b", "ab", "", "B"),
);

/** A key: a number, a string, or a (short, sometimes nested) array of those. Fresh arrays every time. */
export const smallKey: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: scalarKey, weight: 3 },
  {
    arbitrary: fc.array(fc.oneof(fc.constantFrom(0, 1), fc.constantFrom("a", "b")), {
      maxLength: 2,
    }),
    weight: 2,
  },
  {
    arbitrary: fc.tuple(fc.constantFrom(0, "a"), fc.array(fc.constant(1), { maxLength: 1 })),
    weight: 1,
  },
);

/** Keys from a wide domain (ordered_set ordering tests): any finite number, any string, nested arrays. */
export const wideKey: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  key: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
    fc.oneof(fc.string({ maxLength: 3 }), fc.string({ unit: "binary", maxLength: 2 })),
    fc.array(tie("key"), { maxLength: 3 }),
  ),
})).key;

/** A value column: a few numbers (counters) and a string (a counter that is not a number). */
export const smallValue: fc.Arbitrary<unknown> = fc.constantFrom(0, 1, 2, 5, "x");

/** A row of three columns, its key at `keyPos`. */
export function rowOf(keyPos: number, key: unknown, a: unknown, b: unknown): Row {
  return keyPos === 0 ? [key, a, b] : keyPos === 1 ? [a, key, b] : [a, b, key];
}

/** A row of three columns, its key from `keys` at `keyPos`. */
export function rowArb(keyPos: number, keys: fc.Arbitrary<unknown> = smallKey): fc.Arbitrary<Row> {
  return fc.tuple(keys, smallValue, smallValue).map(([k, a, b]) => rowOf(keyPos, k, a, b));
}

/** A key for an operation: a drawn one, or (pick) the pick-th key of the table, when there is one. */
export interface KeyChoice {
  readonly key: unknown;
  readonly pick: number | null;
}

/** A predicate of `select`: a column equals a value, or a numeric column is below a bound. */
export type PredicateSpec =
  | { readonly col: number; readonly equals: unknown }
  | { readonly col: number; readonly below: number };

/** A pattern element before the wildcard is put in: "ANY", ["sub", ...] or a term. */
export type PatternSpec = readonly (
  | { readonly any: true }
  | { readonly sub: readonly ({ readonly any: true } | { readonly term: unknown })[] }
  | { readonly term: unknown }
)[];

/** An operation of the model-based property. */
export type Op =
  | { readonly op: "insert"; readonly row: Row; readonly pick: number | null }
  | { readonly op: "insertMany"; readonly rows: readonly Row[] }
  | { readonly op: "insertNew"; readonly row: Row }
  | { readonly op: "insertNewMany"; readonly rows: readonly Row[] }
  | {
    readonly op: "lookup" | "get" | "member" | "delete" | "take" | "lookupElement";
    readonly key: KeyChoice;
    readonly pos: number;
  }
  | { readonly op: "deleteObject"; readonly row: Row; readonly pick: number | null }
  | {
    readonly op: "updateCounter";
    readonly key: KeyChoice;
    readonly form: "incr" | "op" | "ops";
    readonly ops: readonly CounterOp[];
    readonly defaultValues: readonly [unknown, unknown] | null;
  }
  | {
    readonly op: "updateElement";
    readonly key: KeyChoice;
    readonly form: "single" | "list";
    readonly updates: readonly (readonly [number, unknown])[];
  }
  | { readonly op: "match"; readonly pattern: PatternSpec }
  | {
    readonly op: "select";
    readonly mode: "select" | "count" | "delete";
    readonly predicate: PredicateSpec;
  }
  | { readonly op: "range"; readonly bounds: RangeBounds }
  | { readonly op: "walk"; readonly backwards: boolean }
  | { readonly op: "nextOf"; readonly key: unknown }
  | { readonly op: "deleteAll" }
  | { readonly op: "setHeir"; readonly heir: number | null; readonly data: number }
  | { readonly op: "killOther"; readonly who: number }
  | { readonly op: "ownerExit"; readonly how: "kill" | "crash" | "shutdown" };

const keyChoice: fc.Arbitrary<KeyChoice> = fc.record({
  key: smallKey,
  pick: fc.option(fc.nat({ max: 50 }), { freq: 2 }),
});

function counterOps(keyPos: number): fc.Arbitrary<CounterOp[]> {
  const cols = [0, 1, 2].filter((c) => c !== keyPos);
  const op: fc.Arbitrary<CounterOp> = fc.record(
    {
      pos: fc.constantFrom(...cols),
      incr: fc.integer({ min: -3, max: 3 }),
      threshold: fc.integer({ min: -2, max: 4 }),
      setValue: fc.integer({ min: -1, max: 3 }),
    },
    { requiredKeys: ["pos", "incr"] },
  ).map((o) =>
    // A threshold only comes with its setValue.
    o.threshold === undefined || o.setValue === undefined ? { pos: o.pos, incr: o.incr } : o
  );
  return fc.array(op, { minLength: 1, maxLength: 3 });
}

const patternElement = fc.oneof(
  { arbitrary: fc.constant({ any: true as const }), weight: 3 },
  { arbitrary: fc.oneof(smallKey, smallValue).map((term) => ({ term })), weight: 2 },
  {
    arbitrary: fc.array(
      fc.oneof(
        fc.constant({ any: true as const }),
        fc.constantFrom(0, 1, "a", "b").map((term) => ({ term })),
      ),
      { maxLength: 2 },
    ).map((sub) => ({ sub })),
    weight: 1,
  },
);

/** Range bounds over `keys`: each side strict or not, or absent; a limit up to `maxLimit`. */
export function rangeBoundsArb(
  keys: fc.Arbitrary<unknown>,
  minLimit: number,
  maxLimit: number,
): fc.Arbitrary<RangeBounds> {
  return fc.record({
    lower: fc.option(fc.tuple(fc.boolean(), keys)),
    upper: fc.option(fc.tuple(fc.boolean(), keys)),
    limit: fc.option(fc.integer({ min: minLimit, max: maxLimit })),
    reverse: fc.boolean(),
  }).map(({ lower, upper, limit, reverse }) => {
    const bounds: Record<string, unknown> = {};
    if (lower) bounds[lower[0] ? "gt" : "gte"] = lower[1];
    if (upper) bounds[upper[0] ? "lt" : "lte"] = upper[1];
    if (limit !== null) bounds.limit = limit;
    if (reverse) bounds.reverse = true;
    return bounds as RangeBounds;
  });
}

const rangeBounds: fc.Arbitrary<RangeBounds> = rangeBoundsArb(smallKey, 1, 4);

/** An operation on a table whose key sits at `keyPos` (`withOwners`: also heir and owner-exit steps). */
export function opArb(keyPos: number, withOwners: boolean): fc.Arbitrary<Op> {
  const row = rowArb(keyPos);
  const rows = fc.array(row, { maxLength: 4 });
  const common: fc.WeightedArbitrary<Op>[] = [
    {
      arbitrary: fc.record({
        op: fc.constant("insert" as const),
        row,
        pick: fc.option(fc.nat({ max: 50 }), { freq: 2, nil: null }),
      }),
      weight: 8,
    },
    { arbitrary: rows.map((rows) => ({ op: "insertMany" as const, rows })), weight: 3 },
    { arbitrary: row.map((row) => ({ op: "insertNew" as const, row })), weight: 3 },
    { arbitrary: rows.map((rows) => ({ op: "insertNewMany" as const, rows })), weight: 2 },
    {
      arbitrary: fc.record({
        op: fc.constantFrom(
          "lookup" as const,
          "get" as const,
          "member" as const,
          "delete" as const,
          "take" as const,
          "lookupElement" as const,
        ),
        key: keyChoice,
        pos: fc.constantFrom(0, 1, 2),
      }),
      weight: 8,
    },
    {
      arbitrary: fc.record({
        op: fc.constant("deleteObject" as const),
        row,
        pick: fc.option(fc.nat({ max: 50 }), { freq: 3, nil: null }),
      }),
      weight: 3,
    },
    {
      arbitrary: fc.record({
        op: fc.constant("updateCounter" as const),
        key: keyChoice,
        form: fc.constantFrom("incr" as const, "op" as const, "ops" as const),
        ops: counterOps(keyPos),
        defaultValues: fc.option(fc.tuple(smallValue, smallValue), { nil: null }),
      }),
      weight: 5,
    },
    {
      arbitrary: fc.record({
        op: fc.constant("updateElement" as const),
        key: keyChoice,
        form: fc.constantFrom("single" as const, "list" as const),
        updates: fc.array(fc.tuple(fc.constantFrom(0, 1, 2), smallValue), {
          minLength: 1,
          maxLength: 2,
        }),
      }),
      weight: 3,
    },
    {
      arbitrary: fc.array(patternElement, { minLength: 2, maxLength: 4 }).map((pattern) => ({
        op: "match" as const,
        pattern,
      })),
      weight: 2,
    },
    {
      arbitrary: fc.record({
        op: fc.constant("select" as const),
        mode: fc.constantFrom("select" as const, "count" as const, "delete" as const),
        predicate: fc.oneof(
          fc.record({ col: fc.constantFrom(0, 1, 2), equals: fc.oneof(smallKey, smallValue) }),
          fc.record({ col: fc.constantFrom(0, 1, 2), below: fc.integer({ min: 0, max: 4 }) }),
        ),
      }),
      weight: 2,
    },
    { arbitrary: rangeBounds.map((bounds) => ({ op: "range" as const, bounds })), weight: 2 },
    { arbitrary: fc.boolean().map((backwards) => ({ op: "walk" as const, backwards })), weight: 2 },
    { arbitrary: smallKey.map((key) => ({ op: "nextOf" as const, key })), weight: 2 },
    { arbitrary: fc.constant({ op: "deleteAll" as const }), weight: 1 },
  ];
  if (!withOwners) return fc.oneof(...common);
  return fc.oneof(
    ...common,
    {
      arbitrary: fc.record({
        op: fc.constant("setHeir" as const),
        heir: fc.option(fc.nat({ max: 3 }), { freq: 4 }),
        data: fc.nat({ max: 9 }),
      }),
      weight: 2,
    },
    {
      arbitrary: fc.nat({ max: 3 }).map((who) => ({ op: "killOther" as const, who })),
      weight: 1,
    },
    {
      arbitrary: fc.constantFrom("kill" as const, "crash" as const, "shutdown" as const).map((
        how,
      ) => ({ op: "ownerExit" as const, how })),
      weight: 1,
    },
  );
}
