/**
 * Validating the options of {@linkcode PartitionSupervisor.start} (internal).
 *
 * @module
 */

import { MAX_PARTITION_COUNT } from "../partition/siphash.ts";
import type { ChildSpec } from "./child_spec.ts";
import type { PartitionSupervisorOptions } from "./partition_supervisor.ts";
import { hostCores } from "../_host.ts";

const WHERE = "PartitionSupervisor.start";
const SECRET_BYTES = 16;

/** The options with the partition count settled and every field checked. */
export interface CheckedPartitionOptions {
  readonly partitions: number;
  readonly child: PartitionSupervisorOptions<unknown>["child"];
  readonly overrides: Partial<Pick<ChildSpec, "restart" | "shutdown">>;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return String(value);
}

/** The host's core count, else 4 (at least 1). */
function defaultPartitions(): number {
  const cores = hostCores();
  return Number.isInteger(cores) && cores! >= 1 ? Math.min(cores!, MAX_PARTITION_COUNT) : 4;
}

/** Throws a TypeError / RangeError that says what was expected, or returns the settled options. */
export function checkPartitionOptions(
  options: PartitionSupervisorOptions<unknown>,
): CheckedPartitionOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${WHERE}: options must be an object, got ${describe(options)}`);
  }
  const child = options.child;
  if (
    typeof child !== "object" || child === null || typeof child.server !== "object" ||
    child.server === null || typeof child.server.init !== "function"
  ) {
    throw new TypeError(
      `${WHERE}: child must be { server, arg?, options? } with server.init a function, got ${
        describe(child)
      }`,
    );
  }
  if (
    child.options !== undefined && (typeof child.options !== "object" || child.options === null)
  ) {
    throw new TypeError(
      `${WHERE}: child.options must be an object, got ${describe(child.options)}`,
    );
  }
  if ((child.options as { name?: unknown } | undefined)?.name !== undefined) {
    throw new TypeError(
      `${WHERE}: child.options.name cannot be set: every partition would register the same name (route by key instead)`,
    );
  }
  let partitions = options.partitions;
  if (partitions === undefined) {
    partitions = defaultPartitions();
  } else if (typeof partitions !== "number") {
    throw new TypeError(`${WHERE}: partitions must be a number, got ${describe(partitions)}`);
  } else if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITION_COUNT) {
    throw new RangeError(
      `${WHERE}: partitions must be an integer from 1 to ${MAX_PARTITION_COUNT}, got ${partitions}`,
    );
  }
  if (options.name !== undefined && (typeof options.name !== "string" || options.name === "")) {
    throw new TypeError(`${WHERE}: name must be a non-empty string, got ${describe(options.name)}`);
  }
  const secret = options.secret;
  if (secret !== undefined) {
    if (!(secret instanceof Uint8Array)) {
      throw new TypeError(
        `${WHERE}: secret must be a Uint8Array of 16 bytes, got ${describe(secret)}`,
      );
    }
    if (secret.length !== SECRET_BYTES) {
      throw new RangeError(`${WHERE}: secret must be 16 bytes long, got ${secret.length}`);
    }
  }
  const overrides: CheckedPartitionOptions["overrides"] = {};
  if (child.restart !== undefined) overrides.restart = child.restart;
  if (child.shutdown !== undefined) overrides.shutdown = child.shutdown;
  return { partitions, child, overrides };
}
