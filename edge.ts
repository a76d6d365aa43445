/**
 * Running beamlet on Cloudflare Workers and other edge hosts: one System per
 * isolate, shared by its requests, each request wrapped in
 * {@linkcode serveRequest}. See the README's "On the edge" for the model.
 *
 * @example
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { serveRequest } from "@beamlet/beamlet/edge";
 *
 * const system = new System();
 * const answer = await serveRequest(system, { waitUntil: () => {} }, () => "ok");
 * console.log(answer); // "ok"
 * ```
 *
 * @module
 */

export {
  serveRequest,
  type ServeRequestOptions,
  type WaitUntil,
} from "./src/edge/serve_request.ts";
