/**
 * Entry point: a `{ via, key }` name whose registry throws or lies (private:
 * not a test file). A process started under it, addressed through it, and
 * killed: whatever `whereisName`, `registerName` and `unregisterName` do, the
 * host survives, a start that fails leaves no process behind, callers
 * settle, the process's exit runs to its end (monitors fire, tables empty) —
 * a registry's own exception may reach the caller that used it, as in Elixir.
 *
 * @module
 */

import fc from "fast-check";
import { type GenServer, noreply, ok, reply } from "../../src/gen_server.ts";
import { Pid } from "../../src/pid.ts";
import type { ViaName } from "../../src/options.ts";
import {
  describeHostile,
  type Hostile,
  hostile,
  make,
  makeThrown,
  type Thrown,
} from "./_hostile.ts";
import { Observation, startRecorder } from "./_observe.ts";
import type { EntryPoint } from "./_property.ts";
import { describeError, type Run } from "./_run.ts";

/** What one registry method does. */
export type Method =
  | { readonly kind: "sane" }
  | { readonly kind: "throws"; readonly thrown: Thrown }
  | { readonly kind: "returns"; readonly value: Hostile }
  | { readonly kind: "returnsOtherPid" }
  | { readonly kind: "notAFunction" };

/** The registry: three methods, or a hostile value in its place. */
export type RegistrySpec =
  | {
    readonly kind: "methods";
    readonly whereisName: Method;
    readonly registerName: Method;
    readonly unregisterName: Method;
  }
  | { readonly kind: "hostile"; readonly value: Hostile };

/** One input: the registry and the key. */
export interface ViaInput {
  readonly registry: RegistrySpec;
  readonly key: { readonly kind: "sane" } | Hostile;
}

const METHOD_NAMES = ["whereisName", "registerName", "unregisterName"] as const;

function describeMethod(method: Method): string {
  switch (method.kind) {
    case "sane":
      return "sane";
    case "throws":
      return `throws ${method.thrown}`;
    case "returns":
      return `returns ${describeHostile(method.value)}`;
    case "returnsOtherPid":
      return "returns another live process's pid";
    case "notAFunction":
      return "is not a function";
  }
}

function describeVia(input: ViaInput): string {
  const key = input.key.kind === "sane" ? '"k"' : describeHostile(input.key);
  if (input.registry.kind === "hostile") {
    return `{ via: ${describeHostile(input.registry.value)}, key: ${key} }`;
  }
  const registry = input.registry;
  return `{ via: registry whose ${
    METHOD_NAMES.map((m) => `${m} ${describeMethod(registry[m])}`).join(", ")
  }; key: ${key} }`;
}

function buildRegistry(spec: RegistrySpec, otherPid: () => Pid): unknown {
  if (spec.kind === "hostile") return make(spec.value);
  const map = new Map<unknown, Pid>();
  const sane = {
    whereisName: (key: unknown) => map.get(key),
    registerName: (key: unknown, pid: Pid) => {
      if (map.has(key)) return false;
      map.set(key, pid);
      return true;
    },
    unregisterName: (key: unknown, pid: Pid) => {
      if (map.get(key) === pid) map.delete(key);
    },
  };
  const registry: Record<string, unknown> = {};
  for (const name of METHOD_NAMES) {
    const method = spec[name];
    switch (method.kind) {
      case "sane":
        registry[name] = sane[name];
        break;
      case "throws":
        registry[name] = () => {
          throw makeThrown(method.thrown);
        };
        break;
      case "returns":
        registry[name] = () => make(method.value);
        break;
      case "returnsOtherPid":
        registry[name] = () => otherPid();
        break;
      case "notAFunction":
        registry[name] = 42;
        break;
    }
  }
  return registry;
}

const VIA_TIMEOUT = 1000;

async function playVia(run: Run, input: ViaInput): Promise<void> {
  const system = run.t.system;
  const empty = run.tables();
  const recorder = await startRecorder(run);
  if (!recorder) return;
  const server: GenServer<number, unknown> = {
    init: () => ok(0),
    handleCall: (_r, _f, s) => reply("pong", s),
    handleCast: (_r, s) => noreply(s),
  };
  const registry = buildRegistry(input.registry, () => recorder.pid);
  const key = input.key.kind === "sane" ? "k" : make(input.key);
  const name = { via: registry, key } as ViaName;
  // A registry may answer later (a Promise): the init timeout bounds the wait.
  const started = run.track(() =>
    system.start(server, undefined, { name, initTimeout: VIA_TIMEOUT })
  );
  if (!await run.drive(VIA_TIMEOUT + 1)) return;
  if (!run.expectSettledLoosely(started, "unsettledStart", "start under a { via, key } name")) {
    return;
  }
  const processes = run.tables().processes;
  if (started.state === "rejected") {
    run.check(
      processes === 1,
      "tableLeak",
      () =>
        `start under the { via } name failed (${describeError(started.error)}) but left ${
          processes - 1
        } process(es) behind`,
    );
  } else if (started.value instanceof Pid) {
    const pid = started.value;
    const observation = await Observation.attach(run, pid);
    if (!observation) return;
    // Addressing through the registry: the registry's own throw may reach the caller.
    try {
      system.cast(name, "hello");
    } catch {
      // The registry threw: the caller's problem, as in Elixir.
    }
    try {
      system.send(name, "hello");
    } catch {
      // idem
    }
    const called = run.track(() => system.call(name, "ping", { timeout: VIA_TIMEOUT }));
    if (!await run.drive(VIA_TIMEOUT + 1)) return;
    run.expectSettledLoosely(called, "unsettledCall", "a call through the { via } name");
    run.kill(pid);
    if (!await run.drive(0)) return;
    observation.checkExit(run, "the process registered { via }");
  } else {
    run.fail("other", "start under a { via } name resolved without a pid");
  }
  run.kill(recorder.pid);
  if (!await run.drive(0)) return;
  run.expectTables(empty, "after every process exited");
}

const thrownArb = fc.constantFrom<Thrown>(
  "error",
  "string",
  "undefined",
  "nullProtoBigInt",
  "revokedProxy",
  "symbol",
);

const method: fc.Arbitrary<Method> = fc.oneof(
  { arbitrary: fc.constant({ kind: "sane" as const }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("throws" as const), thrown: thrownArb }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("returns" as const), value: hostile() }), weight: 2 },
  { arbitrary: fc.constant({ kind: "returnsOtherPid" as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: "notAFunction" as const }), weight: 1 },
);

/** The via-registry entry point. */
export const viaEntries = [
  {
    name: "{ via, key } names: a registry that throws or lies is contained",
    input: fc.record({
      registry: fc.oneof(
        {
          arbitrary: fc.record({
            kind: fc.constant("methods" as const),
            whereisName: method,
            registerName: method,
            unregisterName: method,
          }),
          weight: 6,
        },
        {
          arbitrary: fc.record({ kind: fc.constant("hostile" as const), value: hostile() }),
          weight: 1,
        },
      ),
      key: fc.oneof(
        { arbitrary: fc.constant({ kind: "sane" as const }), weight: 3 },
        { arbitrary: hostile(), weight: 1 },
      ),
    }),
    describe: describeVia,
    run: (input: ViaInput, run: Run) => playVia(run, input),
  } satisfies EntryPoint<ViaInput>,
] as const;
