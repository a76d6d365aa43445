/**
 * The query of `GET /processes`: what to sort by, which way, and which
 * page; every value checked (a malformed one is a 400, never a 500).
 *
 * @module
 */

import { PROCESS_ATTRIBUTES, type ProcessAttribute } from "../introspection/process_attribute.ts";
import { HttpError } from "./_http_error.ts";
import { MAX_OFFSET } from "./_limits.ts";

/** A checked `/processes` query. */
export interface ProcessQuery {
  readonly sort: ProcessAttribute;
  readonly order: "asc" | "desc";
  readonly offset: number;
  readonly limit: number;
}

function integer(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^[0-9]{1,10}$/.test(text)) {
    throw new HttpError(400, `${name} must be a non-negative integer`);
  }
  const value = Number(text);
  if (value > max) throw new HttpError(400, `${name} must be at most ${max}`);
  return value;
}

/**
 * Reads `sort`, `order`, `offset` and `limit` (defaults: `messageQueueLength`,
 * `desc`, 0, min(50, maxPageSize)).
 *
 * @throws {HttpError} 400 for an unknown sort or order, or an offset or limit
 *   that is not an integer in range (limit 1..maxPageSize).
 */
export function parseProcessQuery(
  query: (name: string) => string | undefined,
  maxPageSize: number,
): ProcessQuery {
  const sort = query("sort") ?? "messageQueueLength";
  if (!(PROCESS_ATTRIBUTES as readonly string[]).includes(sort)) {
    throw new HttpError(400, `sort must be one of ${PROCESS_ATTRIBUTES.join(", ")}`);
  }
  const order = query("order") ?? "desc";
  if (order !== "asc" && order !== "desc") throw new HttpError(400, "order must be asc or desc");
  const offset = integer("offset", query("offset"), 0, MAX_OFFSET);
  const limit = integer("limit", query("limit"), Math.min(50, maxPageSize), maxPageSize);
  if (limit < 1) throw new HttpError(400, "limit must be at least 1");
  return { sort: sort as ProcessAttribute, order, offset, limit };
}
