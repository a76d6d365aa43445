/**
 * Named errors of the introspection tools.
 *
 * @module
 */

/**
 * `procCount` / `procWindow` were asked to rank processes by an attribute
 * they do not know. A `TypeError`: the argument has the wrong value.
 *
 * @example Catching a typo
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { procCount, UnknownAttributeError } from "@beamlet/beamlet/introspection";
 *
 * const system = new System();
 * try {
 *   procCount(system, "queueLen" as "reductions", 5);
 * } catch (error) {
 *   if (error instanceof UnknownAttributeError) console.log(error.expected);
 * }
 * ```
 */
export class UnknownAttributeError extends TypeError {
  /** What was given. */
  readonly attribute: unknown;
  /** The attributes known. */
  readonly expected: readonly string[];

  /** Built by the introspection tools when they validate their attribute. */
  constructor(where: string, attribute: unknown, expected: readonly string[]) {
    super(
      `${where}: attribute must be one of ${expected.map((a) => `"${a}"`).join(", ")}, got ${
        typeof attribute === "string" ? `"${attribute}"` : String(attribute)
      }`,
    );
    this.name = "UnknownAttributeError";
    this.attribute = attribute;
    this.expected = expected;
  }
}

/**
 * `supervisionTree` was given a root that is alive but is not a supervisor
 * (started by `Supervisor`, `DynamicSupervisor` or `PartitionSupervisor`).
 *
 * @example A worker is not a root
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 * import { NotSupervisorError, supervisionTree } from "@beamlet/beamlet/introspection";
 *
 * const system = new System();
 * const pid = await system.start({ init: () => ok(0) });
 * await supervisionTree(system, pid).catch((error) => {
 *   if (error instanceof NotSupervisorError) console.log(error.target); // "#PID<0.1.0>"
 * });
 * ```
 */
export class NotSupervisorError extends Error {
  /** The pid or name given. */
  readonly target: string;

  /** Built by `supervisionTree` when its root is not a supervisor. */
  constructor(target: string, options?: ErrorOptions) {
    super(`not a supervisor: ${target}`, options);
    this.name = "NotSupervisorError";
    this.target = target;
  }
}
