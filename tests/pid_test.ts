/**
 * Pids and refs are values that name a node: printed, parsed, sent through
 * JSON or structuredClone, they come back equal and still reach their
 * process; two systems never make equal pids; a pid of another node never
 * reaches a local process with the same serial; malformed text is a
 * TypeError. Errors that cross the routing seam have a code and a JSON form,
 * and a remote port plugs into `SystemOptions.remote` without any change to
 * the callers.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DownMessage, ExitMessage, type GenServer, noreply, ok, reply } from "../src/gen_server.ts";
import { Pid, Ref, samePid } from "../src/pid.ts";
import {
  CallTimeoutError,
  ExitError,
  NoProcError,
  OverloadedError,
  type SerializedError,
} from "../src/errors.ts";
import { type MailboxPort, System } from "../src/system.ts";
import type { ExitReason } from "../src/exit_reason.ts";
import { From } from "../src/from.ts";

const echo: GenServer<unknown[], void> = {
  init: () => ok([]),
  handleCall: (request, _from, log) => reply(request, log),
  handleCast: (message, log) => noreply([...log, ["cast", message]]),
  handleInfo: (message, log) => noreply([...log, ["info", message]]),
};

/** A process that records every message it gets, exits included. */
const recorder: GenServer<unknown[], void> = {
  init: (_arg, ctx) => {
    ctx.trapExit(true);
    return ok([]);
  },
  handleCall: (request, _from, log) => reply(request === "log" ? log : request, log),
  handleCast: (message, log) => noreply([...log, message]),
  handleInfo: (message, log) => noreply([...log, message]),
};

function quiet(options: ConstructorParameters<typeof System>[0] = {}): System {
  return new System({ logger: null, ...options });
}

describe("pids are values", () => {
  it("print as #PID<node.serial.0> and parse back equal, reaching the process", async () => {
    const system = quiet({ node: "a1b2" });
    const pid = await system.start(echo);
    assert.equal(String(pid), "#PID<a1b2.1.0>");
    assert.equal(pid.node, "a1b2");
    assert.equal(pid.serial, 1);
    const parsed = Pid.parse(String(pid));
    assert.notEqual(parsed, pid);
    assert.ok(parsed.equals(pid) && pid.equals(parsed) && samePid(parsed, pid));
    assert.equal(system.isAlive(parsed), true);
    assert.equal(await system.call(parsed, "hi"), "hi");
    assert.equal(system.cast(parsed, 1), "ok");
    assert.equal(system.send(parsed, 2), "ok");
    assert.deepEqual(await system.call(pid, "x").then(() => system.processInfo(parsed)?.pid), pid);
    await system.stop(parsed);
    assert.equal(system.isAlive(pid), false);
  });

  it("round-trip through JSON and structuredClone", async () => {
    const system = quiet();
    const pid = await system.start(echo);
    const json = JSON.parse(JSON.stringify({ pid }));
    assert.equal(json.pid, String(pid));
    const viaJson = Pid.fromJSON(json.pid);
    const cloned = structuredClone(pid);
    assert.ok(!(cloned instanceof Pid)); // structuredClone drops the prototype ...
    assert.ok(pid.equals(cloned)); // ... but not the value
    const viaClone = Pid.fromJSON(cloned);
    for (const back of [viaJson, viaClone]) {
      assert.ok(back instanceof Pid && back.equals(pid));
      assert.equal(await system.call(back, "again"), "again");
    }
    assert.equal(Pid.fromJSON(pid), pid);
    await system.shutdown();
  });

  it("equality is by node and serial only", () => {
    assert.ok(Pid.of("n1", 3).equals(new Pid(3, "n1")));
    assert.ok(!Pid.of("n1", 3).equals(Pid.of("n2", 3)));
    assert.ok(!Pid.of("n1", 3).equals(Pid.of("n1", 4)));
    assert.ok(!Pid.of("n1", 3).equals(undefined));
    assert.ok(!Pid.of("n1", 3).equals("#PID<n1.3.0>"));
    assert.ok(samePid(undefined, undefined));
    assert.ok(!samePid(Pid.of("n1", 3), undefined));
    const hostile = new Proxy({}, {
      get() {
        throw new Error("no");
      },
    });
    assert.equal(Pid.of("n1", 3).equals(hostile), false);
  });

  it("two systems in one process never make equal pids, nor equal refs", async () => {
    const a = quiet();
    const b = quiet();
    assert.notEqual(a.node, b.node);
    const pa = await a.start(echo);
    const pb = await b.start(echo);
    assert.equal(pa.serial, pb.serial);
    assert.ok(!pa.equals(pb));
    assert.notEqual(String(pa), String(pb));
    const ra = a.monitor(pa, () => {});
    const rb = b.monitor(pb, () => {});
    assert.equal(ra.serial, rb.serial);
    assert.ok(!ra.equals(rb));
    assert.equal(a.demonitor(rb), false, "a ref of another system names no monitor here");
    assert.equal(a.demonitor(Ref.fromJSON(structuredClone(ra))), true, "refs are values too");
    assert.equal(a.cancelTimer(b.sendAfter(pb, "x", 1000)), false);
    a.shutdown();
    b.shutdown();
  });

  it("malformed text and options are TypeErrors with a clear message", () => {
    for (
      const text of [
        "",
        "#PID<0.1>",
        "#PID<a.b.0>",
        "#PID<n1.1.1024>", // schedulers stop at MAX_SCHEDULERS - 1
        "PID<n1.1.0>",
        "#PID<n.1.1.0>",
        "#PID<n1.-1.0>",
        "#PID<n1.99999999999999999.0>",
        ` #PID<n1.1.0>`,
        `#PID<${"x".repeat(65)}.1.0>`,
      ]
    ) {
      assert.throws(() => Pid.parse(text), (error: Error) => {
        assert.ok(error instanceof TypeError, text);
        assert.match(error.message, /Pid\.(parse|fromJSON): /);
        return true;
      });
    }
    assert.throws(() => Pid.parse(42 as unknown as string), TypeError);
    assert.throws(() => Pid.fromJSON(null), TypeError);
    assert.throws(() => Pid.fromJSON({ node: "n1" }), TypeError);
    assert.throws(() => Pid.fromJSON({ node: "a.b", serial: 1 }), TypeError);
    assert.throws(() => Pid.of("n1", 1.5), TypeError);
    assert.throws(() => Ref.parse("#Reference<0>"), TypeError);
    assert.throws(() => new System({ node: "" }), TypeError);
    assert.throws(() => new System({ node: "a.b" }), /node id/);
    assert.throws(() => new System({ node: 7 as unknown as string }), TypeError);
    assert.throws(() => new System({ remote: {} as unknown as () => undefined }), TypeError);
    assert.equal(Pid.parse("#PID<0.12.0>").node, "0");
    assert.equal(Ref.parse("#Reference<n1.4>").serial, 4);
  });
});

describe("a pid of another node never reaches a local process", () => {
  it("call, cast, send, link, monitor, exit, stop: noproc, and the local twin is untouched", async () => {
    const system = quiet({ node: "here" });
    const local = await system.start(recorder);
    const watcher = await system.start(recorder);
    const foreign = Pid.of("there", local.serial);
    assert.equal(foreign.serial, local.serial);

    await assert.rejects(system.call(foreign, "hi"), (error: unknown) => {
      assert.ok(error instanceof NoProcError);
      assert.equal(error.code, "noproc");
      assert.ok(error.pid?.equals(foreign));
      assert.equal(error.target, "#PID<there.1.0>");
      return true;
    });
    assert.equal(system.cast(foreign, "c"), "noproc");
    assert.equal(system.send(foreign, "s"), "noproc");
    system.exit(foreign, "kill");
    system.exit(foreign, "boom");
    await assert.rejects(system.stop(foreign), NoProcError);
    assert.equal(await system.whenExited(foreign), "noproc");
    assert.equal(system.processInfo(foreign), undefined);
    assert.equal(system.isAlive(foreign), false);

    // A monitor from outside: DOWN noproc at once, with the pid asked for.
    const down = await new Promise<[ExitReason, Pid]>((resolve) =>
      system.monitor(foreign, (reason, _ref, pid) => resolve([reason, pid]))
    );
    assert.equal(down[0], "noproc");
    assert.ok(down[1].equals(foreign));

    // From inside a process: link gets an exit signal noproc, monitor a DOWN noproc.
    system.cast(watcher, "mark");
    await system.call(watcher, "sync");
    const inside = await system.start({
      init: (_arg, ctx) => {
        ctx.monitor(foreign);
        ctx.cast(foreign, "x");
        ctx.send(foreign, "y");
        ctx.exit(foreign, "kill");
        return ok(null);
      },
    });
    assert.ok(system.isAlive(inside));
    const probeLog = await system.start({
      init: (_arg, ctx) => {
        ctx.trapExit(true);
        ctx.link(foreign);
        ctx.monitor(foreign);
        return ok([] as unknown[]);
      },
      handleCall: (_r, _f, log: unknown[]) => reply(log, log),
      handleInfo: (m, log: unknown[]) => noreply([...log, m]),
    });
    const log = await system.call<unknown[]>(probeLog, "log");
    const exit = log.find((m) => m instanceof ExitMessage) as ExitMessage;
    const mon = log.find((m) => m instanceof DownMessage) as DownMessage;
    assert.equal(exit?.reason, "noproc");
    assert.ok(exit.from?.equals(foreign));
    assert.equal(mon?.reason, "noproc");
    assert.ok(mon.pid.equals(foreign));

    // The local process with the same serial got nothing of it and lives on.
    assert.ok(system.isAlive(local));
    assert.deepEqual(await system.call(local, "log"), []);
    await system.stopAll();
  });

  it("a pid copy without a node (`new Pid(serial)`) names no system's process", async () => {
    const system = quiet();
    const local = await system.start(echo);
    assert.equal(system.cast(new Pid(local.serial), "x"), "noproc");
    await assert.rejects(system.call(new Pid(local.serial), "x"), NoProcError);
    system.shutdown();
  });

  it("a reply with a From of another node answers nothing here", async () => {
    const system = quiet({ node: "here" });
    let held: From | undefined;
    const pid = await system.start({
      init: () => ok(null),
      handleCall: (_r, from, state) => {
        held = from;
        return noreply(state);
      },
    });
    const answer = system.call(pid, "wait", { timeout: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(held?.node, "here");
    system.reply(new From(held!.pid, held!.callId, "there"), "wrong");
    system.reply(new From(held!.pid, held!.callId, "here"), "right"); // equal by value: answers
    assert.equal(await answer, "right");
    system.shutdown();
  });
});

describe("errors that cross the routing seam", () => {
  it("have a code and a JSON form, and revive", () => {
    const cases: [Error & { code: string; toJSON(): SerializedError }, string][] = [
      [new NoProcError("#PID<n1.3.0>", { pid: Pid.of("n1", 3) }), "noproc"],
      [new CallTimeoutError("#PID<n1.3.0>", { big: 1n }, 50), "timeout"],
      [new ExitError("#PID<n1.3.0>", new Error("boom")), "exit"],
      [new OverloadedError("#PID<n1.3.0>", "dropped"), "overloaded"],
    ];
    for (const [error, code] of cases) {
      assert.equal(error.code, code);
      const json = JSON.parse(JSON.stringify(error)) as SerializedError;
      assert.equal(json.code, code);
      assert.equal(json.name, error.name);
      assert.equal(json.message, error.message);
      assert.equal(json.target, "#PID<n1.3.0>");
    }
    const noproc = NoProcError.fromJSON(JSON.parse(JSON.stringify(cases[0][0])));
    assert.ok(noproc instanceof NoProcError && noproc.pid?.equals(Pid.of("n1", 3)));
    assert.equal(CallTimeoutError.fromJSON(cases[1][0].toJSON()).timeout, 50);
    const exit = ExitError.fromJSON(JSON.parse(JSON.stringify(cases[2][0])));
    assert.ok(exit instanceof ExitError);
    assert.equal(exit.message, cases[2][0].message);
    assert.equal(OverloadedError.fromJSON(cases[3][0].toJSON()).outcome, "dropped");
  });
});

describe("the routing seam", () => {
  it("a remote port plugs in: call, cast, send and exit reach another system through it", async () => {
    const there = quiet({ node: "there" });
    const seen: string[] = [];
    const portOf = (pid: Pid): MailboxPort => ({
      deliver: (kind, message) => {
        seen.push(kind);
        return kind === "cast" ? there.cast(pid, message) : there.send(pid, message);
      },
      call: (request, from, timeout) => {
        seen.push(`call from ${from.node}`);
        return there.call(pid, request, { timeout });
      },
      exit: (_from, reason) => there.exit(pid, reason),
    });
    const here = quiet({
      node: "here",
      remote: (pid) => pid.node === "there" ? portOf(pid) : undefined,
    });
    const remote = Pid.fromJSON(JSON.parse(JSON.stringify(await there.start(recorder))));
    const twin = await here.start(recorder); // the same serial, here
    assert.equal(twin.serial, remote.serial);
    assert.equal(await here.call(remote, "hi"), "hi");
    assert.equal(here.cast(remote, "c"), "ok");
    assert.equal(here.send(remote, "s"), "ok");
    const fromInside = await here.start({
      init: () => ok(null),
      handleCall: (request, _from, state, ctx) => {
        ctx.cast(remote, request);
        return reply(ctx.call(remote, "log"), state);
      },
    });
    assert.deepEqual(await here.call(fromInside, "inner"), ["c", "s", "inner"]);
    assert.deepEqual(await here.call(twin, "log"), []);
    assert.deepEqual(seen, ["call from here", "cast", "info", "cast", "call from here"]);
    // No port for a node: noproc, as without a resolver.
    await assert.rejects(here.call(Pid.of("elsewhere", 1), "x"), NoProcError);
    const exited = there.whenExited(remote);
    here.exit(remote, "kill");
    assert.equal(await exited, "killed");
    // A call to a process gone over there fails with its named error.
    await assert.rejects(here.call(remote, "x"), NoProcError);
    here.shutdown();
    there.shutdown();
  });

  it("a resolver or port that throws is reported, never thrown at the sender", async () => {
    const reports: unknown[] = [];
    const system = new System({
      node: "here",
      logger: { report: (r) => void reports.push(r) },
      remote: (pid) => {
        if (pid.serial === 1) throw new Error("resolver");
        return {
          deliver: () => {
            throw new Error("deliver");
          },
          call: () => {
            throw new Error("call");
          },
          exit: () => {
            throw new Error("exit");
          },
        };
      },
    });
    assert.equal(system.cast(Pid.of("x", 1), "m"), "noproc");
    assert.equal(system.cast(Pid.of("x", 2), "m"), "noproc");
    await assert.rejects(system.call(Pid.of("x", 2), "m"), /call/);
    system.exit(Pid.of("x", 2), "boom");
    assert.equal(reports.length, 3);
    system.shutdown();
  });
});
