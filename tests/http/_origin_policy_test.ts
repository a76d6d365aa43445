/**
 * The origin policy: `publicOrigin` checked (TypeError otherwise),
 * loopback hosts recognized, and the order of evidence (Origin, then
 * Sec-Fetch-Site, then Referer, else refused); the login cookie's Secure
 * flag behind a TLS-terminating proxy.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  checkOrigin,
  CROSS_ORIGIN,
  isLoopbackHost,
  NEEDS_PUBLIC_ORIGIN,
  type OriginEvidence,
  resolvePublicOrigins,
  secureCookie,
} from "../../src/http/_origin_policy.ts";

const evidence = (over: Partial<OriginEvidence>): OriginEvidence => ({
  url: "http://127.0.0.1:8080/processes/1/kill",
  origin: undefined,
  secFetchSite: undefined,
  referer: undefined,
  ...over,
});

describe("origin policy", () => {
  it("checks publicOrigin: absolute http(s) origins, one or a non-empty list", () => {
    assert.equal(resolvePublicOrigins(undefined), undefined);
    assert.deepEqual(resolvePublicOrigins("https://Ops.Example.com/"), ["https://ops.example.com"]);
    assert.deepEqual(resolvePublicOrigins(["http://a.test:8080", "https://b.test:443"]), [
      "http://a.test:8080",
      "https://b.test",
    ]);
    const bad = [
      "",
      "ops.example.com",
      "/beamlet",
      "https://ops.example.com/beamlet",
      "https://ops.example.com?x=1",
      "https://ops.example.com/#top",
      "https://user:pw@ops.example.com",
      "ftp://ops.example.com",
      "javascript:alert(1)",
      [],
      ["https://ok.example", 42],
      42,
      null,
      { origin: "https://ops.example.com" },
    ];
    for (const value of bad) {
      assert.throws(() => resolvePublicOrigins(value), TypeError, JSON.stringify(value));
    }
  });

  it("recognizes loopback hosts as URL spells them", () => {
    for (const url of ["http://localhost", "http://127.0.0.1", "http://127.1", "http://[::1]:80"]) {
      assert.equal(isLoopbackHost(new URL(url).hostname), true, url);
    }
    for (
      const url of [
        "http://localhost.evil.example",
        "http://127.0.0.1.nip.io",
        "http://0.0.0.0",
        "http://[::ffff:7f00:1]",
        "http://10.0.0.1",
      ]
    ) {
      assert.equal(isLoopbackHost(new URL(url).hostname), false, url);
    }
  });

  it("takes Origin first, then Sec-Fetch-Site, then Referer, and refuses without any", () => {
    const own = "http://127.0.0.1:8080";
    const ok = { ok: true };
    const no = { ok: false, reason: CROSS_ORIGIN };
    const cases: [Partial<OriginEvidence>, unknown][] = [
      [{ origin: own }, ok],
      [{ origin: "http://127.0.0.1:8081" }, no],
      [{ origin: own, secFetchSite: "cross-site", referer: "https://evil.example/" }, ok],
      [{ origin: "https://evil.example", secFetchSite: "same-origin", referer: own }, no],
      [{ secFetchSite: "same-origin" }, ok],
      [{ secFetchSite: "Same-Origin " }, ok],
      [{ secFetchSite: "same-site", referer: `${own}/dashboard` }, no],
      [{ secFetchSite: "cross-site" }, no],
      [{ referer: `${own}/dashboard` }, ok],
      [{ referer: "https://evil.example/" }, no],
      [{ referer: "garbage" }, no],
      [{}, no],
    ];
    for (const [over, verdict] of cases) {
      assert.deepEqual(checkOrigin(evidence(over), undefined), verdict, JSON.stringify(over));
    }
  });

  it("asks for publicOrigin on a non-loopback host, whatever the request says", () => {
    const url = "http://rebind.evil.example/processes/1/kill";
    const verdict = checkOrigin(
      evidence({ url, origin: "http://rebind.evil.example", secFetchSite: "same-origin" }),
      undefined,
    );
    assert.deepEqual(verdict, { ok: false, reason: NEEDS_PUBLIC_ORIGIN });
    const origins = resolvePublicOrigins("https://ops.example.com");
    assert.deepEqual(checkOrigin(evidence({ url, origin: "https://ops.example.com" }), origins), {
      ok: true,
    });
  });

  it("marks the login cookie Secure when the request or a public origin is https", () => {
    assert.equal(secureCookie("http://localhost/dashboard", undefined), false);
    assert.equal(secureCookie("https://ops.example.com/dashboard", undefined), true);
    const proxied = resolvePublicOrigins(["http://intranet.test", "https://ops.example.com"]);
    assert.equal(secureCookie("http://10.0.0.5:3000/dashboard", proxied), true);
    assert.equal(
      secureCookie("http://10.0.0.5:3000/dashboard", resolvePublicOrigins("http://a.test")),
      false,
    );
  });
});
