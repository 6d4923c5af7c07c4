// The TypeScript SDK end to end, against a local runner (scripts/sdks.sh
// test starts one and sets HOOKRELAY_URL and HOOKRELAY_API_KEY): what a
// producer does with it, and a receiver on loopback that verifies each
// delivery with the re-exported Standard Webhooks library.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { createHookrelayClient, verify, WebhookVerificationError } from "../src/index.js";

const baseUrl = process.env.HOOKRELAY_URL ?? "";
const apiKey = process.env.HOOKRELAY_API_KEY ?? "";
const client = createHookrelayClient({ baseUrl, apiKey });

// The events this run sends: a name of its own, so that other webhooks of
// the runner's account (another run's) are not subscribed to them.
const name = `ts_order_${process.pid}_${Date.now()}`;

/** @type {{ headers: import("node:http").IncomingHttpHeaders, body: string }[]} */
const received = [];
const receiver = createServer((request, response) => {
  let body = "";
  request.setEncoding("utf8");
  request.on("data", (chunk) => (body += chunk));
  request.on("end", () => {
    received.push({ headers: request.headers, body });
    response.end("ok");
  });
});
let receiverUrl = "";
/** The webhook every test sends to, and its signing secret. */
let webhook = { id: "", secret: "" };

/**
 * Polls `find` until it answers something, for at most 15 s.
 * @template T
 * @param {() => Promise<T | undefined> | T | undefined} find
 * @param {string} what
 * @returns {Promise<T>}
 */
async function eventually(find, what) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** @param {string} deliveryId */
function arrival(deliveryId) {
  return eventually(() => received.find((r) => r.headers["webhook-id"] === deliveryId), `delivery ${deliveryId}`);
}

before(async () => {
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = receiver.address();
  assert.ok(address && typeof address === "object");
  receiverUrl = `http://127.0.0.1:${address.port}/hooks`;
  const { data, error, response } = await client.POST("/v1/webhooks", {
    body: { name: "TypeScript SDK", url: receiverUrl, events: [`${name}.*`] },
  });
  assert.equal(response.status, 201, JSON.stringify(error));
  assert.ok(data);
  webhook = { id: data.webhook.id, secret: data.webhook.secret };
  assert.match(webhook.secret, /^whsec_/);
});

after(() => {
  receiver.closeAllConnections();
  receiver.close();
});

test("an event is delivered, and the receiver verifies its signature", async () => {
  const { data, response } = await client.POST("/v1/events", {
    body: { name, type: "paid", payload: { order_id: "A-1", total: 12.5 } },
  });
  assert.equal(response.status, 202);
  assert.equal(data?.deliveries?.length, 1);
  const [deliveryId] = data?.deliveries ?? [];
  const { headers, body } = await arrival(deliveryId);
  const verified = /** @type {any} */ (verify(webhook.secret, body, headers));
  assert.equal(verified.event.name, name);
  assert.deepEqual(verified.payload, { order_id: "A-1", total: 12.5 });
  const tampered = body.replace("12.5", "1250");
  assert.throws(() => verify(webhook.secret, tampered, headers), WebhookVerificationError);
});

test("an event sent again with its Idempotency-Key answers the first event", async () => {
  const send = () =>
    client.POST("/v1/events", {
      body: { name, type: "noted", payload: { note: 1 } },
      params: { header: { "Idempotency-Key": `${name}-noted` } },
    });
  const first = await send();
  const again = await send();
  assert.equal(first.response.status, 202);
  assert.equal(again.data?.id, first.data?.id);
  await arrival(first.data?.deliveries?.[0] ?? "");
});

test("a batch answers each event in order, a bad one with its fields named", async () => {
  const { data, response } = await client.POST("/v1/events/batch", {
    body: {
      events: [
        { name, type: "shipped", payload: { order_id: "A-1" } },
        { name, type: "not valid!", payload: {} },
        { name, type: "refunded", payload: { order_id: "A-1" }, idempotency_key: `${name}-refund` },
      ],
    },
  });
  assert.equal(response.status, 200);
  const results = data?.results ?? [];
  assert.deepEqual(results.map((r) => r.code), [202, 422, 202]);
  assert.deepEqual(results[1].errors?.map((e) => e.field), ["events[1].type"]);
  for (const result of [results[0], results[2]]) {
    await arrival(result.deliveries?.[0] ?? "");
  }
});

test("the delivery log pages with its cursor", async () => {
  const seen = [];
  /** @type {string | undefined} */
  let cursor;
  do {
    const { data, response } = await client.GET("/v1/webhooks/{id}/deliveries", {
      params: { path: { id: webhook.id }, query: { limit: 1, cursor } },
    });
    assert.equal(response.status, 200);
    seen.push(...(data?.deliveries ?? []).map((d) => d.event.type));
    cursor = data?.next_cursor ?? undefined;
  } while (cursor);
  assert.deepEqual(seen.sort(), ["noted", "paid", "refunded", "shipped"]);
});

test("a delivered delivery is retried as a new attempt with the same webhook-id", async () => {
  const { data } = await client.GET("/v1/deliveries", {
    params: { query: { webhook_id: webhook.id, event: `${name}.paid` } },
  });
  const deliveryId = data?.deliveries[0]?.id ?? "";
  const delivered = await eventually(async () => {
    const { data } = await client.GET("/v1/deliveries/{id}", { params: { path: { id: deliveryId } } });
    return data?.delivery.status === "delivered" ? data.delivery : undefined;
  }, "the delivery to be delivered");
  const before = received.filter((r) => r.headers["webhook-id"] === deliveryId).length;
  const retried = await client.POST("/v1/deliveries/{id}/retry", { params: { path: { id: deliveryId } } });
  assert.equal(retried.response.status, 200);
  assert.equal(retried.data?.delivery.id, deliveryId);
  await eventually(() => {
    const copies = received.filter((r) => r.headers["webhook-id"] === deliveryId);
    return copies.length > before ? copies : undefined;
  }, "the retried delivery");
  await eventually(async () => {
    const { data } = await client.GET("/v1/deliveries/{id}", { params: { path: { id: deliveryId } } });
    return (data?.delivery.attempts ?? 0) > delivered.attempts ? data : undefined;
  }, "the new attempt in the log");
});

test("a 422 names each invalid field", async () => {
  const { error, response } = await client.POST("/v1/webhooks", {
    body: { name: "", url: "ftp://example.com", events: ["order"] },
  });
  assert.equal(response.status, 422);
  assert.deepEqual(error?.errors.map((e) => e.field).sort(), ["events", "name", "url"]);
});
