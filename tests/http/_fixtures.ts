/**
 * Fixtures of the HTTP adapter tests (private: not a test file).
 *
 * @module
 */

import type { Hono } from "hono";
import { type GenServer, noreply, ok, reply } from "../../src/gen_server.ts";
import { createTelemetryApp, type TelemetryAppOptions } from "../../src/http/mod.ts";
import { ProcessTableWalker } from "../../src/observe/process_table_walker.ts";
import { System } from "../../src/system.ts";

/** The token the tests authenticate with. */
export const TOKEN = "test-token-0123456789";

/** Headers carrying the good token. */
export const AUTH = { Authorization: `Bearer ${TOKEN}` } as const;

/** A server that echoes calls, counts casts, and can be told to wait. */
export const echo: GenServer<number, undefined> = {
  init: () => ok(0),
  handleCall: (request, _from, n) => reply(request, n),
  handleCast: (_message, n) => noreply(n + 1),
  handleInfo: (_message, n) => noreply(n),
};

/** A system, an app under token auth, and a way to release both. */
export interface Fixture {
  readonly system: System;
  readonly app: Hono;
  readonly controller: AbortController;
  /** The app's walker when the fixture drives it by hand (`manualWalker: true`). */
  readonly walker: ProcessTableWalker | undefined;
  /** GET (or another method) with the good token. */
  get(path: string, init?: RequestInit): Promise<Response>;
  /** A new complete pass of the manual walker: the snapshot routes serve it from now on. */
  refresh(): void;
  /** Aborts the app's signal and shuts the system down. */
  close(): void;
}

/** Options of a fixture: the app's, and whether the test drives the walker itself. */
export type FixtureOptions = TelemetryAppOptions & {
  /** Give the app a walker with `schedule: "manual"`: the test calls `refresh()`. */
  readonly manualWalker?: boolean;
};

/** An app under token auth (and any other options) over `system` (default: a fresh one). */
export function fixture(
  options: FixtureOptions = {},
  system: System = new System({ logger: null }),
): Fixture {
  const controller = new AbortController();
  const { manualWalker, ...appOptions } = options;
  const walker = manualWalker
    ? new ProcessTableWalker(system, { schedule: "manual", signal: controller.signal })
    : undefined;
  const app = createTelemetryApp(system, {
    auth: { token: TOKEN },
    signal: controller.signal,
    ...(walker === undefined ? {} : { processTable: walker }),
    ...appOptions,
  });
  return {
    system,
    app,
    controller,
    walker,
    get: (path, init = {}) =>
      Promise.resolve(app.request(path, {
        ...init,
        headers: { ...AUTH, ...(init.headers as Record<string, string> | undefined) },
      })),
    refresh() {
      if (walker === undefined) throw new Error("refresh: the fixture has no manual walker");
      walker.refresh();
    },
    close() {
      controller.abort();
      system.shutdown();
    },
  };
}

/**
 * Makes every way of reading the whole process table at once throw, so a
 * route that still scans fails the test; the walker's own reads
 * (`processIterator`, `processSummary`) are left alone unless `walker` is
 * false.
 */
export function forbidScans(system: System, { walker = true } = {}): void {
  const scans = ["processes", "countByStatus", ...(walker ? [] : ["processIterator"])];
  for (const scan of scans) {
    Object.defineProperty(system, scan, {
      configurable: true,
      value: () => {
        throw new Error(`a route scanned the process table (${scan})`);
      },
    });
  }
}

/** The JSON body of `response`, after checking its content type. */
export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  const type = response.headers.get("content-type") ?? "";
  if (!type.startsWith("application/json")) {
    throw new Error(`expected JSON, got ${type}: ${await response.text()}`);
  }
  return await response.json() as T;
}

/** Reads `stream` until `done(text so far)` holds or `maxReads` chunks were read. */
export async function readUntil(
  stream: ReadableStream<Uint8Array>,
  done: (text: string) => boolean,
  maxReads = 1000,
): Promise<{ text: string; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (let i = 0; i < maxReads && !done(text); i++) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += decoder.decode(value, { stream: true });
  }
  return { text, reader };
}

/** The server-sent events of `text`: `{ event, data }` per frame, comments as `{ comment }`. */
export function frames(text: string): { event?: string; data?: string; comment?: string }[] {
  return text.split("\n\n").filter((frame) => frame !== "").map((frame) => {
    const out: { event?: string; data?: string; comment?: string } = {};
    for (const line of frame.split("\n")) {
      if (line.startsWith(": ")) out.comment = line.slice(2);
      else if (line.startsWith("event: ")) out.event = line.slice(7);
      else if (line.startsWith("data: ")) out.data = line.slice(6);
    }
    return out;
  });
}
