/**
 * The checks of what users give the global registry (internal): each
 * refuses a bad value — a hostile one too (a Proxy whose getters throw) —
 * with a `TypeError` or `RangeError` saying what was expected.
 *
 * @module
 */

import type { Pid } from "../../pid.ts";
import { isPid } from "../../kernel/mailbox/delivery.ts";
import type { GlobalRegistryOptions, NameResolver } from "./options.ts";

/** The longest name (UTF-16 code units): its key stays a reasonable subject. */
export const MAX_NAME_LENGTH = 1024;

const BUCKET = /^[A-Za-z0-9_-]{1,64}$/;

/** The options, read once and checked. */
export interface CheckedOptions {
  readonly bucket: string | undefined;
  readonly replicas: number;
  readonly resolve: NameResolver | undefined;
  readonly staleAfterMs: number | undefined;
}

/** Reads `options` (TypeError / RangeError). */
export function checkOptions(options: unknown): CheckedOptions {
  if (options === undefined) {
    return { bucket: undefined, replicas: 1, resolve: undefined, staleAfterMs: undefined };
  }
  let read: GlobalRegistryOptions;
  try {
    if (typeof options !== "object" || options === null) throw new Error();
    const o = options as GlobalRegistryOptions;
    read = {
      bucket: o.bucket,
      replicas: o.replicas,
      resolve: o.resolve,
      staleAfterMs: o.staleAfterMs,
    };
  } catch {
    throw new TypeError(
      "GlobalRegistry: options must be an object { bucket?, replicas?, resolve?, staleAfterMs? }",
    );
  }
  const { bucket, replicas, resolve, staleAfterMs } = read;
  if (bucket !== undefined && (typeof bucket !== "string" || !BUCKET.test(bucket))) {
    throw new TypeError(
      `GlobalRegistry: bucket must be 1 to 64 characters A-Z a-z 0-9 _ -, got ${describe(bucket)}`,
    );
  }
  if (replicas !== undefined && replicas !== 1 && replicas !== 3 && replicas !== 5) {
    throw new RangeError(`GlobalRegistry: replicas must be 1, 3 or 5, got ${describe(replicas)}`);
  }
  if (resolve !== undefined && typeof resolve !== "function") {
    throw new TypeError(
      `GlobalRegistry: resolve must be a function (name, holder, challenger), got ${
        describe(resolve)
      }`,
    );
  }
  if (
    staleAfterMs !== undefined &&
    (typeof staleAfterMs !== "number" || !Number.isFinite(staleAfterMs) || staleAfterMs < 1 ||
      staleAfterMs > 3_600_000)
  ) {
    throw new RangeError(
      `GlobalRegistry: staleAfterMs must be a number of ms from 1 to 3600000, got ${
        describe(staleAfterMs)
      }`,
    );
  }
  return { bucket, replicas: replicas ?? 1, resolve, staleAfterMs };
}

/** `name`, if it is a name: a non-empty string of at most {@linkcode MAX_NAME_LENGTH}. */
export function checkName(what: string, name: unknown): string {
  if (typeof name !== "string" || name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new TypeError(
      `${what}: a name must be a string of 1 to ${MAX_NAME_LENGTH} characters, got ${
        describe(name)
      }`,
    );
  }
  return name;
}

/** `pid`, if it is a pid of node `node`. */
export function checkLocalPid(what: string, pid: unknown, node: string): Pid {
  if (!isPid(pid)) throw new TypeError(`${what}: expected a pid, got ${describe(pid)}`);
  if (pid.node !== node) {
    throw new TypeError(
      `${what}: ${pid} is not a process of this node (${node}); ` +
        "a process is registered from its own node",
    );
  }
  return pid;
}

/** A short description of a value for an error message. Never throws. */
export function describe(value: unknown): string {
  try {
    if (typeof value === "string") {
      return value.length > 60 ? `a string of ${value.length} characters` : JSON.stringify(value);
    }
    if (value === null) return "null";
    if (typeof value === "number") return String(value);
    if (Array.isArray(value)) return "an array";
    return typeof value;
  } catch {
    return "an unreadable value";
  }
}
