/**
 * Typed refs: `start` returns a pid typed by the server's definition, so
 * `call` checks its request and infers its reply, and `cast` checks its
 * payload; untyped pids and names keep working, and an explicit reply type
 * is still honoured. The `// @ts-expect-error` lines are checked by
 * `deno check` (a line that stops being an error fails the check).
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type GenServer, type InitResult, noreply, ok, reply, stop } from "../src/gen_server.ts";
import type { CastOf, Pid, ReplyOf, RequestOf } from "../src/pid.ts";
import { defineName, type Name } from "../src/name.ts";
import { System } from "../src/system.ts";

type Request = { get: string } | { size: true };

const store: GenServer<
  Map<string, number>,
  void,
  Request,
  number | undefined,
  { put: [string, number] }
> = {
  init: () => ok(new Map()),
  handleCall: (request, _from, map) =>
    reply("get" in request ? map.get(request.get) : map.size, map),
  handleCast: ({ put: [key, value] }, map) => noreply(map.set(key, value)),
};

/** Compile-time equality of two types. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true
  : false;
function expectType<T extends true>(_: T): void {}

describe("typed refs", () => {
  it("start infers the pid's types; call infers its reply; cast checks its payload", async () => {
    const system = new System();
    const pid = await system.start(store);
    expectType<Equal<typeof pid, Pid<Request, number | undefined, { put: [string, number] }>>>(
      true,
    );
    expectType<Equal<RequestOf<typeof pid>, Request>>(true);
    expectType<Equal<ReplyOf<typeof pid>, number | undefined>>(true);
    expectType<Equal<CastOf<typeof pid>, { put: [string, number] }>>(true);

    assert.equal(system.cast(pid, { put: ["a", 1] }), "ok");
    const got = await system.call(pid, { get: "a" });
    expectType<Equal<typeof got, number | undefined>>(true);
    assert.equal(got, 1);

    // @ts-expect-error: not a request this server takes
    await system.call(pid, { bogus: true });
    // @ts-expect-error: not a cast this server takes
    system.cast(pid, { put: "a" });

    // The untyped escape hatches keep working.
    const untyped: Pid = pid;
    const anything = await system.call(untyped, { size: true });
    expectType<Equal<typeof anything, unknown>>(true);
    const explicit = await system.call<number>(untyped, { size: true });
    expectType<Equal<typeof explicit, number>>(true);
    assert.equal(explicit, 1);
    await system.shutdown();
  });

  it("names stay untyped; a context's call and cast are typed the same way", async () => {
    const system = new System();
    const pid = await system.start(store, undefined, { name: "store" });
    const byName = await system.call("store", { size: true });
    expectType<Equal<typeof byName, unknown>>(true);
    const caller = await system.start({
      init: () => ok(null),
      handleCall: async (_request: "go", _from, state, ctx) => {
        ctx.cast(pid, { put: ["b", 2] });
        if (state !== null) {
          // @ts-expect-error: not a request this server takes (never sent: it would crash the store)
          await ctx.call(pid, "size");
        }
        const size = await ctx.call(pid, { size: true });
        expectType<Equal<typeof size, number | undefined>>(true);
        return reply(size, state);
      },
    });
    assert.equal(await system.call(caller, "go"), 1);
    await system.shutdown();
  });
});

describe("typed refs from a dynamic supervisor", () => {
  it("DynamicSupervisor.startChild returns a pid typed by the child's server", async () => {
    const { DynamicSupervisor } = await import("../src/supervisor/dynamic_supervisor.ts");
    const system = new System();
    const sup = await DynamicSupervisor.start(system);
    const child = await DynamicSupervisor.startChild(system, sup, { start: { server: store } });
    assert.ok(child !== undefined);
    expectType<Equal<typeof child, Pid<Request, number | undefined, { put: [string, number] }>>>(
      true,
    );
    // Type-checked, never run.
    const _wrong = () =>
      // @ts-expect-error: not a request this server takes
      system.call(child, "size");
    assert.equal(await system.call(child, { size: true }), 0);
    await system.stopAll();
  });
});

describe("typed names", () => {
  it("a name from defineName types call and cast like the pid start returns", async () => {
    const STORE = defineName<typeof store>("store");
    expectType<
      Equal<typeof STORE, Name<Request, number | undefined, { put: [string, number] }>>
    >(true);
    assert.ok(typeof STORE === "string" && `${STORE}` === "store"); // the plain string at run time

    const system = new System();
    await system.start(store, undefined, { name: STORE });
    assert.equal(system.cast(STORE, { put: ["a", 1] }), "ok");
    const got = await system.call(STORE, { get: "a" });
    expectType<Equal<typeof got, number | undefined>>(true);
    assert.equal(got, 1);
    // Type-checked, never run.
    const _wrong = () => {
      // @ts-expect-error: not a request this server takes
      system.call(STORE, { bogus: true });
      // @ts-expect-error: not a cast this server takes
      system.cast(STORE, { put: "a" });
    };

    // A plain string stays an untyped name; an explicit reply type is honoured.
    const untyped = await system.call("store", { size: true });
    expectType<Equal<typeof untyped, unknown>>(true);
    const explicit = await system.call<number>("store", { size: true });
    expectType<Equal<typeof explicit, number>>(true);
    await system.shutdown();
  });

  it("start refuses a server whose types are not the name's", async () => {
    const STORE = defineName<typeof store>("store");
    const counter: GenServer<number, void, "get", number> = {
      init: () => ok(0),
      handleCall: (_request, _from, n) => reply(n, n),
    };
    const system = new System();
    // Type-checked, never run.
    const _wrong = () =>
      // @ts-expect-error: a counter cannot be registered under the store's typed name
      system.start(counter, undefined, { name: STORE });
    const pid = await system.start(counter, undefined, { name: "counter" }); // untyped: any server
    assert.equal(await system.call(pid, "get"), 0);
    await system.shutdown();
  });

  it("a context calls and casts by typed name too", async () => {
    const STORE = defineName<typeof store>("store");
    const system = new System();
    await system.start(store, undefined, { name: STORE });
    const caller = await system.start({
      init: () => ok(null),
      handleCall: async (_request: "go", _from, state, ctx) => {
        ctx.cast(STORE, { put: ["b", 2] });
        const size = await ctx.call(STORE, { size: true });
        expectType<Equal<typeof size, number | undefined>>(true);
        return reply(size, state);
      },
    });
    assert.equal(await system.call(caller, "go"), 1);
    await system.shutdown();
  });

  it("defineName refuses what is not a non-empty string", () => {
    assert.throws(() => defineName<typeof store>(""), TypeError);
    assert.throws(() => defineName<typeof store>(42 as unknown as string), TypeError);
  });
});

describe("result types", () => {
  it("an init declared to return InitResult<S> may stop(reason)", async () => {
    const init = (n: number): InitResult<number> => n < 0 ? stop("negative") : ok(n);
    const system = new System({ logger: null });
    await assert.rejects(system.start({ init }, -1), (e: Error) => e.name === "ExitError");
    const pid = await system.start({ init, handleCall: (_r: "get", _f, n) => reply(n, n) }, 2);
    assert.equal(await system.call(pid, "get"), 2);
    await system.shutdown();
  });
});
