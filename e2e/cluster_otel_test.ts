/**
 * OpenTelemetry context across nodes, over a real `nats-server`: a call
 * and a cast made inside an application span on node a are traced on node
 * b in the same trace, their spans children of that span, and the spans
 * the call's handler starts on b nest under them.
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { context, trace } from "@opentelemetry/api";
import { skipUnless } from "./_requirement.ts";
import { waitFor } from "./_wait.ts";
import { NATS_SERVER, type NatsServer, startNats } from "./_nats.ts";
import { noreply, ok, reply, System } from "../mod.ts";
import { openTelemetryTracer } from "../otel.ts";
import { nodes } from "../cluster.ts";
import { parentId, withSdk } from "../tests/otel/_sdk.ts";

const skip = skipUnless("nats-server", NATS_SERVER);

let server: NatsServer;

describe("OpenTelemetry context across nodes", { skip }, () => {
  before(async () => {
    server = await startNats();
  });
  after(async () => {
    await server?.stop();
  });

  it("carries the caller's trace to the handler on the other node", () =>
    withSdk(async (sdk) => {
      const [a, b] = ["a", "b"].map((node) =>
        new System({
          node,
          logger: null,
          tracer: openTelemetryTracer({ tracerProvider: sdk.provider }),
          cluster: { name: "otel", servers: server.url, heartbeatMs: 50, downAfterMs: 400 },
        })
      );
      await Promise.all([a.ready, b.ready]);
      await waitFor("a sees b", () => nodes(a).length === 1 ? true : undefined, { everyMs: 20 });
      let casts = 0;
      const pid = await b.start({
        init: () => ok(null),
        handleCall: (_r: "work", _f, s: null) => {
          sdk.app.startSpan("work on b").end();
          return reply("done", s);
        },
        handleCast: (_m: "note", s: null) => {
          sdk.app.startSpan("note on b").end();
          casts++;
          return noreply(s);
        },
      });
      const outer = sdk.app.startSpan("checkout on a");
      await context.with(trace.setSpan(context.active(), outer), async () => {
        assert.equal(await a.call(pid, "work"), "done");
        a.cast(pid, "note");
      });
      outer.end();
      await waitFor("the cast handled", () => casts === 1 ? true : undefined, { everyMs: 20 });
      const traceId = outer.spanContext().traceId;
      // The cast's send span, made on b, is a child of a's span (its handling
      // starts a trace of its own, linked to it: the tracer's rule for casts).
      const castSpan = sdk.spans().find((s) => s.name.startsWith("cast "));
      assert.equal(castSpan?.spanContext().traceId, traceId);
      assert.equal(parentId(castSpan!), outer.spanContext().spanId);
      for (const name of ["work on b"]) {
        const span = sdk.span(name);
        assert.equal(span.spanContext().traceId, traceId, `${name} is in a's trace`);
        // Its parent is b's handling span, itself under a's span (through b's send span).
        const chain: string[] = [];
        let current = span;
        for (;;) {
          const parent = parentId(current);
          if (parent === undefined) break;
          const next = sdk.spans().find((s) => s.spanContext().spanId === parent);
          if (next === undefined) {
            chain.push(parent);
            break;
          }
          chain.push(next.name);
          current = next;
        }
        assert.equal(chain.at(-1), "checkout on a", `${name}: ${chain.join(" <- ")}`);
      }
      await Promise.all([a.stopAll(), b.stopAll()]);
    }));
});
