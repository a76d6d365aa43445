/**
 * Entry points: the `timeout`, `continue` and `hibernate` options inside a
 * callback's result (private: not a test file). A hostile option value, or a
 * getter that throws for it, in an otherwise valid result of `init`,
 * `handleCall`, `handleCast`, `handleInfo` or `handleContinue` — returned
 * directly or through a Promise — is played by the callback scenario of
 * `_callback_entries.ts`, with all its checks.
 *
 * @module
 */

import fc from "fast-check";
import { describeHostile, type Hostile, hostile, hostileNumberLike } from "./_hostile.ts";
import {
  type CallbackName,
  describeOutcome,
  type How,
  type Outcome,
  playCallback,
} from "./_callback_entries.ts";
import type { EntryPoint } from "./_property.ts";

/** The options a result may carry. */
export type ResultOption = "timeout" | "continue" | "hibernate";

/** One input: which callback, how it answers, and the option's hostile value (or a throwing getter). */
export interface ResultOptionInput {
  readonly callback: Exclude<CallbackName, "terminate">;
  readonly how: Extract<How, "return" | "resolve" | "asyncReturn">;
  readonly value: Hostile | { readonly kind: "getterThrows" };
}

const VALID_TYPE = {
  init: "ok",
  handleCall: "reply",
  handleCast: "noreply",
  handleInfo: "noreply",
  handleContinue: "noreply",
} as const;

function outcomeOf(option: ResultOption, input: ResultOptionInput): Outcome {
  const getter = input.value.kind === "getterThrows";
  return {
    how: input.how,
    value: {
      kind: "result",
      type: VALID_TYPE[input.callback],
      fields: {
        state: { kind: "sane" },
        ...(input.callback === "handleCall" ? { reply: { kind: "sane" as const } } : {}),
        ...(getter ? {} : { [option]: input.value as Hostile }),
      },
      getters: getter ? [option] : [],
      frozen: false,
    },
  };
}

function optionEntry(
  option: ResultOption,
  values: fc.Arbitrary<Hostile>,
): EntryPoint<ResultOptionInput> {
  return {
    name: `result option ${option}: a hostile value is contained`,
    input: fc.record({
      callback: fc.constantFrom("init", "handleCall", "handleCast", "handleInfo", "handleContinue"),
      how: fc.constantFrom("return", "resolve", "asyncReturn"),
      value: fc.oneof(
        { arbitrary: values, weight: 9 },
        { arbitrary: fc.constant({ kind: "getterThrows" as const }), weight: 1 },
      ),
    }) as fc.Arbitrary<ResultOptionInput>,
    describe: (input) =>
      `${describeOutcome(input.callback, outcomeOf(option, input))}${
        input.value.kind === "getterThrows"
          ? ""
          : ` (${option}: ${describeHostile(input.value as Hostile)})`
      }`,
    run: (input, run) =>
      playCallback(run, input.callback, { outcome: outcomeOf(option, input), withChild: false }),
  };
}

/** The three result-option entry points. */
export const resultOptionEntries: readonly EntryPoint<ResultOptionInput>[] = [
  optionEntry("timeout", hostileNumberLike()),
  optionEntry("continue", hostile()),
  optionEntry("hibernate", hostile()),
];
