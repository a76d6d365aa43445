/**
 * From a message's partition key to a partition index (internal): strings
 * hash with FNV-1a, safe integers go by remainder, other finite numbers hash
 * as their decimal string. Anything else — and a `partitionBy` that throws —
 * is a {@linkcode PartitionKeyError}, so the message is failed, not lost.
 *
 * @module
 */

import { describeValue } from "../_inspect.ts";
import { PartitionKeyError } from "./errors.ts";
import type { PipelineMessage } from "./message.ts";

/** The partition function a pipeline was given. */
export type PartitionBy = (message: PipelineMessage<never>) => string | number;

/** FNV-1a over the UTF-16 code units of `text`, as an unsigned 32-bit integer. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The partition (in `0..partitions-1`) of `key`, or `undefined` if it is not a key. */
export function partitionOfKey(key: unknown, partitions: number): number | undefined {
  if (typeof key === "string") return hashString(key) % partitions;
  if (typeof key !== "number" || !Number.isFinite(key)) return undefined;
  if (Number.isSafeInteger(key)) return ((key % partitions) + partitions) % partitions;
  return hashString(String(key)) % partitions;
}

/** The key `partitionBy` gives `message`, or the error to fail it with. */
export function partitionKeyOf(
  pipeline: string,
  partitionBy: PartitionBy,
  message: PipelineMessage,
): string | number | PartitionKeyError {
  let key: unknown;
  try {
    key = partitionBy(message as PipelineMessage<never>);
  } catch (error) {
    return new PartitionKeyError(pipeline, "threw", { cause: error });
  }
  if (typeof key === "string" || (typeof key === "number" && Number.isFinite(key))) return key;
  return new PartitionKeyError(pipeline, describeValue(key));
}
