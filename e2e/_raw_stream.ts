/**
 * An HTTP/1.1 GET over a raw TCP socket whose reading pace the test
 * controls (a slow reader), and the decoding of what it read: status,
 * headers, de-chunked body, server-sent event frames (private: not a test
 * file).
 *
 * @module
 */

import { connect, type Socket } from "node:net";
import { Buffer } from "node:buffer";

/** A GET whose response is read only when asked. */
export interface RawStream {
  readonly socket: Socket;
  /** Reads at most `bytes` now (what the socket buffered); returns how many were read. */
  readSome(bytes: number): number;
  /** Switches to reading everything as it arrives. */
  flow(): void;
  /** Everything read so far. */
  bytes(): Buffer;
  /** Destroys the socket (the client goes away mid-stream). */
  destroy(): void;
}

/** Sends `GET path` with `headers` to 127.0.0.1:`port`, reading nothing yet. */
export function rawGet(port: number, path: string, headers: Record<string, string>): RawStream {
  const socket = connect(port, "127.0.0.1");
  socket.pause();
  const chunks: Buffer[] = [];
  const lines = [`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  socket.write(lines.join("\r\n") + "\r\n\r\n");
  socket.on("error", () => {});
  return {
    socket,
    readSome(bytes) {
      let read = 0;
      while (read < bytes) {
        const chunk = socket.read(Math.min(bytes - read, socket.readableLength || 1)) as
          | Buffer
          | null;
        if (chunk === null) break;
        chunks.push(chunk);
        read += chunk.length;
      }
      return read;
    },
    flow() {
      socket.on("data", (chunk: Buffer) => chunks.push(chunk));
      socket.resume();
    },
    bytes: () => Buffer.concat(chunks),
    destroy: () => socket.destroy(),
  };
}

/** A response read off the wire: status, lower-cased headers, the body read so far. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses `raw` (possibly cut off mid-body); chunked bodies are de-chunked. */
export function parseResponse(raw: Buffer): RawResponse {
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) throw new Error(`no complete response head in ${raw.length} bytes`);
  const [statusLine, ...headerLines] = raw.subarray(0, end).toString("latin1").split("\r\n");
  const status = Number(statusLine.split(" ")[1]);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (/chunked/i.test(headers["transfer-encoding"] ?? "")) body = dechunk(body);
  return { status, headers, body: body.toString("utf8") };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const lineEnd = data.indexOf("\r\n", at);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(at, lineEnd).toString("latin1"), 16);
    if (!Number.isFinite(size) || size === 0) break;
    const start = lineEnd + 2;
    parts.push(data.subarray(start, Math.min(start + size, data.length)));
    at = start + size + 2;
  }
  return Buffer.concat(parts);
}

/** One server-sent event frame. */
export interface Frame {
  event?: string;
  data?: string;
  comment?: string;
}

/** The complete frames of an event-stream body (a trailing partial frame is left out). */
export function sseFrames(body: string): Frame[] {
  const complete = body.slice(0, body.lastIndexOf("\n\n") + 2);
  return complete.split("\n\n").filter((frame) => frame !== "").map((frame) => {
    const out: Frame = {};
    for (const line of frame.split("\n")) {
      if (line.startsWith(":")) out.comment = line.slice(1).trim();
      else if (line.startsWith("event:")) out.event = line.slice(6).trim();
      else if (line.startsWith("data:")) out.data = line.slice(5).trim();
    }
    return out;
  });
}
