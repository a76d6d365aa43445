/**
 * Logs every metric update as it happens, after Elixir's
 * `Telemetry.Metrics.ConsoleReporter`: for seeing what a set of definitions
 * does while writing them.
 *
 * @module
 */

import { formatReason } from "../../exit_reason.ts";
import type { Telemetry } from "../../telemetry/telemetry.ts";
import type { MetricDefinition } from "../types.ts";
import { checkDefinitions, checkPositiveInteger } from "../_check_definitions.ts";
import { DEFAULT_MAX_TAG_VALUE_LENGTH, type Sampler } from "../_sampler.ts";
import { attachPush, type SkipReason } from "./_push_handler.ts";
import { telemetryOf } from "../_telemetry_source.ts";

/**
 * Options of a {@linkcode ConsoleReporter}.
 *
 * @example
 * ```ts
 * import type { ConsoleReporterOptions } from "@beamlet/beamlet/metrics";
 *
 * const lines: string[] = [];
 * const options: ConsoleReporterOptions = { log: (line) => void lines.push(line) };
 * ```
 */
export interface ConsoleReporterOptions {
  /** Where lines go; default `console.log`. A throw is counted, never raised. */
  readonly log?: (line: string) => void;
  /** Tag values longer than this (UTF-16 code units) are truncated. Default 128. */
  readonly maxTagValueLength?: number;
}

const SKIPPED: Readonly<Record<SkipReason, string>> = {
  measurement: "measurement missing or not a finite number",
  tags: "a tag value is missing or not a primitive",
  callback: "a callback threw",
};

/**
 * Logs one line per metric update (or skipped sample):
 *
 * ```text
 * [metrics] beamlet.call.stop.duration distribution 1.5 millisecond {server="cache"}
 * [metrics] vm.memory.total lastValue skipped: measurement missing or not a finite number
 * ```
 *
 * @example
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 * import { ConsoleReporter, lastValue } from "@beamlet/beamlet/metrics";
 *
 * const telemetry = new Telemetry();
 * using _reporter = new ConsoleReporter(telemetry, [lastValue("vm.memory.total", { unit: "byte" })]);
 * telemetry.execute(["vm", "memory"], { total: 2048 });
 * // [metrics] vm.memory.total lastValue 2048 byte
 * ```
 */
export class ConsoleReporter implements Disposable {
  readonly #log: (line: string) => void;
  readonly #detach: () => boolean;
  #lines = 0;
  #logErrors = 0;

  /**
   * Checks the definitions and attaches to the telemetry of `source`: a
   * `System` (the system first) or a bare `Telemetry`.
   *
   * @throws {TypeError} if `log` is not a function, or a definition was not
   *   made by the definition functions.
   * @throws {DuplicateMetricError} if two definitions share a name.
   * @throws {RangeError} if `maxTagValueLength` is not a positive integer.
   */
  constructor(
    source: Telemetry | { readonly telemetry: Telemetry },
    definitions: readonly MetricDefinition[],
    options: ConsoleReporterOptions = {},
  ) {
    const where = "ConsoleReporter";
    const telemetry = telemetryOf(where, source);
    const log = options.log ?? ((line: string) => console.log(line));
    if (typeof log !== "function") throw new TypeError(`${where}: options.log must be a function`);
    const checked = checkDefinitions(where, definitions);
    const maxLength = checkPositiveInteger(
      where,
      "maxTagValueLength",
      options.maxTagValueLength ?? DEFAULT_MAX_TAG_VALUE_LENGTH,
    );
    this.#log = log;
    this.#detach = attachPush(telemetry, Symbol("beamlet.console"), checked, maxLength, {
      report: (sampler, value, tags) => this.#write(updateLine(sampler, value, tags)),
      skip: (sampler, reason, error) => this.#write(skipLine(sampler, reason, error)),
    });
  }

  /**
   * Lines logged, and logs that threw.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   * import { ConsoleReporter, counter } from "@beamlet/beamlet/metrics";
   *
   * const telemetry = new Telemetry();
   * const reporter = new ConsoleReporter(telemetry, [counter("app.tick.count")], { log: () => {} });
   * telemetry.execute(["app", "tick"], {});
   * console.log(reporter.stats()); // { lines: 1, logErrors: 0 }
   * ```
   */
  stats(): { readonly lines: number; readonly logErrors: number } {
    return { lines: this.#lines, logErrors: this.#logErrors };
  }

  /**
   * Detaches from telemetry; `false` if already detached.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   * import { ConsoleReporter } from "@beamlet/beamlet/metrics";
   *
   * const reporter = new ConsoleReporter(new Telemetry(), []);
   * console.log(reporter.detach(), reporter.detach()); // true false
   * ```
   */
  detach(): boolean {
    return this.#detach();
  }

  /** Same as {@linkcode ConsoleReporter.detach}, for `using`. */
  [Symbol.dispose](): void {
    this.detach();
  }

  #write(line: string): void {
    this.#lines++;
    try {
      this.#log(line);
    } catch {
      this.#logErrors++;
    }
  }
}

function updateLine(sampler: Sampler, value: number, tags: readonly string[]): string {
  const { name, type, unit, tags: names } = sampler.definition;
  let line = `[metrics] ${name} ${type} ${value}`;
  if (unit !== undefined && type !== "counter") line += " " + unit;
  if (names.length > 0) {
    line += " {" + names.map((tag, i) => `${tag}=${JSON.stringify(tags[i])}`).join(", ") + "}";
  }
  return line;
}

function skipLine(sampler: Sampler, reason: SkipReason, error: unknown): string {
  const { name, type } = sampler.definition;
  let line = `[metrics] ${name} ${type} skipped: ${SKIPPED[reason]}`;
  if (reason === "callback") {
    line += ": " + formatReason(error);
  }
  return line;
}
