/**
 * Reads and checks the `cluster` option of a System (internal): a
 * TypeError or RangeError naming the field, at `new System`.
 *
 * @module
 */

import type { ClusterOptions } from "./cluster_options.ts";
import { readOptions } from "../_options.ts";
import { describeValue } from "../_inspect.ts";

const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const SERVER = /^(nats:\/\/|tls:\/\/)?[^\s,]+$/;

/** The settings of a node's cluster, checked. */
export interface ClusterSettingsOf {
  readonly name: string;
  readonly servers: readonly string[];
  readonly heartbeatMs: number;
  readonly downAfterMs: number;
  readonly connectTimeoutMs: number;
}

/** The settings, and the connection given (if any). */
export function clusterSettings(
  options: unknown,
): { settings: ClusterSettingsOf; connection: object | undefined } {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `System: cluster must be an object { name, servers }, got ${describeValue(options)}`,
    );
  }
  const read = readOptions("System: cluster", () => {
    const o = options as ClusterOptions;
    return {
      name: o.name,
      servers: o.servers,
      connection: o.connection,
      heartbeatMs: o.heartbeatMs,
      downAfterMs: o.downAfterMs,
      connectTimeoutMs: o.connectTimeoutMs,
    };
  });
  if (typeof read.name !== "string" || !CLUSTER_NAME.test(read.name)) {
    throw new TypeError(
      `System: cluster.name must be 1 to 64 characters A-Z a-z 0-9 _ -, got ${
        describeValue(read.name)
      }`,
    );
  }
  const raw = read.servers ?? "127.0.0.1:4222";
  const servers = typeof raw === "string" ? [raw] : Array.isArray(raw) ? [...raw] : undefined;
  if (
    servers === undefined || servers.length === 0 ||
    !servers.every((s) => typeof s === "string" && SERVER.test(s))
  ) {
    throw new TypeError(
      `System: cluster.servers must be a server "host:port" or a non-empty array of them, got ${
        describeValue(raw)
      }`,
    );
  }
  const connection = read.connection;
  if (
    connection !== undefined &&
    (typeof connection !== "object" || connection === null ||
      typeof (connection as { publish?: unknown }).publish !== "function" ||
      typeof (connection as { subscribe?: unknown }).subscribe !== "function")
  ) {
    throw new TypeError(
      `System: cluster.connection must be a NatsConnection, got ${describeValue(connection)}`,
    );
  }
  const heartbeatMs = ms("heartbeatMs", read.heartbeatMs, 250, 10, 60_000);
  const downAfterMs = ms("downAfterMs", read.downAfterMs, 6 * heartbeatMs, 1, 3_600_000);
  if (downAfterMs <= 2 * heartbeatMs) {
    throw new RangeError(
      `System: cluster.downAfterMs must be more than twice heartbeatMs (${heartbeatMs}), got ${downAfterMs}`,
    );
  }
  const connectTimeoutMs = ms("connectTimeoutMs", read.connectTimeoutMs, 2000, 1, 3_600_000);
  return {
    settings: { name: read.name, servers, heartbeatMs, downAfterMs, connectTimeoutMs },
    connection,
  };
}

function ms(field: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `System: cluster.${field} must be an integer number of ms in ${min}..${max}, got ${
        describeValue(value)
      }`,
    );
  }
  return value;
}
