//! Body shapes over HTTP on both backends: each webhook's `transform`
//! (default, settings, a template) shapes what it is sent, signed over the
//! body as sent (verified by Python's `standardwebhooks`), and the log
//! shows that body; a template that does not render JSON for the
//! catalogue's example is refused naming its line; the preview route
//! renders the catalogue's example; an event a template cannot shape fails
//! its delivery with `transform_failed`, sending nothing.

use crate::helpers::receiver::{verify_with_standardwebhooks, Receiver};
use crate::helpers::{error_fields, eventually, Server};
use hookrelay_local::Backend;
use serde_json::{json, Value};

on_both_backends!(
    each_shape_is_sent_signed_over_the_body_and_logged_as_sent,
    a_template_that_does_not_render_json_for_the_example_is_refused_with_its_line,
    with_no_example_only_the_text_counts_and_a_patch_is_tried_too,
    the_preview_renders_the_catalogue_example_or_names_the_line,
    an_event_the_template_cannot_shape_fails_its_delivery_and_sends_nothing,
);

const SECRETS: [&str; 3] = [
    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "whsec_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
];

/// A Slack-like message from an order: a value in text, values as JSON.
const SLACK: &str = r#"{"text": "Order {{ payload.id }} paid: {{ payload.total }} {{ payload.currency }}",
 "blocks": [{% for item in payload.items %}{"type": "section", "sku": {{ item.sku }}}{% if not loop.last %},{% endif %}{% endfor %}],
 "trace": {{ event.traceId }}, "region": {{ context.region | upper }}}"#;

async fn catalogue_order_paid(server: &Server) {
    let entry = json!({"name": "order", "type": "paid",
        "example": {"id": "ex-1", "total": 1, "currency": "EUR", "items": [{"sku": "a"}]}});
    let (status, made) = server.post("/v1/event-types", entry).await;
    assert_eq!(status, 201, "{made}");
}

async fn each_shape_is_sent_signed_over_the_body_and_logged_as_sent(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    catalogue_order_paid(&server).await;
    let shapes = [
        json!("default"),
        json!("settings"),
        json!({ "template": SLACK }),
    ];
    let mut hooks = Vec::new();
    for (i, transform) in shapes.iter().enumerate() {
        let hook = json!({"name": format!("shape {i}"), "url": receiver.url("ok"),
            "events": ["order.paid"], "secret": SECRETS[i], "transform": transform});
        let made = server.create_webhook(hook).await;
        assert_eq!(made["transform"], *transform, "{made}");
        hooks.push(made["id"].clone());
    }
    let payload = json!({"id": "A\"7", "total": 150.5, "currency": "EUR",
        "items": [{"sku": "x-1"}, {"sku": "y-2"}]});
    let event = json!({"name": "order", "type": "paid", "payload": payload,
        "context": {"region": "eu-west-1"}});
    assert_eq!(server.send_event(event).await.len(), 3);
    let requests = eventually(30, "the three deliveries to arrive", || async {
        let got = receiver.requests("ok");
        (got.len() == 3).then_some(got)
    })
    .await;
    for request in &requests {
        let id = &request.headers["webhook-id"];
        let logged = server.settled_view(id).await;
        assert_eq!(logged["status"], "delivered");
        let shape = hooks
            .iter()
            .position(|h| *h == logged["webhook_id"])
            .unwrap();
        verify_with_standardwebhooks(SECRETS[shape], request);
        let sent: Value = serde_json::from_str(&request.body).unwrap();
        assert_eq!(logged["payload"], sent, "the log shows the body as sent");
        check_shape(shape, &sent, &payload, id);
    }
}

fn check_shape(shape: usize, sent: &Value, payload: &Value, delivery: &str) {
    match shape {
        0 => {
            assert_eq!(sent["payload"], *payload);
            assert_eq!(sent["event"]["traceId"], delivery);
        }
        1 => {
            let fields: Vec<&String> = sent.as_object().unwrap().keys().collect();
            assert_eq!(
                fields,
                ["event_time", "event_type", "current_context", "data"]
            );
            assert_eq!(sent["event_type"], "order.paid");
            assert_eq!(sent["data"], *payload);
            assert_eq!(sent["current_context"], json!({"region": "eu-west-1"}));
        }
        _ => assert_eq!(
            *sent,
            json!({"text": "Order A\"7 paid: 150.5 EUR",
                "blocks": [{"type": "section", "sku": "x-1"}, {"type": "section", "sku": "y-2"}],
                "trace": delivery, "region": "EU-WEST-1"})
        ),
    }
}

async fn a_template_that_does_not_render_json_for_the_example_is_refused_with_its_line(
    backend: Backend,
) {
    let server = Server::start(backend).await;
    catalogue_order_paid(&server).await;
    let hook = |template: &str| {
        json!({"name": "t", "url": "https://hooks.example.com/in", "events": ["order.*"],
            "transform": {"template": template}})
    };
    let cases = [
        // Not JSON once rendered: a trailing comma on line 3.
        ("{\n\"total\": {{ payload.total }},\n}", "line 3"),
        // A syntax error on line 2.
        ("{\"a\": 1,\n\"b\": {{ payload.total }\n}", "line 2"),
        // An unknown filter on line 2, found rendering the example.
        ("{\"a\":\n {{ payload.total | nosuch }}}", "line 2"),
    ];
    for (template, line) in cases {
        let (status, refused) = server.post("/v1/webhooks", hook(template)).await;
        assert_eq!(status, 422, "{template}: {refused}");
        assert_eq!(error_fields(&refused), ["transform"]);
        let message = refused["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(line), "{template}: {message}");
    }
    for bad in [
        json!("fancy"),
        json!({"template": 1}),
        json!({"template": "x".repeat(8193)}),
    ] {
        let body = json!({"name": "t", "url": "https://hooks.example.com/in",
            "events": ["order.paid"], "transform": bad});
        refused_on_transform(&server, body).await;
    }
}

/// The transform a create is refused for, as its one field error.
async fn refused_on_transform(server: &Server, body: Value) {
    let (status, refused) = server.post("/v1/webhooks", body).await;
    assert_eq!(
        (status, error_fields(&refused)),
        (422, vec!["transform".to_owned()])
    );
}

async fn with_no_example_only_the_text_counts_and_a_patch_is_tried_too(backend: Backend) {
    let server = Server::start(backend).await;
    catalogue_order_paid(&server).await;
    // With no example in the catalogue, only the template's own text can fail.
    let uncatalogued = |template: &str| {
        json!({"name": "u", "url": "https://hooks.example.com/in", "events": ["user.created"],
            "transform": {"template": template}})
    };
    refused_on_transform(&server, uncatalogued("not json {{ payload }}")).await;
    let (status, made) = server
        .post(
            "/v1/webhooks",
            uncatalogued("{\"half\": {{ payload.n / 2 }}}"),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    let hook = json!({"name": "t", "url": "https://hooks.example.com/in", "events": ["order.*"],
        "transform": {"template": "{\"n\": {{ payload.total }}}"}});
    let made = server.create_webhook(hook).await;
    let path = format!("/v1/webhooks/{}", made["id"].as_str().unwrap());
    // A PATCH is tried on the examples of the events the webhook has.
    let broken = json!({"transform": {"template": "{\"n\": {{ payload.total }},}"}});
    let (status, refused) = server.patch(&path, broken).await;
    assert_eq!(
        (status, error_fields(&refused)),
        (422, vec!["transform".to_owned()])
    );
    let (status, patched) = server.patch(&path, json!({"transform": "settings"})).await;
    assert_eq!(
        (status, &patched["webhook"]["transform"]),
        (200, &json!("settings"))
    );
    let (_, back) = server.patch(&path, json!({"transform": null})).await;
    assert_eq!(back["webhook"]["transform"], "default");
}

async fn the_preview_renders_the_catalogue_example_or_names_the_line(backend: Backend) {
    let server = Server::start(backend).await;
    catalogue_order_paid(&server).await;
    let template = json!({"template": "{\"text\": \"Order {{ payload.id }}\", \"n\": {{ payload.items | length }}}"});
    let preview = |body: Value| async { server.post("/v1/transforms/preview", body).await };
    let (status, shown) = preview(json!({"transform": template, "event": "order.paid"})).await;
    assert_eq!(status, 200, "{shown}");
    assert_eq!(shown["body"], json!({"text": "Order ex-1", "n": 1}));
    let given = json!({"transform": template, "event": {"name": "order", "type": "paid"},
        "payload": {"id": 9, "items": []}});
    assert_eq!(
        preview(given).await.1["body"],
        json!({"text": "Order 9", "n": 0})
    );
    let settings = json!({"transform": "settings", "event": "user.created",
        "payload": {"a": 1}, "context": {"c": 2}});
    let (_, shown) = preview(settings).await;
    assert_eq!(shown["body"]["data"], json!({"a": 1}));
    assert_eq!(shown["body"]["current_context"], json!({"c": 2}));
    let broken =
        json!({"transform": {"template": "{\n\"a\": {{ payload.id }},\n}"}, "event": "order.paid"});
    let (status, refused) = preview(broken).await;
    assert_eq!(
        (status, error_fields(&refused)),
        (422, vec!["transform".to_owned()])
    );
    let message = refused["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("line 3"), "{message}");
    let (status, refused) = preview(json!({"event": "order.paid"})).await;
    assert_eq!(
        (status, error_fields(&refused)),
        (422, vec!["transform".to_owned()])
    );
}

async fn an_event_the_template_cannot_shape_fails_its_delivery_and_sends_nothing(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    catalogue_order_paid(&server).await;
    // Fine for the example (a number); a string total cannot be divided.
    let template = json!({"template": "{\"half\": {{ payload.total / 2 }}}"});
    let hook = json!({"name": "halves", "url": receiver.url("ok"), "events": ["order.paid"],
        "transform": template});
    server.create_webhook(hook).await;
    let shaped = json!({"name": "order", "type": "paid", "payload": {"total": 3}});
    let fine = server.send_event(shaped).await;
    assert_eq!(
        server.settled_view(&fine[0]).await["payload"],
        json!({"half": 1.5})
    );
    let unshapeable = json!({"name": "order", "type": "paid", "payload": {"total": "lots"}});
    let failed = server.send_event(unshapeable).await;
    let view = server.settled_view(&failed[0]).await;
    assert_eq!(
        (&view["status"], &view["failure_reason"], &view["attempts"]),
        (&json!("failed"), &json!("transform_failed"), &json!(0))
    );
    assert_eq!(
        receiver.delivery_ids("ok").len(),
        1,
        "only the shaped one was sent"
    );
}
