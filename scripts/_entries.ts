/**
 * The package's entry files, read from `deno.json` `exports`, so that every
 * check over "every entry" picks up a new entry without an edit here.
 *
 * @module
 */

/** One entry: its subpath (`"."`, `"./core"`, ...) and its file, relative to the repository root. */
export interface Entry {
  readonly subpath: string;
  readonly file: string;
}

/** The repository root, as a file URL ending in `/`. */
export const ROOT: URL = new URL("../", import.meta.url);

/** The entries of `deno.json` `exports`, in their order there. */
export async function entries(): Promise<Entry[]> {
  const text = await Deno.readTextFile(new URL("deno.json", ROOT));
  const { exports } = JSON.parse(text) as { exports: string | Record<string, string> };
  const map = typeof exports === "string" ? { ".": exports } : exports;
  return Object.entries(map).map(([subpath, file]) => ({
    subpath,
    file: file.replace(/^\.\//, ""),
  }));
}
