//! Enforced event contracts over HTTP on both backends: a catalogue entry's
//! JSON Schema, its example kept to it, its version moving with it; with
//! `enforce`, ingest refuses a payload that breaks it (422 naming each JSON
//! pointer) and records nothing; without, it is advisory.

use crate::helpers::receiver::Receiver;
use crate::helpers::{error_fields, eventually, Server};
use hookrelay_local::Backend;
use serde_json::{json, Value};

on_both_backends!(
    an_enforced_schema_refuses_a_payload_that_breaks_it_naming_each_pointer,
    a_schema_is_checked_and_versioned_and_its_example_kept_to_it,
);

fn order_schema() -> Value {
    json!({
        "type": "object",
        "required": ["total", "currency"],
        "properties": {
            "total": {"type": "number", "exclusiveMinimum": 0},
            "currency": {"enum": ["EUR", "USD"]},
            "items": {"type": "array", "items": {"type": "object", "required": ["sku"]}}
        }
    })
}

async fn send(server: &Server, payload: Value) -> (u16, Value) {
    let event = json!({"name": "order", "type": "paid", "payload": payload});
    server.post("/v1/events", event).await
}

async fn an_enforced_schema_refuses_a_payload_that_breaks_it_naming_each_pointer(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    let hook = json!({"name": "orders", "url": receiver.url("ok"), "events": ["order.*"]});
    let hook = server.webhook_id(hook).await;
    let entry = json!({"name": "order", "type": "paid", "schema": order_schema(),
        "enforce": true, "example": {"total": 12.5, "currency": "EUR"}});
    let (status, made) = server.post("/v1/event-types", entry).await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["event_type"]["enforce"], true);

    let bad = json!({"total": -3, "currency": "GBP", "items": [{"sku": "a"}, {"qty": 1}]});
    let (status, refused) = send(&server, bad).await;
    assert_eq!(status, 422, "{refused}");
    let mut fields = error_fields(&refused);
    fields.sort();
    assert_eq!(
        fields,
        vec!["payload/currency", "payload/items/1", "payload/total"]
    );
    let (status, missing) = send(&server, json!({"total": 5})).await;
    assert_eq!(
        (status, error_fields(&missing)),
        (422, vec!["payload".to_owned()])
    );
    let path = format!("/v1/webhooks/{hook}/deliveries");
    assert_eq!(
        server.get(&path).await.1["deliveries"],
        json!([]),
        "nothing recorded"
    );

    let (status, _) = send(&server, json!({"total": 5, "currency": "USD"})).await;
    assert_eq!(status, 202);
    // In a batch, the event that breaks it is refused alone.
    let paid = |payload: Value| json!({"name": "order", "type": "paid", "payload": payload});
    let batch = json!({"events": [paid(json!({"total": 1, "currency": "EUR"})), paid(json!({"total": 0}))]});
    let (status, answer) = server.post("/v1/events/batch", batch).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["results"][0]["code"], 202);
    assert_eq!(answer["results"][1]["code"], 422);
    let mut fields = error_fields(&answer["results"][1]);
    fields.sort();
    assert_eq!(fields, vec!["events[1].payload", "events[1].payload/total"]);
    // Enforcement off: the schema is advisory again, at once in this process.
    let path = "/v1/event-types/order.paid";
    assert_eq!(server.patch(path, json!({"enforce": false})).await.0, 200);
    assert_eq!(send(&server, json!({"total": "lots"})).await.0, 202);
    // Another event type, or none in the catalogue: nothing is enforced.
    let other = json!({"name": "order", "type": "refunded", "payload": {"total": "lots"}});
    assert_eq!(server.post("/v1/events", other).await.0, 202);
    let all = eventually(20, "the four accepted events delivered", || async {
        Some(receiver.requests("ok")).filter(|got| got.len() >= 4)
    })
    .await;
    assert_eq!(all.len(), 4);
    server.stop().await;
}

async fn a_schema_is_checked_and_versioned_and_its_example_kept_to_it(backend: Backend) {
    let server = Server::start(backend).await;
    let create = |body: Value| async { server.post("/v1/event-types", body).await };
    let refused = |answer: &(u16, Value)| (answer.0, error_fields(&answer.1));
    let not_schema = json!({"name": "a", "type": "b", "schema": {"type": 5}});
    assert_eq!(
        refused(&create(not_schema).await),
        (422, vec!["schema".to_owned()])
    );
    let remote =
        json!({"name": "a", "type": "b", "schema": {"$ref": "https://example.com/s.json"}});
    assert_eq!(
        refused(&create(remote).await),
        (422, vec!["schema".to_owned()])
    );
    // Enforcing without a schema enforces nothing until one is set.
    let alone = json!({"name": "a", "type": "b", "enforce": true});
    assert_eq!(create(alone).await.0, 201);
    let breaks =
        json!({"name": "a", "type": "b", "schema": order_schema(), "example": {"total": 1}});
    assert_eq!(
        refused(&create(breaks).await),
        (422, vec!["example".to_owned()])
    );

    let plain = json!({"name": "order", "type": "paid", "description": "Paid"});
    let (_, made) = create(plain).await;
    assert_eq!(made["event_type"]["schema_version"], 0);
    assert_eq!(made["event_type"]["schema"], Value::Null);
    let path = "/v1/event-types/order.paid";
    let (_, one) = server.patch(path, json!({"schema": order_schema()})).await;
    assert_eq!(one["event_type"]["schema_version"], 1);
    assert_eq!(one["event_type"]["schema"], order_schema());
    let (_, same) = server
        .patch(path, json!({"schema": order_schema(), "description": "x"}))
        .await;
    assert_eq!(
        same["event_type"]["schema_version"], 1,
        "the same schema again"
    );
    let (_, two) = server
        .patch(path, json!({"schema": {"type": "object"}}))
        .await;
    assert_eq!(two["event_type"]["schema_version"], 2);
    let (status, kept) = server.get(path).await;
    assert_eq!(
        (status, &kept["event_type"]["schema"]),
        (200, &json!({"type": "object"}))
    );
    let breaks = server.patch(path, json!({"example": [1, 2]})).await;
    assert_eq!(refused(&breaks), (422, vec!["example".to_owned()]));
    let (_, gone) = server.patch(path, json!({"schema": null})).await;
    assert_eq!(
        (
            gone["event_type"]["schema_version"].clone(),
            gone["event_type"]["schema"].clone()
        ),
        (json!(3), Value::Null)
    );
    server.stop().await;
}
