/**
 * Names to KV keys and back (internal): a key is the name's UTF-8 bytes in
 * base64url without padding (`A-Z a-z 0-9 - _`), so any non-empty string is
 * a name — dots, spaces, `*` and `>` included — and keys never clash.
 *
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

/** The KV key of `name`. */
export function keyOf(name: string): string {
  const bytes = encoder.encode(name);
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
    if (i + 1 < bytes.length) out += ALPHABET[(n >> 6) & 63];
    if (i + 2 < bytes.length) out += ALPHABET[n & 63];
  }
  return out;
}

/** The name a KV key holds, or `undefined` when it is not one {@linkcode keyOf} wrote. */
export function nameOf(key: string): string | undefined {
  if (key.length === 0 || key.length % 4 === 1) return undefined;
  const bytes = new Uint8Array(Math.floor((key.length * 3) / 4));
  let length = 0;
  for (let i = 0; i < key.length; i += 4) {
    let n = 0;
    const chunk = Math.min(4, key.length - i);
    for (let j = 0; j < 4; j++) {
      const value = j < chunk ? VALUE.get(key[i + j]) : 0;
      if (value === undefined) return undefined;
      n = (n << 6) | value;
    }
    bytes[length++] = (n >> 16) & 255;
    if (chunk > 2) bytes[length++] = (n >> 8) & 255;
    if (chunk > 3) bytes[length++] = n & 255;
  }
  try {
    const name = decoder.decode(bytes.subarray(0, length));
    return keyOf(name) === key ? name : undefined; // canonical only
  } catch {
    return undefined;
  }
}

/** The default bucket of cluster `cluster`: `beamlet_<cluster>_names`, sanitized. */
export function defaultBucket(cluster: string): string {
  return `beamlet_${cluster}_names`.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);
}
