/**
 * Renders `core/layout.json` — the numbers the AssemblyScript core and the
 * TypeScript contract share — into `core/layout.ts` (AssemblyScript) and
 * `src/core/_layout.ts` (TypeScript). Used by `scripts/build_wasm.ts`, which
 * writes them (and checks them fresh) together with the WebAssembly modules.
 *
 * Layouts are computed here, like AssemblyScript's `@unmanaged` classes with
 * `offsetof`: each field at its natural alignment, arrays of fixed length, a
 * header that `extends` another continuing after it. Both renderings carry the
 * layout drawn as an ASCII table, so the drawing can never disagree with the
 * offsets.
 *
 * @module
 */

/** Where a spec entry goes: both sides (default), AssemblyScript only, TypeScript only. */
type Side = "both" | "as" | "ts";

interface Member {
  readonly name: string;
  readonly value: number;
  readonly doc?: string;
  readonly to?: Side;
}

interface EnumSpec {
  readonly name: string;
  readonly asPrefix?: string;
  readonly asType: string;
  readonly count?: boolean;
  readonly doc: string;
  readonly example?: readonly string[];
  /** The `@example` title (TypeScript side only, like the example). */
  readonly exampleTitle?: string;
  readonly members: readonly Member[];
}

interface ConstantSpec {
  readonly name: string;
  readonly type: string;
  readonly value: number | string;
  readonly doc: string;
  /** An `@example` for the TypeScript side (public constants need one). */
  readonly example?: readonly string[];
  /** The `@example` title. */
  readonly exampleTitle?: string;
  readonly to?: Side;
}

interface FieldSpec {
  readonly name: string;
  readonly type: string;
  readonly count?: number | string;
  readonly doc?: string;
}

interface LayoutSpec {
  readonly name: string;
  readonly prefix: string;
  readonly extends?: string;
  readonly sizeName: string;
  readonly align: number;
  readonly to?: Side;
  readonly doc: string;
  readonly fields: readonly FieldSpec[];
}

/** `core/layout.json`, parsed. */
export interface LayoutFile {
  readonly codes: EnumSpec;
  readonly enums: readonly EnumSpec[];
  readonly constants: readonly ConstantSpec[];
  readonly checks: readonly string[];
  readonly layouts: readonly LayoutSpec[];
}

/** One field placed in a layout. */
interface PlacedField {
  readonly constant: string;
  readonly offset: number;
  readonly type: string;
  readonly doc: string;
}

interface PlacedLayout {
  readonly spec: LayoutSpec;
  readonly parentSize: number;
  readonly fields: readonly PlacedField[];
  readonly size: number;
}

interface Evaluated {
  readonly values: Map<string, number>;
  readonly layouts: readonly PlacedLayout[];
}

const TYPE_BYTES: Readonly<Record<string, number>> = {
  u8: 1,
  u16: 2,
  i32: 4,
  u32: 4,
  ptr: 4,
  i64: 8,
  u64: 8,
  f64: 8,
};

/** `BadArgument` → `BAD_ARGUMENT`. */
function upperSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

function sideOf(entry: { readonly to?: Side }): Side {
  return entry.to ?? "both";
}

function onAs(entry: { readonly to?: Side }): boolean {
  return sideOf(entry) !== "ts";
}

function onTs(entry: { readonly to?: Side }): boolean {
  return sideOf(entry) !== "as";
}

/** Evaluates an expression over the constants defined so far. */
function evaluate(expression: number | string, values: Map<string, number>, where: string): number {
  if (typeof expression === "number") return expression;
  const source = expression.replace(/\b[A-Z][A-Z0-9_]*\b/g, (name) => {
    const value = values.get(name);
    if (value === undefined) throw new Error(`layout.json: ${where}: unknown constant ${name}`);
    return `(${value})`;
  });
  if (!/^(?:0x[\da-f]+|[\d\s()+\-*/%<>=.e])*$/i.test(source)) {
    throw new Error(`layout.json: ${where}: not an arithmetic expression: ${expression}`);
  }
  const value = new Function(`return (${source});`)() as unknown;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new Error(`layout.json: ${where}: ${expression} is not a finite number`);
  }
  return value;
}

function alignUp(value: number, align: number): number {
  return Math.ceil(value / align) * align;
}

/** Evaluates every constant, enum count and layout, then the checks. */
function evaluateAll(file: LayoutFile): Evaluated {
  const values = new Map<string, number>();
  const define = (name: string, value: number) => {
    if (values.has(name)) throw new Error(`layout.json: ${name} is defined twice`);
    values.set(name, value);
  };
  for (const member of file.codes.members) define(upperSnake(member.name), member.value);
  for (const spec of file.enums) {
    for (const member of spec.members) {
      define(`${spec.asPrefix ?? ""}${upperSnake(member.name)}`, member.value);
    }
    if (spec.count) define(`${spec.asPrefix ?? ""}COUNT`, spec.members.length);
  }
  for (const constant of file.constants) {
    define(constant.name, evaluate(constant.value, values, constant.name));
  }
  const placed = new Map<string, PlacedLayout>();
  const layouts: PlacedLayout[] = [];
  for (const spec of file.layouts) {
    const parent = spec.extends === undefined ? undefined : placed.get(spec.extends);
    if (spec.extends !== undefined && parent === undefined) {
      throw new Error(`layout.json: ${spec.name} extends unknown layout ${spec.extends}`);
    }
    const parentSize = parent?.size ?? 0;
    let offset = parentSize;
    const fields: PlacedField[] = [];
    for (const field of spec.fields) {
      const bytes = TYPE_BYTES[field.type];
      if (bytes === undefined) throw new Error(`layout.json: ${spec.name}.${field.name}: type?`);
      const count = field.count === undefined
        ? 1
        : evaluate(field.count, values, `${spec.name}.${field.name}`);
      offset = alignUp(offset, bytes);
      const constant = `${spec.prefix}${field.name}`;
      define(constant, offset);
      fields.push({
        constant,
        offset,
        type: field.count === undefined ? field.type : `${field.type}[${count}]`,
        doc: field.doc ?? "",
      });
      offset += bytes * count;
    }
    const size = alignUp(offset, spec.align);
    define(spec.sizeName, size);
    const layout = { spec, parentSize, fields, size };
    placed.set(spec.name, layout);
    layouts.push(layout);
  }
  for (const check of file.checks) {
    if (evaluate(check, values, "checks") !== 1) {
      throw new Error(`layout.json: check fails: ${check}`);
    }
  }
  return { values, layouts };
}

/** The layout as an ASCII table, one string per line. */
function diagram(layout: PlacedLayout, layouts: readonly PlacedLayout[]): string[] {
  type Row = [offset: string, type: string, text: string];
  const rows: Row[] = [];
  const nameWidth = Math.max(...layout.fields.map((f) => f.constant.length)) + 2;
  if (layout.spec.extends !== undefined) {
    const parent = layouts.find((l) => l.spec.name === layout.spec.extends)!;
    rows.push(["0", `(${parent.size})`, `${parent.spec.name}: see ${parent.spec.sizeName}`]);
  }
  let end = layout.parentSize;
  for (const field of layout.fields) {
    if (field.offset > end) rows.push([String(end), `(${field.offset - end})`, "(padding)"]);
    rows.push([
      String(field.offset),
      field.type,
      field.doc === "" ? field.constant : field.constant.padEnd(nameWidth) + field.doc,
    ]);
    const [type, count] = field.type.replace("]", "").split("[");
    end = field.offset + TYPE_BYTES[type] * (count === undefined ? 1 : Number(count));
  }
  if (layout.size > end) rows.push([String(end), `(${layout.size - end})`, "(padding)"]);
  const w0 = Math.max(6, ...rows.map((r) => r[0].length + 1));
  const w1 = Math.max(8, ...rows.map((r) => r[1].length + 1));
  const w2 = Math.max(...rows.map((r) => r[2].length + 1));
  const rule = (l: string, m: string, r: string) =>
    `${l}${"─".repeat(w0 + 1)}${m}${"─".repeat(w1 + 1)}${m}${"─".repeat(w2 + 1)}${r}`;
  return [
    ` ${"offset".padStart(w0)}   ${"type".padEnd(w1)}  field`,
    rule("┌", "┬", "┐"),
    ...rows.map(([a, b, c]) => `│${a.padStart(w0)} │ ${b.padEnd(w1)}│ ${c.padEnd(w2)}│`),
    rule("└", "┴", "┘"),
    `${layout.spec.sizeName} = ${layout.size}`,
  ];
}

/** The header lines every generated file starts with. */
function banner(comment: string, hash: string): string {
  return [
    `${comment} Generated by scripts/build_wasm.ts from core/layout.json: do not edit.`,
    `${comment} Rebuild with \`deno task build:wasm\`; \`deno task check:wasm\` fails when this file is stale.`,
    `${comment} source sha256: ${hash}`,
  ].join("\n");
}

function asLiteral(value: number, type: string): string {
  if (type === "f64") return Number.isInteger(value) ? `${value}.0` : String(value);
  return String(value);
}

/** `core/layout.ts`: the AssemblyScript constants. */
export function renderAssemblyScript(file: LayoutFile, hash: string): string {
  const { values, layouts } = evaluateAll(file);
  const out: string[] = [banner("//", hash), ""];
  out.push(
    "/**",
    " * The numbers the AssemblyScript core shares with the TypeScript contract",
    " * (`src/core/_layout.ts`, generated from the same `core/layout.json`): result",
    " * codes, enums, limits, and the memory layouts of the directory, the chunks and",
    " * the headers, each drawn below.",
    " */",
    "",
  );
  out.push(`// ${file.codes.name}: ${file.codes.doc}`);
  for (const member of file.codes.members) {
    if (member.doc !== undefined) out.push(`/** ${member.doc} */`);
    out.push(`export const ${upperSnake(member.name)}: ${file.codes.asType} = ${member.value};`);
  }
  for (const spec of file.enums) {
    out.push("", `// ${spec.name}: ${spec.doc}`);
    for (const member of spec.members) {
      if (member.doc !== undefined) out.push(`/** ${member.doc} */`);
      const name = `${spec.asPrefix ?? ""}${upperSnake(member.name)}`;
      out.push(`export const ${name}: ${spec.asType} = ${member.value};`);
    }
    if (spec.count) {
      out.push(`export const ${spec.asPrefix ?? ""}COUNT: i32 = ${spec.members.length};`);
    }
  }
  out.push("");
  for (const constant of file.constants) {
    if (!onAs(constant)) continue;
    const value = values.get(constant.name)!;
    const expression = typeof constant.value === "string" ? ` // ${constant.value}` : "";
    out.push(`/** ${constant.doc} */`);
    out.push(
      `export const ${constant.name}: ${constant.type} = ${
        asLiteral(value, constant.type)
      };${expression}`,
    );
  }
  for (const layout of layouts) {
    if (!onAs(layout.spec)) continue;
    out.push("", "/**", ` * ${layout.spec.doc}`, " *", " * ```");
    for (const line of diagram(layout, layouts)) out.push(` *  ${line}`);
    out.push(" * ```", " */");
    for (const field of layout.fields) {
      out.push(`export const ${field.constant}: usize = ${field.offset};`);
    }
    out.push(`export const ${layout.spec.sizeName}: usize = ${layout.size};`);
  }
  return out.join("\n") + "\n";
}

function tsDoc(lines: readonly string[], indent = ""): string[] {
  if (lines.length === 1) return [`${indent}/** ${lines[0]} */`];
  return [
    `${indent}/**`,
    ...lines.map((l) => (l === "" ? `${indent} *` : `${indent} * ${l}`)),
    `${indent} */`,
  ];
}

function tsExample(example: readonly string[] | undefined, title?: string): string[] {
  if (example === undefined) return [];
  return ["", title === undefined ? "@example" : `@example ${title}`, "```ts", ...example, "```"];
}

function tsEnum(spec: EnumSpec): string[] {
  const out = tsDoc([spec.doc, ...tsExample(spec.example, spec.exampleTitle)]);
  out.push(`export const ${spec.name} = {`);
  for (const member of spec.members) {
    if (!onTs(member)) continue;
    if (member.doc !== undefined) out.push(...tsDoc([member.doc], "  "));
    out.push(`  ${member.name}: ${member.value},`);
  }
  out.push("} as const;");
  out.push(`/** One of the {@linkcode ${spec.name}} values. */`);
  out.push(`export type ${spec.name} = typeof ${spec.name}[keyof typeof ${spec.name}];`);
  return out;
}

/** `src/core/_layout.ts`: the TypeScript constants. */
export function renderTypeScript(file: LayoutFile, hash: string): string {
  const { values, layouts } = evaluateAll(file);
  const out: string[] = [banner("//", hash), ""];
  out.push(
    "/**",
    " * The numbers the TypeScript contract shares with the AssemblyScript core",
    " * (`core/layout.ts`, generated from the same `core/layout.json`): result codes,",
    " * enums, limits, and the layouts of a core memory's directory, chunks and",
    " * region headers. `core.ts` and `histogram_store.ts` re-export the public ones.",
    " *",
    " * @module",
    " */",
    "",
  );
  out.push(...tsEnum(file.codes));
  for (const spec of file.enums) out.push("", ...tsEnum(spec));
  out.push("");
  for (const constant of file.constants) {
    if (!onTs(constant)) continue;
    out.push(...tsDoc([constant.doc, ...tsExample(constant.example, constant.exampleTitle)]));
    out.push(`export const ${constant.name} = ${values.get(constant.name)!};`);
  }
  for (const layout of layouts) {
    if (!onTs(layout.spec)) continue;
    out.push("");
    for (const field of layout.fields) {
      out.push(
        `/** Byte offset of ${field.constant} in the ${layout.spec.name} layout${
          field.doc === "" ? "" : `: ${field.doc}`
        }. */`,
      );
      out.push(`export const ${field.constant} = ${field.offset};`);
    }
    out.push(...tsDoc([layout.spec.doc, "", "```", ...diagram(layout, layouts), "```"]));
    out.push(`export const ${layout.spec.sizeName} = ${layout.size};`);
  }
  return out.join("\n") + "\n";
}

/** Parses `core/layout.json` (only the shape this renderer needs is checked). */
export function parseLayout(text: string): LayoutFile {
  const file = JSON.parse(text) as LayoutFile;
  for (const key of ["codes", "enums", "constants", "checks", "layouts"] as const) {
    if (file[key] === undefined) throw new Error(`layout.json: missing "${key}"`);
  }
  return file;
}
