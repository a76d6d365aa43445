/**
 * The reduction-budget option both cores take (internal), checked in one place
 * so they accept and refuse exactly the same values.
 *
 * @module
 */

import { DEFAULT_REDUCTION_BUDGET, MAX_REDUCTION_BUDGET } from "./core.ts";

/** `budget`, or the default; a RangeError (naming `owner`) unless an integer in 1..MAX_REDUCTION_BUDGET. */
export function reductionBudgetOf(budget: number | undefined, owner: string): number {
  const value = budget ?? DEFAULT_REDUCTION_BUDGET;
  if (
    typeof value !== "number" || !Number.isInteger(value) || value < 1 ||
    value > MAX_REDUCTION_BUDGET
  ) {
    throw new RangeError(
      `${owner}: reductionBudget must be an integer in 1..${MAX_REDUCTION_BUDGET}, got ${
        String(value)
      }`,
    );
  }
  return value;
}
