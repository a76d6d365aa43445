/**
 * Checking and defaulting stage options (internal): subscriptions, buffers,
 * dispatchers. Bad values throw `TypeError` / `RangeError` saying what was
 * expected.
 *
 * @module
 */

import { inspect } from "../_inspect.ts";
import type {
  BufferOptions,
  CancelMode,
  DispatcherOption,
  PartitionKey,
  SubscribeOptions,
  SubscriptionOptions,
} from "./types.ts";

/** GenStage's defaults. */
export const DEFAULT_MAX_DEMAND = 1000;
export const DEFAULT_BUFFER_SIZE = 10_000;

const CANCEL_MODES: readonly string[] = ["permanent", "transient", "temporary"];

function describe(value: unknown): string {
  return inspect(value, 60);
}

/** A subscription's options, checked and defaulted (`to` is checked by the caller's resolve). */
export function subscriptionOptions(options: SubscribeOptions): SubscriptionOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `subscribe: expected options { to, maxDemand?, ... }, got ${describe(options)}`,
    );
  }
  const { to, maxDemand = DEFAULT_MAX_DEMAND, minDemand, cancel = "permanent", partition } =
    options;
  if (to === undefined || to === null) {
    throw new TypeError("subscribe: `to` (the producer's pid or name) is required");
  }
  if (typeof maxDemand !== "number" || !Number.isSafeInteger(maxDemand) || maxDemand <= 0) {
    throw new RangeError(
      `subscribe: maxDemand must be a positive integer, got ${describe(maxDemand)}`,
    );
  }
  const min = minDemand === undefined ? Math.floor(maxDemand * 3 / 4) : minDemand;
  if (typeof min !== "number" || !Number.isSafeInteger(min) || min < 0 || min >= maxDemand) {
    throw new RangeError(
      `subscribe: minDemand must be an integer with 0 <= minDemand < maxDemand (${maxDemand}), got ${
        describe(min)
      }`,
    );
  }
  if (typeof cancel !== "string" || !CANCEL_MODES.includes(cancel)) {
    throw new TypeError(
      `subscribe: cancel must be "permanent", "transient" or "temporary", got ${describe(cancel)}`,
    );
  }
  if (partition !== undefined && !isPartitionKey(partition)) {
    throw new TypeError(
      `subscribe: partition must be a string or a number, got ${describe(partition)}`,
    );
  }
  return { maxDemand, minDemand: min, cancel: cancel as CancelMode, partition };
}

/** Whether a value can name a partition. */
export function isPartitionKey(value: unknown): value is PartitionKey {
  return typeof value === "string" || (typeof value === "number" && !Number.isNaN(value));
}

/** A buffer's options, checked and defaulted. */
export function bufferOptions(
  options: BufferOptions | undefined,
): { size: number; overflow: "drop_oldest" | "drop_newest" } {
  if (options === undefined) return { size: DEFAULT_BUFFER_SIZE, overflow: "drop_oldest" };
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`stage buffer: expected { size?, overflow? }, got ${describe(options)}`);
  }
  const { size = DEFAULT_BUFFER_SIZE, overflow = "drop_oldest" } = options;
  if (
    typeof size !== "number" || !(size === Infinity || (Number.isSafeInteger(size) && size > 0))
  ) {
    throw new RangeError(
      `stage buffer: size must be a positive integer or Infinity, got ${describe(size)}`,
    );
  }
  if (overflow !== "drop_oldest" && overflow !== "drop_newest") {
    throw new TypeError(
      `stage buffer: overflow must be "drop_oldest" or "drop_newest", got ${describe(overflow)}`,
    );
  }
  return { size, overflow };
}

/** A checked partition dispatcher: its keys and hash. */
export interface PartitionSpec {
  readonly keys: readonly PartitionKey[];
  readonly hash: (event: unknown) => unknown;
}

/** A dispatcher option, checked: `"demand"`, `"broadcast"` or a partition spec. */
export function dispatcherOption(
  option: DispatcherOption<unknown> | undefined,
): "demand" | "broadcast" | PartitionSpec {
  if (option === undefined || option === "demand") return "demand";
  if (option === "broadcast") return "broadcast";
  if (typeof option !== "object" || option === null || option.type !== "partition") {
    throw new TypeError(
      `stage dispatcher: expected "demand", "broadcast" or { type: "partition", partitions, hash }, got ${
        describe(option)
      }`,
    );
  }
  const { partitions, hash } = option;
  if (typeof hash !== "function") {
    throw new TypeError(
      `stage dispatcher: partition hash must be a function, got ${describe(hash)}`,
    );
  }
  let keys: PartitionKey[];
  if (typeof partitions === "number") {
    if (!Number.isSafeInteger(partitions) || partitions <= 0) {
      throw new RangeError(
        `stage dispatcher: partitions must be a positive integer or a list of keys, got ${
          describe(partitions)
        }`,
      );
    }
    keys = Array.from({ length: partitions }, (_, i) => i);
  } else if (Array.isArray(partitions) && partitions.length > 0) {
    keys = [...partitions];
    if (!keys.every(isPartitionKey) || new Set(keys).size !== keys.length) {
      throw new TypeError(
        `stage dispatcher: partition keys must be distinct strings or numbers, got ${
          describe(keys)
        }`,
      );
    }
  } else {
    throw new RangeError(
      `stage dispatcher: partitions must be a positive integer or a non-empty list of keys, got ${
        describe(partitions)
      }`,
    );
  }
  return { keys, hash: hash as (event: unknown) => unknown };
}
