import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type GenServer, noreply, ok, reply } from "../../src/gen_server.ts";
import { ModelMismatchError } from "../../src/testing/errors.ts";
import {
  calls,
  casts,
  checkAgainstModel,
  type ModelCheck,
  modelProperty,
  runAgainstModel,
  sends,
  type ServerModel,
} from "../../src/testing/properties.ts";

// ---- a bank account and its model ----------------------------------------------------

type Request = "balance" | { withdraw: number };
type Reply = number | "insufficient";
type Cast = { deposit: number };
type Info = "audit";

interface Account {
  balance: number;
  audits: number;
}

const account: GenServer<Account, number, Request, Reply, Cast, Info> = {
  init: (opening) => ok({ balance: opening, audits: 0 }),
  handleCall: (request, _from, state) => {
    if (request === "balance") return reply(state.balance, state);
    if (request.withdraw > state.balance) return reply("insufficient", state);
    const balance = state.balance - request.withdraw;
    return reply(balance, { ...state, balance });
  },
  handleCast: ({ deposit }, state) => noreply({ ...state, balance: state.balance + deposit }),
  handleInfo: (_message, state) => noreply({ ...state, audits: state.audits + 1 }),
};

const accountModel: ServerModel<number, number, Request, Reply, Cast, Info> = {
  init: (opening) => opening,
  handleCall: (request, balance) => {
    if (request === "balance") return { reply: balance, model: balance };
    if (request.withdraw > balance) return { reply: "insufficient", model: balance };
    return { reply: balance - request.withdraw, model: balance - request.withdraw };
  },
  handleCast: ({ deposit }, balance) => balance + deposit,
  handleInfo: (_message, balance) => balance,
};

const accountCommands = [
  calls(fc.oneof(fc.constant("balance" as const), fc.record({ withdraw: fc.nat(60) }))),
  casts(fc.record({ deposit: fc.nat(50) })),
  sends(fc.constant("audit" as const)),
];

function accountCheck(
  server: GenServer<Account, number, Request, Reply, Cast, Info>,
): ModelCheck<Account, number, number, Request, Reply, Cast, Info> {
  return { server, arg: 10, model: accountModel, commands: accountCommands, maxCommands: 30 };
}

test("a correct bank account follows its model", {
  timeout: 120_000,
}, async () => {
  let runs = 0;
  await checkAgainstModel(
    {
      ...accountCheck(account),
      invariant: (_balance, { harness, pid }) => {
        assert.equal(harness.mailbox(pid).length, 0);
        runs++;
      },
    },
    { numRuns: 100 },
  );
  assert.ok(runs > 100, "the invariant ran after commands");
});

test("a buggy bank account is caught: the property fails and shrinks to a short sequence", {
  timeout: 120_000,
}, async () => {
  // Bug: a withdrawal of exactly the whole balance is refused.
  const buggy: typeof account = {
    ...account,
    handleCall: (request, from, state, ctx) =>
      typeof request === "object" && request.withdraw === state.balance && state.balance > 0
        ? reply("insufficient", state)
        : account.handleCall!(request, from, state, ctx),
  };
  const details = await fc.check(modelProperty(accountCheck(buggy)), { numRuns: 300, seed: 42 });
  assert.equal(details.failed, true);
  const error = details.errorInstance as Error;
  assert.ok(error instanceof ModelMismatchError, String(error));
  assert.equal(error.actual, "insufficient");
  assert.equal(error.expected, 0);
  // Shrunk to one withdrawal of the whole opening balance.
  assert.match(String(details.counterexample![0]), /^call\(\{"withdraw":10\}\) /);

  // And through checkAgainstModel, fc.assert throws.
  await assert.rejects(
    checkAgainstModel(accountCheck(buggy), { numRuns: 300, seed: 42 }),
    (thrown: Error) => {
      assert.match(thrown.message, /withdraw/);
      assert.ok(thrown.cause instanceof ModelMismatchError);
      return true;
    },
  );
});

test("a server that crashes on some input is caught, with the crash as cause", async () => {
  const fragile: typeof account = {
    ...account,
    handleCast: ({ deposit }, state) => {
      if (deposit === 13) throw new Error("unlucky");
      return noreply({ ...state, balance: state.balance + deposit });
    },
  };
  const details = await fc.check(modelProperty(accountCheck(fragile)), { numRuns: 500, seed: 7 });
  assert.equal(details.failed, true);
  const error = details.errorInstance as ModelMismatchError;
  assert.ok(error instanceof ModelMismatchError);
  assert.equal((error.cause as Error).message, "unlucky");
  assert.equal(error.command, 'cast({"deposit":13})');
});

test("runAgainstModel replays a pinned sequence", async () => {
  await runAgainstModel(accountCheck(account), [
    { kind: "cast", request: { deposit: 5 } },
    { kind: "call", request: { withdraw: 15 } },
    { kind: "send", message: "audit" },
    { kind: "call", request: "balance" },
  ]);
  const stingy: typeof account = {
    ...account,
    handleCall: (request, from, state, ctx) =>
      request === "balance"
        ? reply(state.balance + 1, state)
        : account.handleCall!(request, from, state, ctx),
  };
  await assert.rejects(
    runAgainstModel(accountCheck(stingy), [{ kind: "call", request: "balance" }]),
    (error: ModelMismatchError) => {
      assert.ok(error instanceof ModelMismatchError);
      assert.equal(error.command, 'call("balance")');
      assert.equal(error.expected, 10);
      assert.equal(error.actual, 11);
      return true;
    },
  );
});

test("a command the model cannot handle is a TypeError, not a silent pass", async () => {
  const { handleCast: _dropped, ...noCasts } = accountModel;
  await assert.rejects(
    runAgainstModel({ ...accountCheck(account), model: noCasts }, [{
      kind: "cast",
      request: { deposit: 1 },
    }]),
    TypeError,
  );
});

test("accepts() filters commands by precondition; equals() overrides the comparison", async () => {
  const seen: string[] = [];
  await checkAgainstModel(
    {
      ...accountCheck(account),
      model: {
        ...accountModel,
        accepts: (command, balance) =>
          command.kind !== "call" || command.request === "balance" || balance >= 100,
      },
      equals: (actual, expected) => {
        seen.push(typeof actual);
        return actual === expected;
      },
    },
    { numRuns: 30 },
  );
  assert.ok(seen.length > 0);
});

// ---- a stack, with a bug only a sequence reveals ------------------------------------

type StackRequest = "pop" | "peek" | "size";

function stackServer(
  bug: boolean,
): GenServer<number[], undefined, StackRequest, number | undefined, number> {
  return {
    init: () => ok([]),
    handleCall: (request, _from, items) => {
      if (request === "size") return reply(items.length, items);
      if (request === "peek") return reply(items.at(-1), items);
      // Bug: a pop from a stack of 3 or more takes the bottom item.
      if (bug && items.length >= 3) return reply(items[0], items.slice(1));
      return reply(items.at(-1), items.slice(0, -1));
    },
    handleCast: (item, items) => noreply([...items, item]),
  };
}

const stackModel: ServerModel<
  readonly number[],
  undefined,
  StackRequest,
  number | undefined,
  number
> = {
  init: () => [],
  handleCall: (request, items) => {
    if (request === "size") return { reply: items.length, model: items };
    if (request === "peek") return { reply: items.at(-1), model: items };
    return { reply: items.at(-1), model: items.slice(0, -1) };
  },
  handleCast: (item, items) => [...items, item],
};

const stackCommands = [
  calls(fc.constantFrom<StackRequest>("pop", "peek", "size")),
  casts(fc.nat(9)),
];

test("a stack follows its model; a stack that pops the wrong end past 3 items does not", {
  timeout: 120_000,
}, async () => {
  await checkAgainstModel(
    { server: stackServer(false), arg: undefined, model: stackModel, commands: stackCommands },
    { numRuns: 100 },
  );
  const details = await fc.check(
    modelProperty({
      server: stackServer(true),
      arg: undefined,
      model: stackModel,
      commands: stackCommands,
    }),
    { numRuns: 300, seed: 1 },
  );
  assert.equal(details.failed, true);
  // Shrunk to the essence: three distinct pushes, then a pop.
  const counterexample = String(details.counterexample![0]);
  assert.match(counterexample, /^cast\(\d\),cast\(\d\),cast\(\d\),call\("pop"\) /);
});
