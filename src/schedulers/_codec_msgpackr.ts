/**
 * msgpackr for what the codec does not write by hand (internal): Map, Set,
 * Date, RegExp, errors, typed arrays, ArrayBuffer, DataView, BigInt; objects
 * and arrays holding any of these, bigger ones, cycles and shared
 * references — packed with msgpackr's structured-clone extensions, after
 * the check of `_codec_check.ts`. Extensions of its own carry pids, refs
 * and froms nested in such a value (as instances), errors (`name`,
 * `message`, `stack`, `code` and `cause`; the errors of `src/errors.ts`
 * that have a `fromJSON` revive as their own class), and the check's
 * markers for -0 and strings with lone surrogates.
 *
 * msgpackr's extensions are global to the JavaScript realm: loading this
 * module changes how any other msgpackr user of the realm packs errors,
 * pids, refs and froms (type codes 0x45, 0x46, 0x50, 0x52, 0x5a, 0x5b).
 *
 * @module
 */

// "msgpackr/pack" only: its browser build (what a bundler for Cloudflare
// Workers picks) exports Packr and addExtension but not Unpackr; a Packr
// unpacks too (it extends Unpackr).
import { addExtension, Packr } from "msgpackr/pack";
import * as beamletErrors from "../errors.ts";
import { From } from "../from.ts";
import { Pid, Ref } from "../pid.ts";
import { UndecodableError, UnencodableError } from "./errors.ts";
import { fromCharCodes, PidOf, schedulerOf } from "./_codec_format.ts";
import { type ErrorLike, IllFormedString, NegativeZero, packable } from "./_codec_check.ts";

const PACKR_OPTIONS = {
  moreTypes: true,
  structuredClone: true,
  copyBuffers: true,
  bundleStrings: false,
};
const PACKR = new Packr(PACKR_OPTIONS);
const UNPACKR = new Packr(PACKR_OPTIONS);

/** The errors of `src/errors.ts` that can be rebuilt from their JSON form, by name. */
const REVIVERS = new Map<
  string,
  { Class: abstract new (...args: never[]) => Error; fromJSON: (json: never) => Error }
>();
for (const value of Object.values(beamletErrors)) {
  const candidate = value as unknown as { prototype?: unknown; fromJSON?: unknown; name: string };
  if (
    typeof value === "function" && candidate.prototype instanceof Error &&
    typeof candidate.fromJSON === "function"
  ) {
    REVIVERS.set(candidate.name, {
      Class: value as unknown as abstract new (...args: never[]) => Error,
      fromJSON: candidate.fromJSON as (json: never) => Error,
    });
  }
}

const BUILTIN_ERRORS: Record<string, new (message?: string) => Error> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

const HAS_CAUSE = 1;
const HAS_CODE = 2;
const HAS_JSON = 4;

type ErrorFields = [
  name: string,
  message: string,
  stack: string | undefined,
  flags: number,
  code: unknown,
  cause: unknown,
  json: unknown,
];

function textOf(value: unknown): string {
  return value instanceof IllFormedString ? value.text : String(value);
}

/** What the error extension writes of an error. */
function errorFields(error: ErrorLike): ErrorFields {
  const name = textOf(error.name);
  const reviver = REVIVERS.get(name);
  let flags = 0;
  if ("cause" in error) flags |= HAS_CAUSE;
  if (error.code !== undefined) flags |= HAS_CODE;
  let json: unknown;
  if (
    reviver !== undefined && error instanceof reviver.Class && typeof error.toJSON === "function"
  ) {
    json = error.toJSON();
    flags |= HAS_JSON;
  }
  return [
    name,
    // A message with a lone surrogate is a marker here (see withMarkers): keep it one.
    (error.message as unknown) instanceof IllFormedString ? error.message : String(error.message),
    typeof error.stack === "string" ? error.stack : undefined,
    flags,
    flags & HAS_CODE ? error.code : undefined,
    flags & HAS_CAUSE ? error.cause : undefined,
    json,
  ];
}

/** Rebuilds an error: its own class when it has a `fromJSON`, a built-in class by name, or an Error. */
function reviveError(fields: ErrorFields): Error {
  const [name, message, stack, flags, code, cause, json] = fields;
  let error: ErrorLike | undefined;
  if (flags & HAS_JSON) {
    try {
      error = REVIVERS.get(name)?.fromJSON(json as never);
    } catch {
      error = undefined;
    }
  }
  if (error === undefined) {
    const Builtin = Object.hasOwn(BUILTIN_ERRORS, name) ? BUILTIN_ERRORS[name] : Error;
    error = new Builtin(message);
    if (error.name !== name) error.name = name;
    if (flags & HAS_CODE) error.code = code;
  }
  if (error.message !== message) error.message = message;
  if (stack !== undefined) {
    Object.defineProperty(error, "stack", { value: stack, writable: true, configurable: true });
  }
  if (flags & HAS_CAUSE && error.cause !== cause) {
    Object.defineProperty(error, "cause", { value: cause, writable: true, configurable: true });
  }
  return error;
}

addExtension({
  Class: Pid,
  type: 0x50,
  write: (pid: Pid) => [pid.node, pid.serial, schedulerOf(pid)],
  read: ([node, serial, scheduler]: [string, number, number]) => new PidOf(serial, node, scheduler),
});
addExtension({
  Class: Ref,
  type: 0x52,
  write: (ref: Ref) => [ref.node, ref.serial],
  read: ([node, serial]: [string, number]) => new Ref(serial, node),
});
addExtension({
  Class: From,
  type: 0x46,
  write: (from: From) => [from.pid ?? null, from.callId, from.node],
  read: ([pid, callId, node]: [Pid | null, number, string]) =>
    new From(pid ?? undefined, callId, node),
});
addExtension({
  Class: Error,
  type: 0x45,
  write: errorFields,
  read: reviveError,
});
addExtension({
  Class: NegativeZero,
  type: 0x5a,
  write: () => 0,
  read: () => -0,
});
addExtension({
  Class: IllFormedString,
  type: 0x5b,
  write: (marker: IllFormedString) => {
    const units = new Uint16Array(marker.text.length);
    for (let i = 0; i < units.length; i++) units[i] = marker.text.charCodeAt(i);
    return units;
  },
  read: (units: Uint16Array) => fromCharCodes(Array.from(units)),
});

/** msgpack of `v`, after the walk that refuses what cannot cross; an UnencodableError otherwise. */
export function pack(v: unknown, path: string): Uint8Array {
  const value = packable(v, path);
  try {
    return PACKR.pack(value);
  } catch (error) {
    throw new UnencodableError(path, `a value msgpackr cannot pack (${String(error)})`, {
      cause: error,
    });
  }
}

/** The value msgpack `bytes` hold; an UndecodableError when they do not unpack. */
export function unpack(bytes: Uint8Array): unknown {
  try {
    return UNPACKR.unpack(bytes);
  } catch (error) {
    throw new UndecodableError(`packed value does not unpack: ${String(error)}`, { cause: error });
  }
}
