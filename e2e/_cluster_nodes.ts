/**
 * Starting and driving beamlet nodes as OS processes (`_cluster_node.ts`)
 * from an end-to-end test (private: not a test file): each node is its own
 * runtime process, so killing it (SIGKILL) is a real crash — no clean
 * leave, no flushed socket — as a lost machine would be.
 *
 * Run from `npm/e2e/*.js`, the nodes run on Node (`node
 * npm/e2e/_cluster_node.js`); run from source (`deno test e2e/...`), they run
 * on the same runtime from source (`deno run -A e2e/_cluster_node.ts`, or Bun).
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "./_repo.ts";

/** What a node needs to join its cluster. */
export interface NodeEnv {
  /** The cluster's name (`BEAMLET_CLUSTER`). */
  readonly cluster: string;
  /** The NATS servers (`BEAMLET_SERVERS`). */
  readonly servers: readonly string[];
}

/** A line a node printed that is not an answer: a node event, a DOWN, ... */
export interface NodeEventLine {
  readonly event: string;
  readonly [key: string]: unknown;
}

/** An op the node answered with an error: `errorName` is the error's name there. */
export class NodeOpError extends Error {
  /** The name of the error the node met (`"NoConnectionError"`, ...). */
  readonly errorName: string;
  /** Its `code`, if it had one. */
  readonly code: string | undefined;
  /** The node and op. */
  readonly node: string;

  /** Built from an error line of node `node`. */
  constructor(
    node: string,
    op: string,
    error: { name?: unknown; message?: unknown; code?: unknown },
  ) {
    super(`${node}: ${op} failed with ${String(error.name)}: ${String(error.message)}`);
    this.name = "NodeOpError";
    this.errorName = String(error.name);
    this.code = typeof error.code === "string" ? error.code : undefined;
    this.node = node;
  }
}

/** The node's process went away before it answered. */
export class NodeGoneError extends Error {
  /** Built when node `node` exited with `op` unanswered. */
  constructor(node: string, op: string, output: string) {
    super(`${node}: exited before answering ${op}; output:\n${output.slice(-4000)}`);
    this.name = "NodeGoneError";
  }
}

/** A running node. */
export interface ClusterNode {
  /** The node's name. */
  readonly name: string;
  /** Its OS process. */
  readonly process: ChildProcess;
  /** Runs op `op` with `args` on the node; its value, or a {@linkcode NodeOpError}. */
  send<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T>;
  /** Runs `op`: `{ ok: true, value }` or `{ ok: false, error }` (never rejects but for a gone node). */
  attempt<T = unknown>(
    op: string,
    args?: Record<string, unknown>,
  ): Promise<{ ok: true; value: T } | { ok: false; error: NodeOpError }>;
  /** Every event line it printed so far. */
  events(): NodeEventLine[];
  /** Resolves with the first event (past or future) matching `match`. */
  waitEvent(
    what: string,
    match: (event: NodeEventLine) => boolean,
    timeoutMs?: number,
  ): Promise<NodeEventLine>;
  /** Everything it printed (stdout and stderr). */
  output(): string;
  /** Whether its process still runs. */
  isAlive(): boolean;
  /** SIGKILL; resolves once it exited. */
  kill(): Promise<void>;
  /** The `stop` op (a clean leave), then waits for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
  /** Resolves with its exit code (or signal) once it exited. */
  readonly exited: Promise<number | string | null>;
}

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/** The command that runs `_cluster_node` on this runtime. */
function nodeCommand(): { command: string; args: string[] } {
  const here = import.meta.url;
  if (here.endsWith(".ts")) {
    const script = fileURLToPath(new URL("./_cluster_node.ts", here));
    const deno = (globalThis as { Deno?: { execPath(): string } }).Deno;
    if (deno !== undefined) return { command: deno.execPath(), args: ["run", "-A", script] };
    return { command: process.execPath, args: [script] }; // Bun runs .ts as it is
  }
  return {
    command: process.execPath,
    args: [fileURLToPath(new URL("./_cluster_node.js", here))],
  };
}

/**
 * Starts node `name` of cluster `env.cluster` as an OS process and resolves
 * once it joined (printed `{"ready":true}`); rejects with a
 * {@linkcode NodeOpError} naming the error `system.ready` rejected with
 * (`ClusterConnectError`, `NodeNameTakenError`), or with its output if it
 * printed nothing in time.
 */
export async function startNode(
  name: string,
  env: NodeEnv,
  timeoutMs = 30_000,
): Promise<ClusterNode> {
  const { command, args } = nodeCommand();
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      BEAMLET_NODE: name,
      BEAMLET_CLUSTER: env.cluster,
      BEAMLET_SERVERS: env.servers.join(","),
      NO_COLOR: "1",
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  live.add(child);
  let text = "";
  let buffer = "";
  let nextId = 1;
  const pending = new Map<
    number,
    { op: string; resolve: (line: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  const events: NodeEventLine[] = [];
  const waiters = new Set<() => void>();
  let ready: Record<string, unknown> | undefined;
  let gone = false;
  const exited = new Promise<number | string | null>((resolve) => {
    const done = (code: number | string | null) => {
      if (gone) return;
      gone = true;
      live.delete(child);
      for (const [, waiter] of pending) waiter.reject(new NodeGoneError(name, waiter.op, text));
      pending.clear();
      for (const wake of [...waiters]) wake();
      resolve(code);
    };
    child.once("exit", (code, signal) => done(signal ?? code));
    child.once("error", (error) => {
      text += `\n[spawn error] ${error}`;
      done(null);
    });
  });
  // A write to a node that just died is not an error of the test.
  child.stdin!.on("error", () => {});
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    text += chunk;
  });
  child.stdout!.on("data", (chunk: string) => {
    text += chunk;
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue; // a stray log line
      }
      if (typeof parsed !== "object" || parsed === null) continue;
      if ("ready" in parsed) ready = parsed;
      else if (typeof parsed.id === "number") {
        const waiter = pending.get(parsed.id);
        pending.delete(parsed.id);
        waiter?.resolve(parsed);
      } else if (typeof parsed.event === "string") events.push(parsed as NodeEventLine);
    }
    for (const wake of [...waiters]) wake();
  });

  const raw = (op: string, args: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      if (gone) return reject(new NodeGoneError(name, op, text));
      if ("id" in args || "op" in args) {
        return reject(new TypeError(`${op}: "id" and "op" are the command's own fields`));
      }
      const id = nextId++;
      pending.set(id, { op, resolve, reject });
      child.stdin!.write(JSON.stringify({ ...args, id, op }) + "\n");
    });

  const node: ClusterNode = {
    name,
    process: child,
    async send<T>(op: string, args: Record<string, unknown> = {}) {
      const line = await raw(op, args);
      if (line.ok === true) return line.value as T;
      throw new NodeOpError(name, op, (line.error ?? {}) as Record<string, unknown>);
    },
    async attempt<T>(op: string, args: Record<string, unknown> = {}) {
      const line = await raw(op, args);
      if (line.ok === true) return { ok: true as const, value: line.value as T };
      return {
        ok: false as const,
        error: new NodeOpError(name, op, (line.error ?? {}) as Record<string, unknown>),
      };
    },
    events: () => [...events],
    waitEvent(what, match, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `${name}: no event ${what} within ${timeoutMs} ms; events: ${JSON.stringify(events)}`,
            ),
          );
        }, timeoutMs);
        function check() {
          const found = events.find(match);
          if (found !== undefined) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(found);
          } else if (gone) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`${name}: exited before event ${what}; output:\n${text}`));
          }
        }
        waiters.add(check);
        check();
      });
    },
    output: () => text,
    isAlive: () => !gone,
    async kill() {
      if (gone) return;
      // Straight to the process: Deno's child.kill() may close the child's
      // stdin first, and a node reading a closed stdin leaves cleanly.
      try {
        process.kill(child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      await exited;
    },
    async stop(graceMs = 10_000) {
      if (gone) return;
      await node.send("stop").catch(() => {});
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), graceMs)),
      ]);
      clearTimeout(timer);
      if (!done) await node.kill();
    },
    exited,
  };

  const joined = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      waiters.delete(check);
      resolve(false);
    }, timeoutMs);
    function check() {
      if (ready === undefined && !gone) return;
      clearTimeout(timer);
      waiters.delete(check);
      resolve(ready !== undefined);
    }
    waiters.add(check);
    check();
  });
  if (!joined) {
    await node.kill();
    throw new Error(`node ${name} did not start within ${timeoutMs} ms; output:\n${text}`);
  }
  if (ready!.ready !== true) {
    await node.kill();
    throw new NodeOpError(name, "start", (ready!.error ?? {}) as Record<string, unknown>);
  }
  return node;
}

/** Starts every node of `names` at once. */
export function startNodes(names: readonly string[], env: NodeEnv): Promise<ClusterNode[]> {
  return Promise.all(names.map((name) => startNode(name, env)));
}

/** Stops every node (clean leaves, in parallel); never throws. */
export async function stopNodes(nodes: readonly (ClusterNode | undefined)[]): Promise<void> {
  await Promise.all(nodes.map((node) => node?.stop().catch(() => node.kill())));
}
