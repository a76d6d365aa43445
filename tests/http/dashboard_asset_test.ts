/**
 * The generated dashboard assets: present, bundling uPlot with its license,
 * fit for the strict Content-Security-Policy (no inline script or style, no
 * markup built from strings), self-contained (no CDN, no absolute URL, so the
 * page works offline and under any mount path) and carrying the hooks the
 * browser tests use.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  DASHBOARD_CSS,
  DASHBOARD_HTML,
  DASHBOARD_JS,
  DASHBOARD_SHA256,
} from "../../src/http/_dashboard_asset.ts";
import { EVENT_CATALOG } from "../../src/telemetry/catalog/mod.ts";

/** Where the build script starts the dashboard's own code after uPlot's. */
const MARKER = "/* beamlet dashboard */";

/** The dashboard's own part of a bundle (after uPlot). */
function ownPart(bundle: string): string {
  const at = bundle.indexOf(MARKER);
  assert.ok(at > 0, "the bundle has the marker after uPlot");
  return bundle.slice(at + MARKER.length);
}

/** The text without license banners (`/*! ... *\/`), which may name a home page. */
function withoutBanners(text: string): string {
  return text.replace(/\/\*![\s\S]*?\*\//g, "");
}

/** Every `name="value"` of the attributes `src`, `href` and `action` in the page. */
function urlAttributes(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href|action|formaction)\s*=\s*"([^"]*)"/gi)].map((m) => m[1]);
}

const TEST_IDS = [
  "schedulers-panel",
  "scheduler-row",
  "scheduler-status",
  "schedulers-summary",
  "throughput",
  "messages-total",
  "process-count",
  "process-link",
  "process-detail",
  "tree",
  "charts",
  "slos",
];

describe("dashboard assets", () => {
  it("are non-empty strings carrying a source hash", () => {
    for (const asset of [DASHBOARD_HTML, DASHBOARD_JS, DASHBOARD_CSS]) {
      assert.equal(typeof asset, "string");
      assert.ok(asset.length > 100);
    }
    assert.match(DASHBOARD_SHA256, /^[0-9a-f]{64}$/);
    assert.match(DASHBOARD_HTML, /^<!doctype html>/i);
  });

  it("bundle uPlot and keep its MIT license notice", () => {
    assert.match(DASHBOARD_JS, /^\/\*! uPlot v\d+\.\d+\.\d+/);
    assert.match(DASHBOARD_JS, /The MIT License/);
    assert.match(DASHBOARD_JS, /Copyright \(c\) \d{4} Leon Sorokin/);
    assert.match(DASHBOARD_JS, /var uPlot\s*=/);
    assert.ok(DASHBOARD_JS.indexOf("var uPlot") < DASHBOARD_JS.indexOf(MARKER), "uPlot first");
    assert.match(DASHBOARD_JS, /new uPlot\(/, "the dashboard draws with it");
    assert.match(DASHBOARD_CSS, /MIT License/);
    assert.match(DASHBOARD_CSS, /\.uplot\s*[,{]/);
    assert.ok(DASHBOARD_CSS.indexOf(".uplot") < DASHBOARD_CSS.indexOf(MARKER), "uPlot css first");
  });

  it("page loads its script and stylesheet relative to itself, with no inline code", () => {
    const scripts = [...DASHBOARD_HTML.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)];
    assert.equal(scripts.length, 1);
    for (const [, attributes, body] of scripts) {
      assert.match(attributes, /\ssrc="dashboard\/app\.js"/);
      assert.equal(body.trim(), "", "no inline script body");
    }
    assert.match(DASHBOARD_HTML, /<link rel="stylesheet" href="dashboard\/app\.css">/);
    assert.doesNotMatch(DASHBOARD_HTML, /\sstyle\s*=/i, "no style attribute");
    assert.doesNotMatch(DASHBOARD_HTML, /<style\b/i, "no style element");
    assert.doesNotMatch(DASHBOARD_HTML, /\son[a-z]+\s*=/i, "no inline event handler");
    assert.doesNotMatch(DASHBOARD_HTML, /javascript:/i);
  });

  it("reference relative URLs only: no CDN, no absolute or root-relative URL", () => {
    const urls = urlAttributes(DASHBOARD_HTML);
    assert.ok(urls.includes("dashboard/app.js") && urls.includes("dashboard/app.css"));
    for (const url of urls) {
      const relative = !/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith("/");
      assert.ok(relative || url === "data:,", `relative URL: ${url}`);
    }
    for (
      const text of [DASHBOARD_HTML, withoutBanners(DASHBOARD_JS), withoutBanners(DASHBOARD_CSS)]
    ) {
      assert.doesNotMatch(text, /https?:\/\//i);
      assert.doesNotMatch(text, /["'(`]\/\/[a-z0-9]/i, "no protocol-relative URL");
      assert.doesNotMatch(text, /cdn/i);
    }
    assert.doesNotMatch(DASHBOARD_CSS, /@import/i);
    assert.doesNotMatch(DASHBOARD_CSS, /url\(\s*["']?(?!data:)[a-z]+:/i);
  });

  it("fetch the API relative to the mount point, with the same-origin cookie", () => {
    const app = ownPart(DASHBOARD_JS);
    assert.match(app, /credentials: "same-origin"/);
    assert.match(app, /getJson\("overview"\)/);
    assert.match(app, /getJson\("tree"\)/);
    assert.match(app, /getJson\(`processes\?\$\{query\}`\)/);
    assert.match(app, /getJson\(`processes\/\$\{encodeURIComponent\(id\)\}`\)/);
    assert.match(app, /new EventSource\(url\)/);
    for (const prefix of ["beamlet.slo", "beamlet.supervisor", "beamlet.process.exit"]) {
      assert.ok(app.includes(`"${prefix}"`), `subscribes to ${prefix}`);
    }
    assert.doesNotMatch(app, /(?:fetch|getJson|EventSource)\(\s*["'`]\//, "no root-relative URL");
  });

  it("build the DOM from data without parsing markup or adding styles", () => {
    const app = ownPart(DASHBOARD_JS);
    for (
      const sink of [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        'createElement("style")',
        'setAttribute("style"',
      ]
    ) {
      assert.ok(!app.includes(sink), `no ${sink}`);
    }
    assert.match(app, /textContent/);
  });

  it("carry every data-testid the browser tests rely on", () => {
    const ids = new Set<string>();
    for (const m of DASHBOARD_HTML.matchAll(/data-testid="([^"]+)"/g)) ids.add(m[1]);
    const app = ownPart(DASHBOARD_JS);
    for (const id of TEST_IDS) {
      assert.ok(ids.has(id) || app.includes(`"${id}"`), `data-testid="${id}"`);
    }
    assert.match(
      app,
      /processLink\(p\.id, String\(p\.pid\), "process-link"\)/,
      "process rows link",
    );
  });

  it("streams only prefixes of declared events", () => {
    const found = /const EVENT_PREFIXES = (\[[^\]]*\]);/.exec(ownPart(DASHBOARD_JS));
    assert.ok(found, "the dashboard names its event prefixes");
    const prefixes: string[] = JSON.parse(found[1]);
    assert.ok(prefixes.length > 0);
    for (const prefix of prefixes) {
      assert.ok(
        EVENT_CATALOG.some((event) => event.id === prefix || event.id.startsWith(`${prefix}.`)),
        `${prefix} matches no declared event`,
      );
    }
  });
});
