/**
 * A bounded estimate of the bytes a value takes (internal): what
 * `persistentTerm.info().memory` and `Table.info().memory` report.
 *
 * The figures are those of a 64-bit engine with compressed pointers, rounded:
 * good enough to tell a 100-byte term from a 10-megabyte one, not an exact
 * accounting. The walk never calls an accessor, guards every reflective step
 * (a Proxy's traps may throw), counts each object once, and stops after
 * {@linkcode NODE_BUDGET} nodes.
 *
 * @module
 */

/** Most nodes one estimate visits; the rest of the value is not counted. */
export const NODE_BUDGET = 10_000;

const PRIMITIVE = 8;
const OBJECT_HEADER = 24;
const SLOT = 8;
const PROPERTY = 16;
const COLLECTION_ENTRY = 24;

/** Bytes a string of `length` UTF-16 units takes, about. */
export function stringBytes(length: number): number {
  return 16 + 2 * length;
}

/** Bytes `value` takes, about, counting what it references (see the module doc). */
export function estimateBytes(value: unknown): number {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  let bytes = 0;
  let budget = NODE_BUDGET;
  while (stack.length > 0 && budget-- > 0) {
    const node = stack.pop();
    if (typeof node === "string") {
      bytes += stringBytes(node.length);
      continue;
    }
    if (typeof node === "bigint") {
      bytes += 16 + 8 * Math.ceil(bigintBits(node) / 64);
      continue;
    }
    if ((typeof node !== "object" && typeof node !== "function") || node === null) {
      bytes += PRIMITIVE;
      continue;
    }
    if (seen.has(node)) continue;
    seen.add(node);
    try {
      bytes += objectBytes(node, stack);
    } catch {
      bytes += OBJECT_HEADER; // a hostile object: count its header and go on
    }
  }
  return bytes;
}

function objectBytes(node: object, stack: unknown[]): number {
  if (node instanceof ArrayBuffer) return OBJECT_HEADER + node.byteLength;
  if (ArrayBuffer.isView(node)) return 2 * OBJECT_HEADER + (Number(node.byteLength) || 0);
  if (node instanceof Map) {
    // The built-in methods, not the object's own: a subclass's overrides never run.
    const entries = Map.prototype.entries.call(node);
    for (let i = 0; i < NODE_BUDGET; i++) {
      const next = entries.next();
      if (next.done) break;
      stack.push(next.value[0], next.value[1]);
    }
    return OBJECT_HEADER + COLLECTION_ENTRY * (Reflect.get(Map.prototype, "size", node) as number);
  }
  if (node instanceof Set) {
    const values = Set.prototype.values.call(node);
    for (let i = 0; i < NODE_BUDGET; i++) {
      const next = values.next();
      if (next.done) break;
      stack.push(next.value);
    }
    return OBJECT_HEADER + COLLECTION_ENTRY * (Reflect.get(Set.prototype, "size", node) as number);
  }
  if (Array.isArray(node)) {
    const length = Number(node.length) || 0;
    for (let i = 0; i < length && i < NODE_BUDGET; i++) {
      const descriptor = Reflect.getOwnPropertyDescriptor(node, i);
      if (descriptor !== undefined && "value" in descriptor) stack.push(descriptor.value);
    }
    return OBJECT_HEADER + SLOT * length;
  }
  const keys = Reflect.ownKeys(node);
  for (let i = 0; i < keys.length && i < NODE_BUDGET; i++) {
    const descriptor = Reflect.getOwnPropertyDescriptor(node, keys[i]);
    if (descriptor !== undefined && "value" in descriptor) stack.push(descriptor.value);
  }
  return (typeof node === "function" ? 4 * OBJECT_HEADER : OBJECT_HEADER) + PROPERTY * keys.length;
}

/** How many bits `value` needs, about (its hexadecimal digits × 4). */
function bigintBits(value: bigint): number {
  return (value < 0n ? -value : value).toString(16).length * 4;
}
