/**
 * One value to bytes and back for messages between nodes (internal), with
 * the codec of messages between schedulers (`../schedulers/_codec.ts`):
 * pids, refs and beamlet's errors come back as themselves.
 *
 * @module
 */

import { Reader, Writer } from "../schedulers/_codec.ts";

const writer = new Writer();
const reader = new Reader();

/** The bytes of `value` (a copy: the caller may keep them). Throws `UnencodableError`. */
export function encodeValue(value: unknown): Uint8Array {
  writer.reset();
  try {
    writer.value(value);
    return writer.bytes.slice(0, writer.length);
  } finally {
    writer.reset();
  }
}

/** The value `bytes` hold. Throws `UndecodableError`. */
export function decodeValue(bytes: Uint8Array): unknown {
  reader.reset(bytes, 0, bytes.length);
  return reader.value();
}
