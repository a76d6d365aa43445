/**
 * Counts the symbols each entry of `deno.json` `exports` exports (types
 * included), as `deno doc --json` lists them, and prints a markdown table.
 * With `--root-range=60-85` (the default) it exits 1 when the root entry's
 * count falls outside the range, so the public surface cannot quietly grow.
 *
 * ```sh
 * deno run --allow-read --allow-run scripts/count_exports.ts
 * ```
 *
 * @module
 */

import { entries, ROOT } from "./_entries.ts";

/** The names an entry file exports, sorted, from `deno doc --json`. */
export async function exportedNames(file: string): Promise<string[]> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", file],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(`deno doc --json ${file} failed:\n${new TextDecoder().decode(stderr)}`);
  }
  const doc = JSON.parse(new TextDecoder().decode(stdout)) as {
    nodes: Record<string, { symbols: { name: string }[] }>;
  };
  const names = new Set<string>();
  for (const node of Object.values(doc.nodes)) {
    for (const symbol of node.symbols) names.add(symbol.name);
  }
  return [...names].sort();
}

if (import.meta.main) {
  const range = Deno.args.find((arg) => arg.startsWith("--root-range="))?.split("=")[1] ??
    "60-85";
  const [low, high] = range.split("-").map(Number);
  const list = Deno.args.includes("--list");
  let failed = false;
  console.log("| entry | file | exports |\n| --- | --- | ---: |");
  for (const entry of await entries()) {
    const names = await exportedNames(entry.file);
    console.log(`| \`${entry.subpath}\` | ${entry.file} | ${names.length} |`);
    if (list) console.log(`|  |  | ${names.join(", ")} |`);
    if (entry.subpath === "." && (names.length < low || names.length > high)) {
      console.error(`count_exports: the root entry exports ${names.length}, outside ${range}`);
      failed = true;
    }
  }
  if (failed) Deno.exit(1);
}
