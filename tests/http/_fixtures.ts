/**
 * Fixtures of the HTTP adapter tests (private: not a test file).
 *
 * @module
 */

import type { Hono } from "hono";
import { type GenServer, noreply, ok, reply } from "../../src/gen_server.ts";
import { createTelemetryApp, type TelemetryAppOptions } from "../../src/http/mod.ts";
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
  /** GET (or another method) with the good token. */
  get(path: string, init?: RequestInit): Promise<Response>;
  /** Aborts the app's signal and shuts the system down. */
  close(): void;
}

/** An app under token auth (and any other options) over `system` (default: a fresh one). */
export function fixture(
  options: TelemetryAppOptions = {},
  system: System = new System({ logger: null }),
): Fixture {
  const controller = new AbortController();
  const app = createTelemetryApp(system, {
    auth: { token: TOKEN },
    signal: controller.signal,
    ...options,
  });
  return {
    system,
    app,
    controller,
    get: (path, init = {}) =>
      Promise.resolve(app.request(path, {
        ...init,
        headers: { ...AUTH, ...(init.headers as Record<string, string> | undefined) },
      })),
    close() {
      controller.abort();
      system.shutdown();
    },
  };
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
