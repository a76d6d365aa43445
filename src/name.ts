/**
 * Typed names: a registered name that carries its server's request, reply
 * and cast types, as a pid from `start` does, so a `call` by name is checked
 * and its reply inferred. At run time a typed name is the plain string.
 *
 * @module
 */

import type { GenServer } from "./gen_server.ts";

/**
 * A process name (a string, as `StartOptions.name` takes) that carries the
 * types of the server registered under it: the requests `call` takes, what it
 * replies, and what `cast` takes. Made by {@linkcode defineName}; a plain
 * string is still a valid, untyped name.
 *
 * @example A name typed by its server
 * ```ts
 * import { defineName, type Name, ok, reply, System } from "@beamlet/beamlet";
 *
 * const counter = {
 *   init: (n: number) => ok(n),
 *   handleCall: (_request: "get", _from: unknown, n: number) => reply(n, n),
 * };
 * const COUNTER: Name<"get", number> = defineName<typeof counter>("counter");
 *
 * const system = new System();
 * await system.start(counter, 5, { name: COUNTER });
 * const n: number = await system.call(COUNTER, "get"); // checked, and typed number
 * await system.shutdown();
 * ```
 */
export type Name<Call = unknown, Reply = unknown, Cast = unknown> = string & {
  /** Type-level only: the name's request, reply and cast types. */
  readonly __name?: { readonly call: Call; readonly reply: Reply; readonly cast: Cast };
};

/**
 * The typed name of a server's definition: what {@linkcode defineName} returns
 * for `Server`.
 *
 * @example
 * ```ts
 * import { defineName, type NameOf, noreply, ok } from "@beamlet/beamlet";
 *
 * const logger = { init: () => ok([] as string[]), handleCast: (line: string, lines: string[]) => noreply([...lines, line]) };
 * const LOGGER: NameOf<typeof logger> = defineName<typeof logger>("logger");
 * ```
 */
export type NameOf<Server> =
  // deno-lint-ignore no-explicit-any
  Server extends GenServer<any, any, infer Call, infer Reply, infer Cast, any>
    ? Name<Call, Reply, Cast>
    : Name;

/**
 * Declares a name for processes of one server definition: the string itself
 * at run time, typed so that `call` and `cast` by this name are checked
 * against `Server`'s callbacks and `call` infers the reply, and so that
 * `start(..., { name })` refuses a server of other types. A `TypeError` for a
 * name that is not a non-empty string.
 *
 * @example A typed name, checked at both ends
 * ```ts
 * import { defineName, noreply, ok, reply, System } from "@beamlet/beamlet";
 *
 * const stack = {
 *   init: () => ok([] as number[]),
 *   handleCall: (_request: "pop", _from: unknown, items: number[]) =>
 *     reply(items.at(-1), items.slice(0, -1)),
 *   handleCast: (item: number, items: number[]) => noreply([...items, item]),
 * };
 * const STACK = defineName<typeof stack>("stack");
 *
 * const system = new System();
 * await system.start(stack, undefined, { name: STACK });
 * system.cast(STACK, 7);
 * const top = await system.call(STACK, "pop"); // number | undefined
 * console.log(top); // 7
 * await system.shutdown();
 * ```
 */
// deno-lint-ignore no-explicit-any
export function defineName<Server extends GenServer<any, any, any, any, any, any>>(
  name: string,
): NameOf<Server> {
  if (typeof name !== "string" || name === "") {
    throw new TypeError(
      `defineName: a name must be a non-empty string, got ${
        typeof name === "string" ? '""' : typeof name
      }`,
    );
  }
  return name as NameOf<Server>;
}
