/**
 * Named errors of the global registry.
 *
 * @module
 */

/**
 * The global registry could not use its JetStream key-value bucket: no
 * JetStream on the NATS server, the bucket could not be created or opened,
 * or a read or write failed (the connection was lost, a timeout). `cause`
 * holds the NATS client's error.
 *
 * @example
 * ```ts
 * import { GlobalRegistryError } from "@beamlet/beamlet/cluster";
 *
 * const error = new GlobalRegistryError("register", "cart:7", new Error("timeout"));
 * console.log(error.code, error.message);
 * // "global_registry" "register cart:7: the global registry's KV bucket failed: timeout"
 * ```
 */
export class GlobalRegistryError extends Error {
  /** `"global_registry"`. */
  readonly code = "global_registry";
  /** What was asked: `"open"`, `"register"`, `"unregister"`, `"lookup"`. */
  readonly operation: string;

  /** Built when the registry's KV bucket fails; `cause` is the NATS client's error. */
  constructor(operation: string, subject: string, cause: unknown) {
    super(
      `${operation} ${subject}: the global registry's KV bucket failed: ${describeCause(cause)}`,
      { cause },
    );
    this.name = "GlobalRegistryError";
    this.operation = operation;
  }
}

/**
 * The global registry was closed (`close()`, or the system left its
 * cluster): it registers nothing more.
 *
 * @example
 * ```ts
 * import { GlobalRegistryClosedError } from "@beamlet/beamlet/cluster";
 *
 * console.log(new GlobalRegistryClosedError("register").message);
 * // "register: the global registry is closed"
 * ```
 */
export class GlobalRegistryClosedError extends Error {
  /** `"global_registry_closed"`. */
  readonly code = "global_registry_closed";

  /** Built when a closed registry is asked to change. */
  constructor(operation: string) {
    super(`${operation}: the global registry is closed`);
    this.name = "GlobalRegistryClosedError";
  }
}

/** The message of a cause, read defensively. */
function describeCause(cause: unknown): string {
  try {
    if (cause instanceof Error) return cause.message;
    return String(cause);
  } catch {
    return "an unreadable error";
  }
}
