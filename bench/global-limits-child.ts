// One "worker process" of the global-limits benchmark: as many callers as the limit, all through the endpoint
// limits shared in PostgreSQL, calling the fake server until told to stop; prints its call count and RSS.
import { randomBytes } from "node:crypto";
import { closeDb, getPool, setDatabaseUrl } from "@/lib/db/client";
import { createPgLimitsBackend, listenForLimits } from "@/lib/db/endpoint-limits";
import { createSharedLimits } from "@/lib/llm/shared-limiter";
import { fakeEndpoint } from "@/test/fake-llm/endpoint";

const [databaseUrl, serverUrl, limitText, secondsText] = process.argv.slice(2);
setDatabaseUrl(databaseUrl!);
const limit = Number(limitText);
const endpoint = { ...fakeEndpoint(serverUrl!, { maxConcurrency: limit }), model: "fake-bench-global" };
const limits = createSharedLimits({
  backend: createPgLimitsBackend(getPool()),
  holder: `bench-${process.pid}-${randomBytes(3).toString("hex")}`,
});
const listener = listenForLimits(databaseUrl!, limits.onMessage, () => undefined);
const limiter = limits.limiterFor(endpoint);
const until = Date.now() + Number(secondsText) * 1000;
let calls = 0;
await Promise.all(
  Array.from({ length: limit }, async (_, index) => {
    while (Date.now() < until) {
      await limiter.run(async () => {
        const response = await fetch(`${serverUrl}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            model: endpoint.model,
            messages: [{ role: "user", content: `call ${index}` }],
          }),
        });
        await response.text();
      }, 10);
      calls += 1;
    }
  }),
);
console.log(JSON.stringify({ calls, rssMb: process.memoryUsage().rss / 2 ** 20 }));
await limits.close();
await listener.close();
await closeDb();
