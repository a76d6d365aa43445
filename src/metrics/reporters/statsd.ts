/**
 * Pushes every sample to a StatsD server as it happens, after Elixir's
 * `telemetry_metrics_statsd`, through a transport you supply.
 *
 * @module
 */

import type { Telemetry } from "../../telemetry/telemetry.ts";
import type { MetricDefinition } from "../types.ts";
import { checkDefinitions, checkPositiveInteger } from "../_check_definitions.ts";
import { DEFAULT_MAX_TAG_VALUE_LENGTH, type Sampler } from "../_sampler.ts";
import { attachPush } from "./_push_handler.ts";
import { formatStatsdLine, type StatsdFormat } from "./statsd_line.ts";
import { telemetryOf } from "../_telemetry_source.ts";

/**
 * Options of a {@linkcode StatsdReporter}.
 *
 * @example A UDP transport on Node
 * ```ts
 * import type { StatsdOptions } from "@beamlet/beamlet/metrics";
 *
 * const packets: string[] = [];
 * const options: StatsdOptions = {
 *   send: (packet) => void packets.push(packet), // e.g. socket.send(packet, 8125, "127.0.0.1")
 *   format: "datadog",
 *   globalTags: { service: "shop" },
 * };
 * ```
 */
export interface StatsdOptions {
  /**
   * Sends one packet (lines joined by `\n`). A throw or a rejected Promise
   * is counted in `stats().sendErrors` and handed to `onError`.
   */
  readonly send: (packet: string) => unknown;
  /** The dialect; default `"standard"`. */
  readonly format?: StatsdFormat;
  /** Prepended to every name with a `.`. */
  readonly prefix?: string;
  /** DogStatsD tags added to every line. */
  readonly globalTags?: Readonly<Record<string, string>>;
  /** Largest packet in UTF-8 bytes (a longer single line goes alone). Default 512. */
  readonly mtu?: number;
  /** Tag values longer than this (UTF-16 code units) are truncated. Default 128. */
  readonly maxTagValueLength?: number;
  /**
   * Flush buffered lines in a microtask after the first line of a packet
   * (`true`, default), or only when a packet is full and on `flush()`.
   */
  readonly autoFlush?: boolean;
  /** Told of every failed send. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Counters of a {@linkcode StatsdReporter}.
 *
 * @example
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 * import { StatsdReporter } from "@beamlet/beamlet/metrics";
 *
 * const reporter = new StatsdReporter(new Telemetry(), [], { send: () => {} });
 * console.log(reporter.stats().packets); // 0
 * ```
 */
export interface StatsdStats {
  /** Lines formatted. */
  readonly lines: number;
  /** Packets handed to `send`. */
  readonly packets: number;
  /** Sends that threw or rejected. */
  readonly sendErrors: number;
  /** Samples skipped (bad measurement or tag value, a callback that threw). */
  readonly skipped: number;
  /** Of `skipped`, samples whose callback threw. */
  readonly failedCallbacks: number;
}

/**
 * Formats every sample of the definitions as a StatsD line (see
 * {@linkcode formatStatsdLine}) and sends them batched into packets of at
 * most `mtu` bytes. Nothing it does throws into the emitter: a failing
 * `send` is counted, a bad sample is skipped and counted.
 *
 * @example DogStatsD over a user transport
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 * import { counter, StatsdReporter } from "@beamlet/beamlet/metrics";
 *
 * const telemetry = new Telemetry();
 * const packets: string[] = [];
 * using statsd = new StatsdReporter(telemetry, [counter("beamlet.cast.count", { tags: ["server"] })], {
 *   send: (packet) => void packets.push(packet),
 *   format: "datadog",
 * });
 * telemetry.execute(["beamlet", "cast"], {}, { server: "cache" });
 * statsd.flush();
 * console.log(packets); // ["beamlet.cast.count:1|c|#server:cache"]
 * ```
 */
export class StatsdReporter implements Disposable {
  readonly #options: StatsdOptions;
  readonly #mtu: number;
  readonly #detach: () => boolean;
  #buffer = "";
  #bufferBytes = 0;
  #flushScheduled = false;
  #lines = 0;
  #packets = 0;
  #sendErrors = 0;
  #skipped = 0;
  #failedCallbacks = 0;

  /**
   * Checks the definitions and options and attaches to the telemetry of
   * `source`: a `System` (the system first) or a bare `Telemetry`.
   *
   * @throws {TypeError} if `send` is not a function, or a definition was not
   *   made by the definition functions.
   * @throws {DuplicateMetricError} if two definitions share a name.
   * @throws {RangeError} if `mtu` or `maxTagValueLength` is not a positive integer.
   */
  constructor(
    source: Telemetry | { readonly telemetry: Telemetry },
    definitions: readonly MetricDefinition[],
    options: StatsdOptions,
  ) {
    const where = "StatsdReporter";
    const telemetry = telemetryOf(where, source);
    if (typeof options?.send !== "function") {
      throw new TypeError(`${where}: options.send must be a function`);
    }
    if (
      options.format !== undefined && options.format !== "standard" && options.format !== "datadog"
    ) {
      throw new TypeError(`${where}: options.format must be "standard" or "datadog"`);
    }
    const checked = checkDefinitions(where, definitions);
    this.#options = options;
    this.#mtu = checkPositiveInteger(where, "mtu", options.mtu ?? 512);
    const maxLength = checkPositiveInteger(
      where,
      "maxTagValueLength",
      options.maxTagValueLength ?? DEFAULT_MAX_TAG_VALUE_LENGTH,
    );
    this.#detach = attachPush(telemetry, Symbol("beamlet.statsd"), checked, maxLength, {
      report: (sampler, value, tags) => this.#report(sampler, value, tags),
      skip: (_sampler, reason) => {
        this.#skipped++;
        if (reason === "callback") this.#failedCallbacks++;
      },
    });
  }

  /**
   * Sends the buffered lines now, if any.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   * import { lastValue, StatsdReporter } from "@beamlet/beamlet/metrics";
   *
   * const telemetry = new Telemetry();
   * const sent: string[] = [];
   * const statsd = new StatsdReporter(telemetry, [lastValue("vm.memory.total")], {
   *   send: (p) => void sent.push(p),
   *   autoFlush: false,
   * });
   * telemetry.execute(["vm", "memory"], { total: 10 });
   * statsd.flush();
   * console.log(sent); // ["vm.memory.total:10|g"]
   * ```
   */
  flush(): void {
    if (this.#buffer.length === 0) return;
    const packet = this.#buffer;
    this.#buffer = "";
    this.#bufferBytes = 0;
    this.#send(packet);
  }

  /**
   * Counters: lines, packets, failed sends, skipped samples.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   * import { counter, StatsdReporter } from "@beamlet/beamlet/metrics";
   *
   * const telemetry = new Telemetry();
   * const statsd = new StatsdReporter(telemetry, [counter("app.tick.count")], {
   *   send: () => {
   *     throw new Error("network down");
   *   },
   * });
   * telemetry.execute(["app", "tick"], {});
   * statsd.flush();
   * console.log(statsd.stats().sendErrors); // 1
   * ```
   */
  stats(): StatsdStats {
    return {
      lines: this.#lines,
      packets: this.#packets,
      sendErrors: this.#sendErrors,
      skipped: this.#skipped,
      failedCallbacks: this.#failedCallbacks,
    };
  }

  /**
   * Flushes, then detaches from telemetry; `false` if already detached.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   * import { StatsdReporter } from "@beamlet/beamlet/metrics";
   *
   * const statsd = new StatsdReporter(new Telemetry(), [], { send: () => {} });
   * console.log(statsd.detach(), statsd.detach()); // true false
   * ```
   */
  detach(): boolean {
    const detached = this.#detach();
    if (detached) this.flush();
    return detached;
  }

  /** Same as {@linkcode StatsdReporter.detach}, for `using`. */
  [Symbol.dispose](): void {
    this.detach();
  }

  #report(sampler: Sampler, value: number, tags: readonly string[]): void {
    let line: string;
    try {
      line = formatStatsdLine(sampler.definition, value, tags, this.#options);
    } catch {
      this.#skipped++;
      return;
    }
    this.#lines++;
    const bytes = utf8Length(line);
    if (this.#buffer.length > 0 && this.#bufferBytes + 1 + bytes > this.#mtu) this.flush();
    if (this.#buffer.length === 0) {
      this.#buffer = line;
      this.#bufferBytes = bytes;
      this.#schedule();
    } else {
      this.#buffer += "\n" + line;
      this.#bufferBytes += 1 + bytes;
    }
    if (this.#bufferBytes >= this.#mtu) this.flush();
  }

  #schedule(): void {
    if (this.#flushScheduled || this.#options.autoFlush === false) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      this.flush();
    });
  }

  #send(packet: string): void {
    this.#packets++;
    try {
      const returned: unknown = this.#options.send(packet);
      if (isThenable(returned)) returned.then(undefined, (error) => this.#failed(error));
    } catch (error) {
      this.#failed(error);
    }
  }

  #failed(error: unknown): void {
    this.#sendErrors++;
    try {
      this.#options.onError?.(error);
    } catch {
      // An error handler that fails has nowhere left to report to.
    }
  }
}

function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 2; // 4 bytes for 2 code units
        i++;
      } else bytes += 2;
    } else bytes += 2;
  }
  return bytes;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}
