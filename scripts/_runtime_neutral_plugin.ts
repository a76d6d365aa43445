/**
 * A `deno lint` plugin for `scripts/check_runtime_neutral.ts`: references
 * to a runtime. Only that check loads it (with the built-in
 * `no-node-globals`, which sees `Buffer`, `global`, `setImmediate`, ...);
 * the repository's own `deno lint` does not, since tests and scripts may use
 * any runtime.
 *
 * - `runtime-global`: the identifier `Deno` or `Bun` anywhere but as a
 *   property name (`x.Deno` and `{ Deno: 1 }` are fine; `Deno.serve`,
 *   `typeof Bun`, `const { Deno } = globalThis` and the type `Deno.Conn`
 *   are not). Comments and strings are not code, so a doc comment may name
 *   `Deno.serve`.
 * - `process-global`: Node's global `process`, scope-aware: a parameter,
 *   variable, import or class named `process` in an enclosing scope (the
 *   kernel's `process.pid`) is not the global, nor is a property named
 *   `process`. (The built-in `no-process-global` takes the parameters of
 *   method signatures and function types, `wake(rt, process: Process)`, for
 *   the global.)
 * - `global-property`: `Deno`, `Bun` or `process` read off `globalThis`,
 *   `self`, `window` or `global` (through `as` casts and `!`), or tested with
 *   `"Deno" in globalThis`.
 * - `node-module`: an import or re-export of a `node:` module (static,
 *   dynamic or in a type).
 *
 * @module
 */

const RUNTIMES: ReadonlySet<string> = new Set(["Deno", "Bun"]);
const RUNTIME_PROPERTIES: ReadonlySet<string> = new Set(["Deno", "Bun", "process"]);
const GLOBAL_OBJECTS: ReadonlySet<string> = new Set(["globalThis", "self", "window", "global"]);
const KEYED = new Set([
  "Property",
  "PropertyDefinition",
  "MethodDefinition",
  "TSPropertySignature",
  "TSMethodSignature",
  "TSAbstractPropertyDefinition",
  "TSAbstractMethodDefinition",
  "TSEnumMember",
]);

type Node = Deno.lint.Node & { parent?: Node | null };

/** Whether `node` is a name of a property, not a reference to a binding. */
function isPropertyName(node: Node): boolean {
  const parent = node.parent as
    | (Node & { property?: Node; key?: Node; computed?: boolean; right?: Node })
    | undefined;
  if (parent === undefined) return false;
  if (parent.type === "MemberExpression") return parent.property === node && !parent.computed;
  if (KEYED.has(parent.type)) {
    // `{ process }`: the key is also a reference to `process`.
    const shorthand = (parent as { shorthand?: boolean }).shorthand === true;
    return parent.key === node && !parent.computed && !shorthand;
  }
  // `Deno.lint.Plugin` as a type: `lint` and `Plugin` are names within `Deno`.
  if (parent.type === "TSQualifiedName") return parent.right === node;
  return false;
}

/** The names a binding pattern declares (`a`, `{ a, b: [c] }`, `...d`, `e = 1`). */
function patternNames(pattern: Node | null | undefined, names: string[] = []): string[] {
  if (pattern === null || pattern === undefined) return names;
  const p = pattern as Node & Record<string, unknown>;
  switch (p.type) {
    case "Identifier":
      names.push((p as Deno.lint.Identifier).name);
      break;
    case "AssignmentPattern":
      patternNames(p.left as Node, names);
      break;
    case "RestElement":
      patternNames(p.argument as Node, names);
      break;
    case "ArrayPattern":
      for (const element of p.elements as (Node | null)[]) patternNames(element, names);
      break;
    case "ObjectPattern":
      for (const property of p.properties as Node[]) {
        const prop = property as Node & Record<string, unknown>;
        patternNames((prop.type === "Property" ? prop.value : prop.argument) as Node, names);
      }
      break;
    case "TSParameterProperty":
      patternNames(p.parameter as Node, names);
      break;
  }
  return names;
}

/** The names a statement declares in its block (`let`, `var`, `function`, `class`, `import`, ...). */
function declaredNames(statement: Node): string[] {
  const s = statement as Node & Record<string, unknown>;
  switch (s.type) {
    case "VariableDeclaration":
      return (s.declarations as Node[]).flatMap((d) => patternNames((d as Node & { id: Node }).id));
    case "FunctionDeclaration":
    case "ClassDeclaration":
    case "TSEnumDeclaration":
    case "TSDeclareFunction":
      return patternNames(s.id as Node);
    case "ImportDeclaration":
      return (s.specifiers as Node[]).map((spec) =>
        (spec as { local: { name: string } }).local.name
      );
    case "ExportNamedDeclaration":
    case "ExportDefaultDeclaration":
      return s.declaration ? declaredNames(s.declaration as Node) : [];
  }
  return [];
}

/** Whether a scope around `node` declares `name` (so `node` is not the global). */
function declaredAround(node: Node, name: string): boolean {
  // The Program's parent is null.
  for (let scope = node.parent; scope != null; scope = scope.parent) {
    const s = scope as Node & Record<string, unknown>;
    if (
      Array.isArray(s.params) && (s.params as Node[]).some((p) => patternNames(p).includes(name))
    ) {
      return true;
    }
    if (
      (s.type === "FunctionExpression" || s.type === "ClassExpression") &&
      patternNames(s.id as Node).includes(name)
    ) return true;
    if (s.type === "CatchClause" && patternNames(s.param as Node).includes(name)) return true;
    for (const key of ["init", "left"]) {
      const head = s[key] as Node | undefined;
      if (
        s.type.startsWith("For") && head?.type === "VariableDeclaration" &&
        declaredNames(head).includes(name)
      ) return true;
    }
    if (
      Array.isArray(s.body) && (s.body as Node[]).some((st) => declaredNames(st).includes(name))
    ) {
      return true;
    }
    if (
      s.type === "SwitchCase" &&
      (s.consequent as Node[]).some((st) => declaredNames(st).includes(name))
    ) return true;
  }
  return false;
}

/** `expression` without `as` / `satisfies` casts and non-null assertions. */
function unwrap(expression: Node): Node {
  let node = expression as Node & { expression?: Node };
  while (
    (node.type === "TSAsExpression" || node.type === "TSSatisfiesExpression" ||
      node.type === "TSNonNullExpression") && node.expression !== undefined
  ) {
    node = node.expression as Node & { expression?: Node };
  }
  return node;
}

/** The name of a member expression's property (`.Deno` or `["Deno"]`), if static. */
function propertyName(member: Deno.lint.MemberExpression): string | undefined {
  const property = member.property as Node;
  if (!member.computed && property.type === "Identifier") return property.name;
  if (property.type === "Literal" && typeof property.value === "string") return property.value;
  return undefined;
}

function checkSource(
  context: Deno.lint.RuleContext,
  node: Node,
  source: Node | null | undefined,
): void {
  if (source?.type === "Literal" && typeof source.value === "string") {
    if (source.value.startsWith("node:")) {
      context.report({
        node,
        message: `imports the Node module "${source.value}": take it from src/_host.ts`,
      });
    }
  }
}

const plugin: Deno.lint.Plugin = {
  name: "beamlet",
  rules: {
    "runtime-global": {
      create(context) {
        return {
          Identifier(node) {
            if (!RUNTIMES.has(node.name) || isPropertyName(node as Node)) return;
            context.report({
              node,
              message: `references ${node.name}: runtime-specific code belongs in src/_host.ts`,
            });
          },
        };
      },
    },
    "process-global": {
      create(context) {
        return {
          Identifier(node) {
            if (node.name !== "process" || isPropertyName(node as Node)) return;
            if (declaredAround(node as Node, "process")) return;
            context.report({
              node,
              message: "references Node's global process: runtime-specific code belongs in " +
                "src/_host.ts",
            });
          },
        };
      },
    },
    "global-property": {
      create(context) {
        return {
          MemberExpression(node) {
            const object = unwrap(node.object as Node);
            if (object.type !== "Identifier" || !GLOBAL_OBJECTS.has(object.name)) return;
            const name = propertyName(node);
            if (name === undefined || !RUNTIME_PROPERTIES.has(name)) return;
            context.report({
              node,
              message:
                `reads ${object.name}.${name}: runtime-specific code belongs in src/_host.ts`,
            });
          },
          BinaryExpression(node) {
            const left = node.left as Node;
            if (node.operator !== "in" || left.type !== "Literal") return;
            if (typeof left.value !== "string" || !RUNTIME_PROPERTIES.has(left.value)) return;
            context.report({
              node,
              message: `tests for "${left.value}": runtime-specific code belongs in src/_host.ts`,
            });
          },
        };
      },
    },
    "node-module": {
      create(context) {
        return {
          ImportDeclaration: (node) => checkSource(context, node, node.source),
          ExportNamedDeclaration: (node) => checkSource(context, node, node.source),
          ExportAllDeclaration: (node) => checkSource(context, node, node.source),
          ImportExpression: (node) => checkSource(context, node, node.source as Node),
          TSImportType(node) {
            const argument = (node as { argument?: Node }).argument as
              | (Node & { literal?: Node })
              | undefined;
            checkSource(context, node, argument?.literal ?? argument);
          },
        };
      },
    },
  },
};

export default plugin;
