/**
 * Testing tools for beamlet: a deterministic system (manual scheduling on a
 * virtual clock), crash injection, collected crash reports, and fast-check
 * helpers to property-test your own GenServers — against a model, and under
 * random interleavings of concurrent senders.
 *
 * This entry imports `fast-check`: add it to your dev dependencies
 * (`npm i -D fast-check`, or `deno add npm:fast-check`). The main entry
 * (`@beamlet/beamlet`) does not need it.
 *
 * ## Testing your GenServer, step by step
 *
 * 1. `createTestSystem()` gives a system where nothing runs until you say so.
 *    `t.start(server, arg)` and `t.call(pid, request)` run it until idle for
 *    you; after a `t.system.cast` or `t.system.send`, `await t.runUntilIdle()`.
 * 2. Time is virtual: `await t.advance(ms)` moves it and fires every timer
 *    that comes due (`sendAfter`, call timeouts, idle timeouts), in order.
 * 3. Crashes are collected in `t.reports`, not printed; `t.crashAt(pid, n)`
 *    makes a process crash on its n-th next message, to test links,
 *    monitors and callers' errors.
 * 4. `t.mailbox(pid)` tells a mailbox's length, oldest message age and
 *    counters. Its contents are not inspectable, by design: observe a
 *    server through its replies and what it sends.
 * 5. `checkAgainstModel` runs random sequences of calls, casts and sends
 *    (each on a fresh test system) and checks every reply against a pure
 *    model of your server; fast-check shrinks a failure to the shortest
 *    sequence. `checkInterleavings` (or `interleave` inside your own
 *    `fc.asyncProperty(fc.scheduler(), ...)`) lets fast-check choose the
 *    order in which several senders' operations arrive, to find races.
 *
 * @example A bank account: timers, crashes, and a model
 * ```ts
 * import fc from "fast-check";
 * import { type GenServer, noreply, ok, reply } from "@beamlet/beamlet";
 * import { calls, casts, checkAgainstModel, createTestSystem } from "@beamlet/beamlet/testing";
 *
 * type Request = "balance" | { withdraw: number };
 * type Cast = { deposit: number } | "accrue";
 *
 * const account: GenServer<number, number, Request, number | "insufficient", Cast> = {
 *   init: (opening) => ok(opening),
 *   handleCall: (request, _from, balance) => {
 *     if (request === "balance") return reply(balance, balance);
 *     if (request.withdraw > balance) return reply("insufficient", balance);
 *     return reply(balance - request.withdraw, balance - request.withdraw);
 *   },
 *   handleCast: (cast, balance, ctx) => {
 *     if (cast === "accrue") {
 *       ctx.sendAfter(ctx.self, { deposit: 1 }, 1000); // interest, paid later
 *       return noreply(balance);
 *     }
 *     return noreply(balance + cast.deposit);
 *   },
 *   handleInfo: (message, balance) =>
 *     noreply(typeof message === "object" && message !== null && "deposit" in message
 *       ? balance + (message as { deposit: number }).deposit
 *       : balance),
 * };
 *
 * // Deterministic time.
 * const t = createTestSystem();
 * const pid = await t.start(account, 100);
 * t.system.cast(pid, "accrue");
 * await t.advance(999);
 * console.log(await t.call(pid, "balance")); // 100
 * await t.advance(1);
 * console.log(await t.call(pid, "balance")); // 101
 *
 * // A crash on the next message, seen by the caller and in the reports.
 * t.crashAt(pid, 1);
 * await t.call(pid, "balance").catch((error) => console.log(error.name)); // "ExitError"
 * console.log(t.reports.length); // 1
 * t.dispose();
 *
 * // Random sequences against a model (the balance never goes negative, replies match).
 * await checkAgainstModel({
 *   server: account,
 *   arg: 0,
 *   model: {
 *     init: (opening) => opening,
 *     handleCall: (request, balance) => {
 *       if (request === "balance") return { reply: balance, model: balance };
 *       if (request.withdraw > balance) return { reply: "insufficient" as const, model: balance };
 *       return { reply: balance - request.withdraw, model: balance - request.withdraw };
 *     },
 *     handleCast: (cast, balance) => (cast === "accrue" ? balance : balance + cast.deposit),
 *   },
 *   commands: [
 *     calls(fc.oneof(fc.constant("balance" as const), fc.record({ withdraw: fc.nat(50) }))),
 *     casts(fc.record({ deposit: fc.nat(50) })),
 *   ],
 * }, { numRuns: 100 });
 * ```
 *
 * @module
 */

export * from "./src/testing/virtual_clock.ts";
export * from "./src/testing/test_system.ts";
export * from "./src/testing/errors.ts";
export * from "./src/testing/properties.ts";
export * from "./src/testing/interleavings.ts";
