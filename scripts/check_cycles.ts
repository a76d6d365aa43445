/**
 * Fails on any import cycle under `src/`, and on any import in `src/kernel/`
 * that goes up the kernel's layers.
 *
 * The graph is read statically from every `.ts` file's `import` / `export
 * ... from` specifiers. Each strongly connected component of more than one
 * file (or a file importing itself) is a cycle; one path around it is
 * printed. Cycles are looked for in the runtime graph: `import type` /
 * `export type` (erased at run time) are left out unless `--types` is given
 * (the public API's types are mutually recursive by nature: a System starts
 * GenServers whose callbacks get a Context that names the System). The
 * kernel's layer order is checked on every import, types included. Dynamic
 * `import()` is not followed. In the style of denoland/std
 * `_tools/check_circular_deps.ts`, without its dependency on `@deno/graph`,
 * so it runs offline.
 *
 * Layers: `src/kernel/` declares its order in {@linkcode KERNEL_LAYERS}; a
 * kernel file belongs to the layer named by the first segment of its path
 * under `src/kernel/` (a folder, or a file's stem); a file may import only
 * files of its own layer or of a layer below it.
 *
 * Usage: `deno run --allow-read scripts/check_cycles.ts [--types] [--quiet] [root]`
 * (`npm run check:cycles`). Exits 1 on any cycle or layer violation.
 *
 * @module
 */

/** `src/kernel/`, bottom to top: a layer imports only layers at or below it. */
export const KERNEL_LAYERS = [
  "state",
  "probes",
  "mailbox",
  "timers",
  "calls",
  "lifecycle",
  "dispatch",
  "scheduler",
  "kernel",
] as const;

/** The static imports of one file: specifiers, relative ones resolved to paths. */
export interface ImportEdge {
  readonly to: string;
  readonly typeOnly: boolean;
}

const SPECIFIER =
  /(?:^|[;\n}])\s*(import|export)\s+(type\s+)?(?:[\w*{}\s,$]*?\s+from\s+)?["']([^"']+)["']/g;

/** The relative imports of `source` (a file at `path`), resolved against it. */
export function importsOf(path: string, source: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const text = source.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, " "))
    .replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[3];
    if (!specifier.startsWith(".")) continue;
    const braces = match[0].match(/\{([^}]*)\}/);
    const allTypes = braces !== null && braces[1].trim() !== "" &&
      braces[1].split(",").every((name) => name.trim() === "" || /^type\s/.test(name.trim()));
    edges.push({
      to: join(dirname(path), specifier),
      typeOnly: match[2] !== undefined || allTypes,
    });
  }
  return edges;
}

function dirname(path: string): string {
  const at = path.lastIndexOf("/");
  return at < 0 ? "." : path.slice(0, at);
}

function join(dir: string, relative: string): string {
  const parts = dir === "." ? [] : dir.split("/");
  for (const part of relative.split("/")) {
    if (part === "." || part === "") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}

/** Every strongly connected component of `graph` that is a cycle (Tarjan's algorithm). */
export function cyclesOf(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indices.get(next)!));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) {
        cycles.push(component.sort());
      }
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) visit(node);
  return cycles;
}

/** One path around a component: from its first file back to it, by breadth-first search. */
export function pathAround(graph: Map<string, string[]>, component: string[]): string[] {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== start && at !== undefined;) {
          path.splice(1, 0, at);
          at = previous.get(at);
        }
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/** The layer of a file under `src/kernel/`, or undefined (not a kernel file, or undeclared). */
export function layerOf(path: string, root: string): number | undefined {
  const prefix = `${root}/kernel/`;
  if (!path.startsWith(prefix)) return undefined;
  const first = path.slice(prefix.length).split("/")[0].replace(/\.ts$/, "").replace(/^_/, "");
  const at = (KERNEL_LAYERS as readonly string[]).indexOf(first);
  return at < 0 ? undefined : at;
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = [];
  for await (const entry of Deno.readDir(dir)) entries.push(entry);
  entries.sort((a, b) => a.name < b.name ? -1 : 1);
  for (const entry of entries) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walk(path);
    else if (entry.isFile && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
      yield path;
    }
  }
}

/** Builds the graph under `root` and prints its cycles and layer violations: how many problems. */
export async function check(
  root: string,
  options: { types?: boolean; quiet?: boolean } = {},
): Promise<{ cycles: string[][]; violations: string[]; files: number }> {
  const graph = new Map<string, string[]>();
  const violations: string[] = [];
  const kernelFiles: string[] = [];
  for await (const path of walk(root)) {
    const edges = importsOf(path, await Deno.readTextFile(path));
    graph.set(
      path,
      edges.filter((edge) => options.types || !edge.typeOnly).map((edge) => edge.to),
    );
    if (path.startsWith(`${root}/kernel/`)) kernelFiles.push(path);
    const from = layerOf(path, root);
    for (const edge of edges) {
      const to = layerOf(edge.to, root);
      if (from !== undefined && to !== undefined && to > from) {
        violations.push(
          `${path} (${KERNEL_LAYERS[from]}) imports ${edge.to} (${
            KERNEL_LAYERS[to]
          }), a higher layer`,
        );
      }
    }
  }
  for (const path of kernelFiles) {
    if (layerOf(path, root) === undefined) {
      violations.push(
        `${path} is in no declared kernel layer (${KERNEL_LAYERS.join(" < ")})`,
      );
    }
  }
  const cycles = cyclesOf(graph);
  if (!options.quiet) {
    for (const component of cycles) {
      console.log(
        `cycle of ${component.length} files: ${pathAround(graph, component).join(" -> ")}`,
      );
    }
    for (const violation of violations) console.log(`layer: ${violation}`);
    console.log(
      `${graph.size} files under ${root}: ${cycles.length} import cycle(s)${
        options.types ? " (type-only imports included)" : ""
      }, ${violations.length} layer violation(s)`,
    );
  }
  return { cycles, violations, files: graph.size };
}

if (import.meta.main) {
  const args = Deno.args;
  const root = args.find((arg) => !arg.startsWith("--")) ?? "src";
  const { cycles, violations } = await check(root.replace(/\/$/, ""), {
    types: args.includes("--types"),
    quiet: args.includes("--quiet"),
  });
  if (cycles.length > 0 || violations.length > 0) Deno.exit(1);
}
