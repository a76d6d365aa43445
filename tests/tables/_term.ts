/**
 * The plain reference semantics of table keys and rows (private: not a test
 * file), written from the spec (`/work/notes/tables_spec.md`), independent of
 * `src/tables/`:
 * - {@linkcode sameTerm}: structural equality (SameValueZero for primitives,
 *   arrays element by element) — how set / bag keys and rows are compared;
 * - {@linkcode compareTerms}: the ordered_set order (numbers < strings <
 *   arrays; numbers numerically, strings by UTF-16 code units, arrays element
 *   by element with a prefix first);
 * - {@linkcode termKey}: a string that is equal for structurally equal terms
 *   (the model's Map key).
 *
 * @module
 */

/** A row of a table: a tuple. */
export type Row = readonly unknown[];

/** Structural equality: SameValueZero on primitives, arrays element by element. */
export function sameTerm(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameTerm(a[i], b[i])) return false;
    return true;
  }
  return a === b || (a !== a && b !== b);
}

/** A string equal for structurally equal terms (numbers, strings, arrays, other primitives). */
export function termKey(term: unknown): string {
  if (typeof term === "number") return `n:${term === 0 ? 0 : term}`;
  if (typeof term === "string") return `s:${JSON.stringify(term)}`;
  if (Array.isArray(term)) return `a[${term.map(termKey).join(",")}]`;
  return `o:${typeof term}:${String(term)}`;
}

function rank(term: unknown): number {
  if (typeof term === "number") return 0;
  if (typeof term === "string") return 1;
  if (Array.isArray(term)) return 2;
  throw new TypeError(`not an ordered_set key: ${String(term)}`);
}

/** The ordered_set order of two comparable keys: negative, 0 or positive. */
export function compareTerms(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return (a as number) - (b as number);
  if (ra === 1) return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  const xs = a as unknown[];
  const ys = b as unknown[];
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const c = compareTerms(xs[i], ys[i]);
    if (c !== 0) return c;
  }
  return xs.length - ys.length;
}

/** Sorts a copy of `rows` by {@linkcode termKey} of the whole row: a canonical order for multiset comparison. */
export function canonical(rows: readonly Row[]): Row[] {
  return [...rows].sort((a, b) => {
    const x = termKey(a);
    const y = termKey(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
