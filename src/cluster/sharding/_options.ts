/**
 * Reads and checks a sharding's options (internal): every option is read
 * once, through guards, so a hostile options object (a Proxy whose getters
 * throw) is a `TypeError` naming the option, never its raw error.
 *
 * @module
 */

import type { GenServer } from "../../gen_server.ts";
import type { EntityInit, ShardKey } from "./options.ts";

/** The largest timeout a sharding takes (a host timer's range). */
export const MAX_SHARDING_TIMEOUT_MS = 2_147_483_647;
const MAX_SHARDS = 4096;
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const HANDLERS = [
  "handleCall",
  "handleCast",
  "handleInfo",
  "handleContinue",
  "terminate",
  "formatStatus",
] as const;

/** The checked options. */
export interface ShardingSettings {
  readonly name: string;
  readonly entity: GenServer<unknown, EntityInit>;
  readonly shards: number;
  readonly begin: (state: unknown, key: ShardKey) => unknown;
  readonly handoffTimeoutMs: number;
  readonly passivateAfterMs: number;
  readonly callTimeoutMs: number;
}

function read(object: object, key: string, what: string): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch (error) {
    throw new TypeError(`${what} cannot be read`, { cause: error });
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value.slice(0, 40));
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return typeof value;
}

/** A duration option: a number of ms in (0, MAX] (or `Infinity` when allowed). */
export function durationOf(
  what: string,
  value: unknown,
  fallback: number,
  infinity: boolean,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") {
    throw new TypeError(`${what} must be a number of ms, got ${describe(value)}`);
  }
  if (infinity && value === Infinity) return value;
  if (!(value > 0 && value <= MAX_SHARDING_TIMEOUT_MS)) {
    throw new RangeError(
      `${what} must be a number of ms in (0, ${MAX_SHARDING_TIMEOUT_MS}]${
        infinity ? " or Infinity" : ""
      }, got ${describe(value)}`,
    );
  }
  return value;
}

/** Checks `options` of `Sharding.start`. */
export function shardingSettings(options: unknown): ShardingSettings {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Sharding.start: options must be an object, got ${describe(options)}`);
  }
  const name = read(options, "name", "Sharding.start: options.name");
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new TypeError(
      `Sharding.start: options.name must be 1 to 64 letters, digits, _ or -, got ${describe(name)}`,
    );
  }
  const entity = entityOf(read(options, "entity", "Sharding.start: options.entity"));
  const shards = read(options, "shards", "Sharding.start: options.shards") ?? 64;
  if (typeof shards !== "number") {
    throw new TypeError(`Sharding.start: options.shards must be a number, got ${describe(shards)}`);
  }
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) {
    throw new RangeError(
      `Sharding.start: options.shards must be an integer in 1..${MAX_SHARDS}, got ${shards}`,
    );
  }
  const handoff = read(options, "handoff", "Sharding.start: options.handoff");
  let begin: (state: unknown, key: ShardKey) => unknown = (state) => state;
  if (handoff !== undefined) {
    if (typeof handoff !== "object" || handoff === null) {
      throw new TypeError(
        `Sharding.start: options.handoff must be an object { begin? }, got ${describe(handoff)}`,
      );
    }
    const given = read(handoff, "begin", "Sharding.start: options.handoff.begin");
    if (given !== undefined) {
      if (typeof given !== "function") {
        throw new TypeError(
          `Sharding.start: options.handoff.begin must be a function (state, key) => value, got ${
            describe(given)
          }`,
        );
      }
      begin = (state, key) =>
        (given as (s: unknown, k: ShardKey) => unknown).call(handoff, state, key);
    }
  }
  return {
    name,
    entity,
    shards,
    begin,
    handoffTimeoutMs: durationOf(
      "Sharding.start: options.handoffTimeoutMs",
      read(options, "handoffTimeoutMs", "Sharding.start: options.handoffTimeoutMs"),
      5000,
      false,
    ),
    passivateAfterMs: durationOf(
      "Sharding.start: options.passivateAfterMs",
      read(options, "passivateAfterMs", "Sharding.start: options.passivateAfterMs"),
      Infinity,
      true,
    ),
    callTimeoutMs: durationOf(
      "Sharding.start: options.callTimeoutMs",
      read(options, "callTimeoutMs", "Sharding.start: options.callTimeoutMs"),
      5000,
      false,
    ),
  };
}

/** A copy of the entity's callbacks, each checked to be a function. */
function entityOf(entity: unknown): GenServer<unknown, EntityInit> {
  if (typeof entity !== "object" || entity === null) {
    throw new TypeError(
      `Sharding.start: options.entity must be a GenServer definition { init, handleCall?, ... }, got ${
        describe(entity)
      }`,
    );
  }
  const init = read(entity, "init", "Sharding.start: options.entity.init");
  if (typeof init !== "function") {
    throw new TypeError(`Sharding.start: options.entity.init must be a function`);
  }
  const copy: Record<string, unknown> = { init: init.bind(entity) };
  for (const handler of HANDLERS) {
    const value = read(entity, handler, `Sharding.start: options.entity.${handler}`);
    if (value === undefined) continue;
    if (typeof value !== "function") {
      throw new TypeError(`Sharding.start: options.entity.${handler} must be a function`);
    }
    copy[handler] = value.bind(entity);
  }
  return copy as unknown as GenServer<unknown, EntityInit>;
}

/** Checks a key: a string or a number. */
export function checkKey(what: string, key: unknown): ShardKey {
  if (typeof key === "string" || (typeof key === "number" && !Number.isNaN(key))) return key;
  throw new TypeError(`${what}: key must be a string or a number, got ${describe(key)}`);
}
