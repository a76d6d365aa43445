/**
 * A YAML emitter for the subset rule files and promtool tests use: maps,
 * lists, strings, numbers, booleans. Multi-line strings are literal blocks,
 * identifiers stay bare, other strings are double-quoted, or single-quoted
 * when they hold a double quote or a backslash (PromQL's matchers need no
 * escape there), or, with control characters, JSON strings (a JSON string is
 * a valid double-quoted YAML scalar). `deno fmt` leaves the output as it is.
 *
 * @module
 */

/** A value the emitter writes. `undefined` map entries are left out. */
export type YamlValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly YamlValue[]
  | { readonly [key: string]: YamlValue };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** Strings written bare: they cannot be read as anything but themselves. */
const PLAIN = /^[A-Za-z_](?:[A-Za-z0-9_.\/:-]*[A-Za-z0-9_])?$/;
/** Bare words YAML 1.1 or 1.2 read as booleans or null. */
const RESERVED: ReadonlySet<string> = new Set([
  "true",
  "false",
  "yes",
  "no",
  "on",
  "off",
  "y",
  "n",
  "null",
]);

/** `value` as a YAML document (ending in a newline). */
export function toYaml(value: YamlValue): string {
  if (isMap(value)) return mapLines(value, 0).join("\n") + "\n";
  if (Array.isArray(value)) return listLines(value, 0).join("\n") + "\n";
  return scalar(value as string | number | boolean | null, 0) + "\n";
}

function isMap(value: YamlValue): value is { readonly [key: string]: YamlValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function key(name: string): string {
  return PLAIN_KEY.test(name) ? name : JSON.stringify(name);
}

/** Whether `text` holds a control character (newlines allowed when `newlines`). */
function hasControl(text: string, newlines: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 || code === 0x7f) && !(newlines && code === 0x0a)) return true;
  }
  return false;
}

function scalar(value: string | number | boolean | null, indent: number): string {
  if (value === null) return "null";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`YAML: not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === "boolean") return String(value);
  // A literal block keeps long expressions readable, where it says the text exactly.
  if (value.includes("\n") && !hasControl(value, true) && !/^[ \t]|[ \t]\n|\s$/.test(value)) {
    const pad = " ".repeat(indent + 2);
    return "|-\n" + value.split("\n").map((line) => (line === "" ? "" : pad + line)).join("\n");
  }
  if (PLAIN.test(value) && !RESERVED.has(value.toLowerCase())) return value;
  if (hasControl(value, false)) return JSON.stringify(value);
  // Double quotes unless the text holds a double quote or a backslash (PromQL matchers do): single
  // quotes need no escape but '' for ', so those stay readable. \`deno fmt\` writes the same.
  if (!/["\\]/.test(value)) return '"' + value + '"';
  return "'" + value.replaceAll("'", "''") + "'";
}

function entries(map: { readonly [key: string]: YamlValue }): [string, YamlValue][] {
  return Object.entries(map).filter(([, v]) => v !== undefined);
}

function mapLines(map: { readonly [key: string]: YamlValue }, indent: number): string[] {
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  for (const [name, value] of entries(map)) {
    if (isMap(value)) {
      if (entries(value).length === 0) lines.push(`${pad}${key(name)}: {}`);
      else lines.push(`${pad}${key(name)}:`, ...mapLines(value, indent + 2));
    } else if (Array.isArray(value)) {
      if (value.length === 0) lines.push(`${pad}${key(name)}: []`);
      else lines.push(`${pad}${key(name)}:`, ...listLines(value, indent + 2));
    } else {
      lines.push(
        `${pad}${key(name)}: ${scalar(value as string | number | boolean | null, indent)}`,
      );
    }
  }
  return lines;
}

function listLines(list: readonly YamlValue[], indent: number): string[] {
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  for (const item of list) {
    if (isMap(item) && entries(item).length > 0) {
      const inner = mapLines(item, indent + 2);
      lines.push(pad + "- " + inner[0].slice(indent + 2), ...inner.slice(1));
    } else if (Array.isArray(item) && item.length > 0) {
      const inner = listLines(item, indent + 2);
      lines.push(pad + "- " + inner[0].slice(indent + 2), ...inner.slice(1));
    } else if (isMap(item)) {
      lines.push(pad + "- {}");
    } else if (Array.isArray(item)) {
      lines.push(pad + "- []");
    } else {
      lines.push(pad + "- " + scalar(item as string | number | boolean | null, indent));
    }
  }
  return lines;
}
