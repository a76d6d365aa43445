/**
 * Checks the definition list given to `Metrics` and the reporters.
 *
 * @module
 */

import { DuplicateMetricError } from "./errors.ts";
import type { MetricDefinition } from "./types.ts";
import { isDefinition } from "./_define.ts";

/** A frozen copy of `definitions`; throws on a foreign object or a repeated name. */
export function checkDefinitions(
  where: string,
  definitions: unknown,
): readonly MetricDefinition[] {
  if (!Array.isArray(definitions)) {
    throw new TypeError(`${where}: definitions must be an array of metric definitions`);
  }
  const names = new Set<string>();
  for (let i = 0; i < definitions.length; i++) {
    const definition: unknown = definitions[i];
    if (!isDefinition(definition)) {
      throw new TypeError(
        `${where}: definitions[${i}] must be made by counter, sum, lastValue, summary or distribution`,
      );
    }
    if (names.has(definition.name)) throw new DuplicateMetricError(definition.name);
    names.add(definition.name);
  }
  return Object.freeze([...definitions]);
}

/** Checks a positive integer option. */
export function checkPositiveInteger(where: string, option: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${where}: ${option} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
