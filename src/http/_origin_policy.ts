/**
 * Where mutations may come from: the public origin(s) the app is reached
 * at, or — without them — the request's own origin on a loopback host
 * only; and how a request proves its origin (`Origin`, then
 * `Sec-Fetch-Site`, then `Referer`; none of them: refused).
 *
 * @module
 */

/** The checked `publicOrigin` option: origins as `URL.origin` spells them, or none. */
export type PublicOrigins = readonly string[] | undefined;

/**
 * Checks `publicOrigin`: one absolute `http:`/`https:` origin or a non-empty
 * list of them (a trailing `/` is allowed; a path, query, fragment or
 * credentials are not).
 *
 * @throws {TypeError} for anything else.
 */
export function resolvePublicOrigins(value: unknown): PublicOrigins {
  if (value === undefined) return undefined;
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw new TypeError(
      'createTelemetryApp: publicOrigin must be an origin such as "https://ops.example.com" or a non-empty array of them',
    );
  }
  return Object.freeze(list.map(originOf));
}

function originOf(text: unknown): string {
  const bad = () =>
    new TypeError(
      `createTelemetryApp: publicOrigin must be absolute http(s) origins such as "https://ops.example.com" (no path), got ${
        typeof text === "string" ? JSON.stringify(text.slice(0, 200)) : String(text)
      }`,
    );
  if (typeof text !== "string") throw bad();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad();
  }
  const { origin, protocol, username, password, pathname, search, hash } = url;
  if (protocol !== "http:" && protocol !== "https:") throw bad();
  if (username !== "" || password !== "" || pathname !== "/" || search !== "" || hash !== "") {
    throw bad();
  }
  return origin;
}

/** Whether `hostname` (as `URL.hostname` spells it) is loopback: localhost, 127.0.0.0/8, [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** What a request tells about where it comes from. */
export interface OriginEvidence {
  /** The request's URL (its origin as the server sees it, from the `Host` header). */
  readonly url: string;
  readonly origin: string | undefined;
  readonly secFetchSite: string | undefined;
  readonly referer: string | undefined;
}

/** Accepted, or why not. */
export type OriginVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const ACCEPTED: OriginVerdict = Object.freeze({ ok: true });
/** The answer of a request that does not prove it comes from an accepted origin. */
export const CROSS_ORIGIN = "cross-origin request";
/** The answer on a non-loopback host without `publicOrigin`. */
export const NEEDS_PUBLIC_ORIGIN =
  "mutations on a non-loopback host need the publicOrigin option (the origin browsers use)";

function parsedOrigin(text: string): string | undefined {
  try {
    const origin = new URL(text).origin;
    return origin === "null" ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Whether the request proves it comes from an accepted origin: one of
 * `origins`, or without them the request's own origin on a loopback host.
 * `Origin` decides when present; else `Sec-Fetch-Site` (only `same-origin`
 * passes, and only for a request addressed to an accepted origin); else
 * the origin of `Referer`; with none of them, the request is refused.
 */
export function checkOrigin(request: OriginEvidence, origins: PublicOrigins): OriginVerdict {
  const own = parsedOrigin(request.url);
  let accepted: readonly string[];
  if (origins !== undefined) {
    accepted = origins;
  } else {
    if (own === undefined || !isLoopbackHost(new URL(request.url).hostname)) {
      return { ok: false, reason: NEEDS_PUBLIC_ORIGIN };
    }
    accepted = [own];
  }
  const refused: OriginVerdict = { ok: false, reason: CROSS_ORIGIN };
  const acceptable = (origin: string | undefined) =>
    origin !== undefined && accepted.includes(origin);
  if (request.origin !== undefined) {
    return acceptable(parsedOrigin(request.origin)) ? ACCEPTED : refused;
  }
  if (request.secFetchSite !== undefined) {
    return request.secFetchSite.trim().toLowerCase() === "same-origin" && acceptable(own)
      ? ACCEPTED
      : refused;
  }
  if (request.referer !== undefined) {
    return acceptable(parsedOrigin(request.referer)) ? ACCEPTED : refused;
  }
  return refused;
}

/** Whether the login cookie gets `Secure`: the request or one of the public origins is https. */
export function secureCookie(requestUrl: string, origins: PublicOrigins): boolean {
  return new URL(requestUrl).protocol === "https:" ||
    (origins?.some((origin) => origin.startsWith("https:")) ?? false);
}
