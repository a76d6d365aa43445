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
const KEYED: ReadonlySet<string> = new Set([
  "Property",
  "PropertyDefinition",
  "MethodDefinition",
  "TSPropertySignature",
  "TSMethodSignature",
  "TSAbstractPropertyDefinition",
  "TSAbstractMethodDefinition",
  "TSEnumMember",
]);

/** A node of any type, read field by field (the walks below look at many kinds). */
interface AstNode {
  readonly type: string;
  readonly parent?: AstNode | null;
  readonly [field: string]: unknown;
}

function loose(node: Deno.lint.Node | null | undefined): AstNode | undefined {
  return (node ?? undefined) as AstNode | undefined;
}

function child(node: AstNode, field: string): AstNode | undefined {
  const value = node[field];
  return typeof value === "object" && value !== null ? value as AstNode : undefined;
}

function children(node: AstNode, field: string): AstNode[] {
  const value = node[field];
  return Array.isArray(value) ? value.filter((item) => item !== null) as AstNode[] : [];
}

/** Whether `node` is a name of a property, not a reference to a binding. */
function isPropertyName(node: AstNode): boolean {
  const parent = node.parent;
  if (parent === undefined || parent === null) return false;
  if (parent.type === "MemberExpression") return parent.property === node && !parent.computed;
  if (KEYED.has(parent.type)) {
    // `{ process }`: the key is also a reference to `process`.
    return parent.key === node && !parent.computed && parent.shorthand !== true;
  }
  // `Deno.lint.Plugin` as a type: `lint` and `Plugin` are names within `Deno`.
  if (parent.type === "TSQualifiedName") return parent.right === node;
  return false;
}

/** The names a binding pattern declares (`a`, `{ a, b: [c] }`, `...d`, `e = 1`). */
function patternNames(pattern: AstNode | undefined, names: string[] = []): string[] {
  if (pattern === undefined) return names;
  switch (pattern.type) {
    case "Identifier":
      names.push(pattern.name as string);
      break;
    case "AssignmentPattern":
      patternNames(child(pattern, "left"), names);
      break;
    case "RestElement":
      patternNames(child(pattern, "argument"), names);
      break;
    case "ArrayPattern":
      for (const element of children(pattern, "elements")) patternNames(element, names);
      break;
    case "ObjectPattern":
      for (const property of children(pattern, "properties")) {
        patternNames(child(property, property.type === "Property" ? "value" : "argument"), names);
      }
      break;
    case "TSParameterProperty":
      patternNames(child(pattern, "parameter"), names);
      break;
  }
  return names;
}

/** The names a statement declares in its block (`let`, `var`, `function`, `class`, `import`, ...). */
function declaredNames(statement: AstNode): string[] {
  switch (statement.type) {
    case "VariableDeclaration":
      return children(statement, "declarations").flatMap((d) => patternNames(child(d, "id")));
    case "FunctionDeclaration":
    case "ClassDeclaration":
    case "TSEnumDeclaration":
    case "TSDeclareFunction":
      return patternNames(child(statement, "id"));
    case "ImportDeclaration":
      return children(statement, "specifiers").flatMap((s) => patternNames(child(s, "local")));
    case "ExportNamedDeclaration":
    case "ExportDefaultDeclaration": {
      const declaration = child(statement, "declaration");
      return declaration === undefined ? [] : declaredNames(declaration);
    }
  }
  return [];
}

/** Whether a scope around `node` declares `name` (so `node` is not the global). */
function declaredAround(node: AstNode, name: string): boolean {
  const declares = (statements: AstNode[]) =>
    statements.some((statement) => declaredNames(statement).includes(name));
  // The Program's parent is null.
  for (let scope = node.parent; scope !== undefined && scope !== null; scope = scope.parent) {
    // Functions, methods, arrows, and their signatures in types.
    if (children(scope, "params").some((param) => patternNames(param).includes(name))) return true;
    if (
      (scope.type === "FunctionExpression" || scope.type === "ClassExpression") &&
      patternNames(child(scope, "id")).includes(name)
    ) return true;
    if (scope.type === "CatchClause" && patternNames(child(scope, "param")).includes(name)) {
      return true;
    }
    if (scope.type.startsWith("For")) {
      const head = child(scope, "init") ?? child(scope, "left");
      if (head?.type === "VariableDeclaration" && declares([head])) return true;
    }
    // Program, blocks, static blocks, namespaces; the cases of a switch.
    if (declares(children(scope, "body")) || declares(children(scope, "consequent"))) return true;
  }
  return false;
}

/** `expression` without `as` / `satisfies` casts and non-null assertions. */
function unwrap(expression: AstNode): AstNode {
  let node = expression;
  const casts = ["TSAsExpression", "TSSatisfiesExpression", "TSNonNullExpression"];
  while (casts.includes(node.type)) {
    const inner = child(node, "expression");
    if (inner === undefined) break;
    node = inner;
  }
  return node;
}

/** The name of a member expression's property (`.Deno` or `["Deno"]`), if static. */
function propertyName(member: AstNode): string | undefined {
  const property = child(member, "property");
  if (property === undefined) return undefined;
  if (!member.computed && property.type === "Identifier") return property.name as string;
  if (property.type === "Literal" && typeof property.value === "string") return property.value;
  return undefined;
}

function checkSource(
  context: Deno.lint.RuleContext,
  node: Deno.lint.Node,
  source: AstNode | undefined,
): void {
  if (source?.type !== "Literal" || typeof source.value !== "string") return;
  if (source.value.startsWith("node:")) {
    context.report({
      node,
      message: `imports the Node module "${source.value}": take it from src/_host.ts`,
    });
  }
}

const plugin: Deno.lint.Plugin = {
  name: "beamlet",
  rules: {
    "runtime-global": {
      create(context) {
        return {
          Identifier(node) {
            if (!RUNTIMES.has(node.name) || isPropertyName(loose(node)!)) return;
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
            if (node.name !== "process") return;
            const reference = loose(node)!;
            if (isPropertyName(reference) || declaredAround(reference, "process")) return;
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
            const object = unwrap(loose(node.object)!);
            if (object.type !== "Identifier" || !GLOBAL_OBJECTS.has(object.name as string)) return;
            const name = propertyName(loose(node)!);
            if (name === undefined || !RUNTIME_PROPERTIES.has(name)) return;
            context.report({
              node,
              message:
                `reads ${object.name}.${name}: runtime-specific code belongs in src/_host.ts`,
            });
          },
          BinaryExpression(node) {
            const left = loose(node.left)!;
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
        const source = (node: Deno.lint.Node) => {
          const argument = child(loose(node)!, "source") ?? child(loose(node)!, "argument");
          // A type's import("node:fs") wraps its string in a TSLiteralType.
          return argument?.type === "TSLiteralType" ? child(argument, "literal") : argument;
        };
        const check = (node: Deno.lint.Node) => checkSource(context, node, source(node));
        return {
          ImportDeclaration: check,
          ExportNamedDeclaration: check,
          ExportAllDeclaration: check,
          ImportExpression: check,
          TSImportType: check,
        };
      },
    },
  },
};

export default plugin;
