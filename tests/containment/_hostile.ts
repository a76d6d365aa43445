/**
 * Hostile values for the containment properties (private: not a test file).
 *
 * A generator yields a *description* of a hostile value — plain data that
 * fast-check can print and shrink — and {@linkcode make} builds the value from
 * it, fresh for every run (a thenable that calls back twice keeps state, and
 * a rejected Promise must not exist before someone can handle it). Every
 * object or function `make` builds is labelled, so {@linkcode describeValue}
 * can name it without touching it: describing a hostile value never throws.
 *
 * @module
 */

import fc from "fast-check";

/** Properties whose getter throws: the ones the runtime reads on results, reasons and targets. */
export const GETTER_KEYS = [
  "then",
  "type",
  "state",
  "reply",
  "reason",
  "timeout",
  "continue",
  "hibernate",
  "hasReply",
  "toString",
  "toJSON",
  "valueOf",
  "message",
  "name",
  "stack",
  "cause",
  "constructor",
  "shutdown",
  "via",
  "key",
  "callId",
  "pid",
  "serial",
] as const;
/** A property whose getter throws. */
export type GetterKey = typeof GETTER_KEYS[number];

/** What a throwing getter, trap or `then` throws: kept simple so it cannot nest forever. */
export type Thrown =
  | "error"
  | "string"
  | "undefined"
  | "nullProtoBigInt"
  | "revokedProxy"
  | "symbol";

/** How a thenable behaves when the runtime calls its `then`. */
export type ThenBehavior =
  | "thenThrows"
  | "never"
  | "resolve"
  | "reject"
  | "resolveTwice"
  | "rejectTwice"
  | "resolveThenReject"
  | "rejectThenResolve"
  | "lateResolve"
  | "lateReject";

/** A hostile value that holds no other hostile value. */
export type Leaf =
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "hugeString"; readonly length: number }
  | { readonly kind: "bigint"; readonly digits: string }
  | { readonly kind: "symbol"; readonly wellKnown: boolean }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "nullish"; readonly value: "null" | "undefined" }
  | { readonly kind: "array"; readonly items: readonly number[] }
  | { readonly kind: "function"; readonly flavor: "arrow" | "async" | "class" | "throws" }
  | { readonly kind: "cycle"; readonly shape: "object" | "array" | "mutual" }
  | { readonly kind: "nullProto"; readonly holds: "bigint" | "cycle" | "symbol" | "nothing" }
  | { readonly kind: "deep"; readonly depth: number }
  | {
    readonly kind: "throwingGetter";
    readonly keys: readonly GetterKey[];
    readonly on: "object" | "function" | "frozen";
    readonly throws: Thrown;
  }
  | { readonly kind: "proxy"; readonly target: "object" | "function"; readonly throws: Thrown }
  | { readonly kind: "revokedProxy"; readonly target: "object" | "function" }
  | {
    readonly kind: "errorSubclass";
    readonly keys: readonly ("message" | "name" | "stack" | "cause" | "constructor" | "toString")[];
    readonly throws: Thrown;
  }
  | {
    readonly kind: "thenable";
    readonly behavior: "thenThrows" | "never";
    readonly throws: Thrown;
  }
  | { readonly kind: "fakeThen"; readonly then: "number" | "string" | "null" }
  | { readonly kind: "boxed"; readonly primitive: "valueOf100" | "toPrimitiveThrows" | "date" }
  | { readonly kind: "plainError"; readonly message: string }
  | { readonly kind: "plainObject" };

/** A hostile value, possibly holding one hostile leaf. */
export type Hostile =
  | Leaf
  | { readonly kind: "settlingThenable"; readonly behavior: ThenBehavior; readonly value: Leaf }
  | { readonly kind: "promise"; readonly settle: "resolve" | "reject"; readonly value: Leaf }
  | { readonly kind: "frozen"; readonly inner: Leaf }
  | { readonly kind: "shutdownTuple"; readonly detail: Leaf };

// ---- the generators -----------------------------------------------------------------

/** 2^36: the timer wheel's range; numbers just above it must be refused, not half-applied. */
export const TWO_POW_36 = 2 ** 36;

/** Numbers that break naive checks. */
export const HOSTILE_NUMBERS: readonly number[] = [
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  -1,
  0.5,
  1.5,
  -0.5,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MIN_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.EPSILON,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  TWO_POW_36 - 1,
  TWO_POW_36,
  TWO_POW_36 + 1,
  TWO_POW_36 + 0.5,
  2 ** 37,
  2 ** 53,
  1e21,
];

const thrownArb: fc.Arbitrary<Thrown> = fc.constantFrom(
  "error",
  "string",
  "undefined",
  "nullProtoBigInt",
  "revokedProxy",
  "symbol",
);

const getterKeyArb = fc.constantFrom(...GETTER_KEYS);

/** Hostile leaves: no value inside another. */
export function leaf(): fc.Arbitrary<Leaf> {
  return fc.oneof(
    fc.record({ kind: fc.constant("number" as const), value: fc.constantFrom(...HOSTILE_NUMBERS) }),
    fc.record({
      kind: fc.constant("string" as const),
      value: fc.constantFrom(
        "100",
        "",
        " 100 ",
        "Infinity",
        "-1",
        "1e3",
        "normal",
        "shutdown",
        "kill",
        "killed",
        "noproc",
        "timeout",
        "__proto__",
        "constructor",
        "\u0000",
        "\ud800",
      ),
    }),
    fc.record({
      kind: fc.constant("hugeString" as const),
      length: fc.constantFrom(10_000, 100_000, 1_000_000),
    }),
    fc.record({
      kind: fc.constant("bigint" as const),
      digits: fc.constantFrom("0", "100", "-1", "1180591620717411303424"),
    }),
    fc.record({ kind: fc.constant("symbol" as const), wellKnown: fc.boolean() }),
    fc.record({ kind: fc.constant("boolean" as const), value: fc.boolean() }),
    fc.record({
      kind: fc.constant("nullish" as const),
      value: fc.constantFrom("null" as const, "undefined" as const),
    }),
    fc.record({
      kind: fc.constant("array" as const),
      items: fc.constantFrom([100], [], [1, 2], [-1]),
    }),
    fc.record({
      kind: fc.constant("function" as const),
      flavor: fc.constantFrom(
        "arrow" as const,
        "async" as const,
        "class" as const,
        "throws" as const,
      ),
    }),
    fc.record({
      kind: fc.constant("cycle" as const),
      shape: fc.constantFrom("object" as const, "array" as const, "mutual" as const),
    }),
    fc.record({
      kind: fc.constant("nullProto" as const),
      holds: fc.constantFrom(
        "bigint" as const,
        "cycle" as const,
        "symbol" as const,
        "nothing" as const,
      ),
    }),
    fc.record({ kind: fc.constant("deep" as const), depth: fc.constantFrom(100, 10_000) }),
    fc.record({
      kind: fc.constant("throwingGetter" as const),
      keys: fc.uniqueArray(getterKeyArb, { minLength: 1, maxLength: 3 }),
      on: fc.constantFrom("object" as const, "function" as const, "frozen" as const),
      throws: thrownArb,
    }),
    fc.record({
      kind: fc.constant("proxy" as const),
      target: fc.constantFrom("object" as const, "function" as const),
      throws: thrownArb,
    }),
    fc.record({
      kind: fc.constant("revokedProxy" as const),
      target: fc.constantFrom("object" as const, "function" as const),
    }),
    fc.record({
      kind: fc.constant("errorSubclass" as const),
      keys: fc.uniqueArray(
        fc.constantFrom(
          "message" as const,
          "name" as const,
          "stack" as const,
          "cause" as const,
          "constructor" as const,
          "toString" as const,
        ),
        { minLength: 1, maxLength: 3 },
      ),
      throws: thrownArb,
    }),
    fc.record({
      kind: fc.constant("thenable" as const),
      behavior: fc.constantFrom("thenThrows" as const, "never" as const),
      throws: thrownArb,
    }),
    fc.record({
      kind: fc.constant("fakeThen" as const),
      then: fc.constantFrom("number" as const, "string" as const, "null" as const),
    }),
    fc.record({
      kind: fc.constant("boxed" as const),
      primitive: fc.constantFrom(
        "valueOf100" as const,
        "toPrimitiveThrows" as const,
        "date" as const,
      ),
    }),
    fc.record({ kind: fc.constant("plainError" as const), message: fc.constantFrom("boom", "") }),
    fc.record({ kind: fc.constant("plainObject" as const) }),
  );
}

/** Any hostile value (a leaf, or a thenable, Promise, frozen object or `{ shutdown }` holding one). */
export function hostile(): fc.Arbitrary<Hostile> {
  const inner = leaf();
  return fc.oneof(
    { arbitrary: inner, weight: 8 },
    {
      arbitrary: fc.record({
        kind: fc.constant("settlingThenable" as const),
        behavior: fc.constantFrom<ThenBehavior>(
          "resolve",
          "reject",
          "resolveTwice",
          "rejectTwice",
          "resolveThenReject",
          "rejectThenResolve",
          "lateResolve",
          "lateReject",
        ),
        value: inner,
      }),
      weight: 1,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant("promise" as const),
        settle: fc.constantFrom("resolve" as const, "reject" as const),
        value: inner,
      }),
      weight: 1,
    },
    { arbitrary: fc.record({ kind: fc.constant("frozen" as const), inner }), weight: 1 },
    {
      arbitrary: fc.record({ kind: fc.constant("shutdownTuple" as const), detail: inner }),
      weight: 1,
    },
  );
}

/**
 * A hostile number-like option value: hostile numbers most of the time, any
 * hostile value otherwise (`"100"`, `[100]`, `true`, `100n`, a Proxy...).
 */
export function hostileNumberLike(): fc.Arbitrary<Hostile> {
  return fc.oneof(
    {
      arbitrary: fc.record({
        kind: fc.constant("number" as const),
        value: fc.constantFrom(...HOSTILE_NUMBERS),
      }),
      weight: 3,
    },
    { arbitrary: hostile(), weight: 2 },
  );
}

// ---- building values ------------------------------------------------------------------

const labels = new WeakMap<object, string>();
const specs = new WeakMap<object, Hostile>();

function label<T>(value: T, spec: Hostile): T {
  if ((typeof value === "object" && value !== null) || typeof value === "function") {
    labels.set(value as object, describeHostile(spec));
    specs.set(value as object, spec);
  }
  return value;
}

/** Marks a value the harness built (a sane stand-in) with a label for failure messages. */
export function labelled<T extends object>(value: T, text: string): T {
  labels.set(value, text);
  return value;
}

/** The thing a getter, trap or `then` throws. */
export function makeThrown(thrown: Thrown): unknown {
  switch (thrown) {
    case "error":
      return labelled(new Error("thrown by a hostile value"), "Error: thrown by a hostile value");
    case "string":
      return "thrown string";
    case "undefined":
      return undefined;
    case "nullProtoBigInt":
      return make({ kind: "nullProto", holds: "bigint" });
    case "revokedProxy":
      return make({ kind: "revokedProxy", target: "object" });
    case "symbol":
      return Symbol("thrown");
  }
}

const TRAPS = [
  "get",
  "set",
  "has",
  "deleteProperty",
  "ownKeys",
  "getOwnPropertyDescriptor",
  "defineProperty",
  "getPrototypeOf",
  "setPrototypeOf",
  "isExtensible",
  "preventExtensions",
  "apply",
  "construct",
] as const;

function throwingHandler(thrown: Thrown): ProxyHandler<object> {
  const handler: Record<string, () => never> = {};
  for (const trap of TRAPS) {
    handler[trap] = () => {
      throw makeThrown(thrown);
    };
  }
  return handler as ProxyHandler<object>;
}

/** Replaces `keys` of `target` by getters that throw `thrown`. */
export function defineThrowingGetters(
  target: object,
  keys: readonly string[],
  thrown: Thrown,
): void {
  for (const key of keys) {
    Object.defineProperty(target, key, {
      configurable: true,
      enumerable: true,
      get() {
        throw makeThrown(thrown);
      },
    });
  }
}

/** A thenable that settles as `behavior` says (sync, or on a microtask for `late*`). */
function settlingThenable(behavior: ThenBehavior, value: () => unknown): object {
  return {
    then(onFulfilled?: unknown, onRejected?: unknown) {
      const ok = typeof onFulfilled === "function" ? onFulfilled : () => {};
      const fail = typeof onRejected === "function" ? onRejected : () => {};
      switch (behavior) {
        case "thenThrows":
          throw value();
        case "never":
          break;
        case "resolve":
          ok(value());
          break;
        case "reject":
          fail(value());
          break;
        case "resolveTwice":
          ok(value());
          ok(value());
          break;
        case "rejectTwice":
          fail(value());
          fail(value());
          break;
        case "resolveThenReject":
          ok(value());
          fail(value());
          break;
        case "rejectThenResolve":
          fail(value());
          ok(value());
          break;
        case "lateResolve":
          queueMicrotask(() => ok(value()));
          break;
        case "lateReject":
          queueMicrotask(() => fail(value()));
          break;
      }
      // A thenable's then returns nothing useful: the runtime must not chain on it.
      return undefined;
    },
  };
}

/**
 * Builds the value a description stands for (fresh each time). A Promise
 * built as data (a field, a reason, a message) is marked handled:
 * nobody is expected to await data, so its rejection is not the runtime's to
 * handle. Built as what a callback `"returned"`, it is left for the runtime.
 */
export function make(spec: Hostile, role: "data" | "returned" = "data"): unknown {
  try {
    return build(spec, role);
  } catch (error) {
    throw new HarnessError(`building ${describeHostile(spec)} threw ${describeValue(error)}`);
  }
}

/** A bug of the harness itself (never a finding about the runtime). */
export class HarnessError extends Error {
  constructor(message: string) {
    super(`harness bug: ${message}`);
    this.name = "HarnessError";
  }
}

function build(spec: Hostile, role: "data" | "returned"): unknown {
  switch (spec.kind) {
    case "number":
      return spec.value;
    case "string":
      return spec.value;
    case "hugeString":
      return "x".repeat(spec.length);
    case "bigint":
      return BigInt(spec.digits);
    case "symbol":
      return spec.wellKnown ? Symbol.iterator : Symbol("hostile");
    case "boolean":
      return spec.value;
    case "nullish":
      return spec.value === "null" ? null : undefined;
    case "array":
      return label([...spec.items], spec);
    case "function": {
      switch (spec.flavor) {
        case "arrow":
          return label(() => 100, spec);
        case "async":
          // deno-lint-ignore require-await
          return label(async () => 100, spec);
        case "class":
          return label(class Hostile {}, spec);
        case "throws":
          return label(() => {
            throw new Error("hostile function called");
          }, spec);
      }
      break;
    }
    case "cycle": {
      if (spec.shape === "array") {
        const array: unknown[] = [];
        array.push(array);
        return label(array, spec);
      }
      const a: Record<string, unknown> = { name: "a" };
      if (spec.shape === "object") {
        a.self = a;
        return label(a, spec);
      }
      const b: Record<string, unknown> = { name: "b", a };
      a.b = b;
      return label(a, spec);
    }
    case "nullProto": {
      const o = Object.create(null) as Record<string, unknown>;
      if (spec.holds === "bigint") o.big = 10n;
      if (spec.holds === "cycle") o.self = o;
      if (spec.holds === "symbol") o.sym = Symbol("inside");
      return label(o, spec);
    }
    case "deep": {
      let o: Record<string, unknown> = { end: true };
      for (let i = 0; i < spec.depth; i++) o = { next: o };
      return label(o, spec);
    }
    case "throwingGetter": {
      const base: object = spec.on === "function" ? function hostileFn() {} : {};
      defineThrowingGetters(base, spec.keys, spec.throws);
      if (spec.on === "frozen") Object.freeze(base);
      return label(base, spec);
    }
    case "proxy": {
      const target = spec.target === "function" ? function target() {} : {};
      return label(new Proxy(target, throwingHandler(spec.throws)), spec);
    }
    case "revokedProxy": {
      const target = spec.target === "function" ? function target() {} : {};
      const { proxy, revoke } = Proxy.revocable(target, {});
      revoke();
      // A revoked Proxy cannot even be a WeakMap key on some engines? It can: it is an object.
      return label(proxy, spec);
    }
    case "errorSubclass": {
      class HostileError extends Error {}
      const error = new HostileError("hostile error");
      // V8 formats an error's stack lazily, with its name and message: replacing `stack` after
      // `name` would run a throwing getter here, in the harness (Node 20 does).
      void error.stack;
      defineThrowingGetters(error, spec.keys, spec.throws);
      return label(error, spec);
    }
    case "thenable":
      return label(settlingThenable(spec.behavior, () => makeThrown(spec.throws)), spec);
    case "fakeThen": {
      const then = spec.then === "number" ? 1 : spec.then === "string" ? "then" : null;
      return label({ then }, spec);
    }
    case "boxed": {
      if (spec.primitive === "date") return label(new Date(0), spec);
      if (spec.primitive === "valueOf100") return label({ valueOf: () => 100 }, spec);
      return label({
        [Symbol.toPrimitive]() {
          throw new Error("toPrimitive throws");
        },
      }, spec);
    }
    case "plainError":
      return label(new Error(spec.message), spec);
    case "plainObject":
      return label({}, spec);
    case "settlingThenable": {
      const inner = spec.value;
      return label(settlingThenable(spec.behavior, () => make(inner)), spec);
    }
    case "promise": {
      const value = make(spec.value);
      // Resolving with a value whose `then` cannot be read rejects too.
      const promise = spec.settle === "resolve" ? Promise.resolve(value) : Promise.reject(value);
      if (role === "data") promise.catch(() => {});
      return label(promise, spec);
    }
    case "frozen": {
      const inner = make(spec.inner);
      return label(Object.freeze({ inner }), spec);
    }
    case "shutdownTuple":
      return label({ shutdown: make(spec.detail) }, spec);
  }
  throw new Error(`make: unknown hostile kind ${(spec as { kind: string }).kind}`);
}

// ---- describing ------------------------------------------------------------------------

/** A readable description of a hostile value (of its description: this never throws). */
export function describeHostile(spec: Hostile): string {
  switch (spec.kind) {
    case "number":
      return Object.is(spec.value, -0) ? "-0" : String(spec.value);
    case "string":
      return JSON.stringify(spec.value);
    case "hugeString":
      return `a string of ${spec.length} characters`;
    case "bigint":
      return `${spec.digits}n`;
    case "symbol":
      return spec.wellKnown ? "Symbol.iterator" : "a Symbol";
    case "boolean":
      return String(spec.value);
    case "nullish":
      return spec.value;
    case "array":
      return JSON.stringify(spec.items);
    case "function":
      return `a function (${spec.flavor})`;
    case "cycle":
      return `a cyclic ${spec.shape === "array" ? "array" : "object"}${
        spec.shape === "mutual" ? " (a↔b)" : ""
      }`;
    case "nullProto":
      return `a null-prototype object holding ${
        spec.holds === "nothing" ? "nothing" : `a ${spec.holds}`
      }`;
    case "deep":
      return `an object nested ${spec.depth} levels deep`;
    case "throwingGetter":
      return `${
        spec.on === "frozen"
          ? "a frozen object"
          : spec.on === "function"
          ? "a function"
          : "an object"
      } whose getter${spec.keys.length > 1 ? "s" : ""} ${
        spec.keys.map((k) => `\`${k}\``).join(", ")
      } throw${spec.keys.length > 1 ? "" : "s"} ${describeThrown(spec.throws)}`;
    case "proxy":
      return `a Proxy (of a${
        spec.target === "function" ? " function" : "n object"
      }) whose every trap throws ${describeThrown(spec.throws)}`;
    case "revokedProxy":
      return `a revoked Proxy (of a${spec.target === "function" ? " function" : "n object"})`;
    case "errorSubclass":
      return `an Error subclass whose ${spec.keys.map((k) => `\`${k}\``).join(", ")} throw${
        spec.keys.length > 1 ? "" : "s"
      } ${describeThrown(spec.throws)}`;
    case "thenable":
      return spec.behavior === "never"
        ? "a thenable that never calls back"
        : `a thenable whose then throws ${describeThrown(spec.throws)}`;
    case "fakeThen":
      return `an object whose then is a ${spec.then}`;
    case "boxed":
      return spec.primitive === "date"
        ? "a Date"
        : spec.primitive === "valueOf100"
        ? "an object whose valueOf returns 100"
        : "an object whose Symbol.toPrimitive throws";
    case "plainError":
      return `Error(${JSON.stringify(spec.message)})`;
    case "plainObject":
      return "{}";
    case "settlingThenable":
      return `a thenable that ${THEN_TEXT[spec.behavior]} with ${describeHostile(spec.value)}`;
    case "promise":
      return `a Promise ${spec.settle === "resolve" ? "resolved" : "rejected"} with ${
        describeHostile(spec.value)
      }`;
    case "frozen":
      return `a frozen object holding ${describeHostile(spec.inner)}`;
    case "shutdownTuple":
      return `{ shutdown: ${describeHostile(spec.detail)} }`;
  }
  return "an unknown hostile value";
}

const THEN_TEXT: Record<ThenBehavior, string> = {
  thenThrows: "throws from then",
  never: "never calls back",
  resolve: "resolves",
  reject: "rejects",
  resolveTwice: "resolves twice",
  rejectTwice: "rejects twice",
  resolveThenReject: "resolves, then rejects,",
  rejectThenResolve: "rejects, then resolves,",
  lateResolve: "resolves on a microtask",
  lateReject: "rejects on a microtask",
};

function describeThrown(thrown: Thrown): string {
  switch (thrown) {
    case "error":
      return "an Error";
    case "string":
      return "a string";
    case "undefined":
      return "undefined";
    case "nullProtoBigInt":
      return "a null-prototype object holding a BigInt";
    case "revokedProxy":
      return "a revoked Proxy";
    case "symbol":
      return "a Symbol";
  }
}

/** The description of a value `make` built, if it built it. */
export function hostileSpecOf(value: unknown): Hostile | undefined {
  if ((typeof value === "object" && value !== null) || typeof value === "function") {
    return specs.get(value as object);
  }
  return undefined;
}

/**
 * Names any value for a failure message, without ever throwing: values
 * `make` built by their description, errors by name and message (read
 * defensively), everything else by type.
 */
export function describeValue(value: unknown): string {
  try {
    switch (typeof value) {
      case "string":
        return value.length > 60 ? `a string of ${value.length} characters` : JSON.stringify(value);
      case "number":
        return Object.is(value, -0) ? "-0" : String(value);
      case "bigint":
        return `${value}n`;
      case "symbol":
        return "a Symbol";
      case "boolean":
        return String(value);
      case "undefined":
        return "undefined";
    }
    if (value === null) return "null";
    const known = labels.get(value as object);
    if (known !== undefined) return known;
    if (typeof value === "function") return "a function";
    let name = "object";
    try {
      if (value instanceof Error) {
        const n = String((value as Error).name);
        const m = String((value as Error).message);
        return `${n}: ${m.length > 200 ? `${m.slice(0, 200)}…` : m}`;
      }
      name = Object.prototype.toString.call(value);
    } catch {
      return "an object that cannot be inspected";
    }
    return `an ${name}`;
  } catch {
    return "a value that cannot be described";
  }
}

/**
 * Whether an exit reason is a clean exit (`"normal"`, `"shutdown"`, `{ shutdown }`), a
 * crash, or cannot be told without touching a hostile value (a Proxy, a
 * revoked Proxy, a `shutdown` getter that throws): the runtime decides those.
 */
export function reasonKind(reason: unknown): "clean" | "crash" | "killed" | "unknown" {
  if (reason === "normal" || reason === "shutdown") return "clean";
  if (reason === "killed") return "killed";
  if (typeof reason !== "object" || reason === null) return "crash";
  const spec = hostileSpecOf(reason);
  if (spec !== undefined) {
    switch (spec.kind) {
      case "shutdownTuple":
        return "clean";
      case "proxy":
      case "revokedProxy":
        return "unknown";
      case "throwingGetter":
      case "errorSubclass":
        return (spec.keys as readonly string[]).includes("shutdown") ? "unknown" : "crash";
      default:
        return "crash";
    }
  }
  try {
    if (reason instanceof Error) return "crash";
    return "shutdown" in reason ? "clean" : "crash";
  } catch {
    return "unknown";
  }
}
