// A consumer of the ./jetstream entry, type-checked by e2e/package_test.ts
// on its own (see tsconfig.json beside it): @nats-io/nats-core 3.4's own
// declarations do not compile under exactOptionalPropertyTypes without
// skipLibCheck, so this check turns that one option off; the package's
// .d.ts files are still checked (skipLibCheck stays off).
import type { System } from "@beamlet/beamlet";
import { Pipeline } from "@beamlet/beamlet/pipeline";
import {
  type JetStreamMetadata,
  jetStreamMetadataOf,
  JetStreamProducer,
  StreamNotFoundError,
} from "@beamlet/beamlet/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";

export async function orders(system: System, nc: NatsConnection): Promise<number> {
  const source = new JetStreamProducer({ connection: nc, stream: "ORDERS", consumer: "workers" });
  let sequences = 0;
  const pipeline = await Pipeline.start(system, {
    name: "orders",
    producer: { stage: source.stage() },
    processors: { default: { concurrency: 4 } },
    handleMessage: (_processor, message) => {
      const meta: JetStreamMetadata = jetStreamMetadataOf(message);
      sequences += meta.streamSequence;
      const text: string = new TextDecoder().decode(message.data);
      return text.length > 0 ? message : message;
    },
  });
  await pipeline.stop();
  const missing: boolean = new StreamNotFoundError("ORDERS", "workers") instanceof Error;
  return sequences + Number(missing);
}
