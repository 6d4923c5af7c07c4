//! The body shapes' cost (`hookrelay::domain::transform`), rendered as the
//! sender renders them for each delivery.

use crate::median;
use hookrelay::domain::event::{Event, EventKind, JsonText};
use hookrelay::domain::ids::{AccountId, DeliveryId, EventId};
use hookrelay::domain::transform::Transform;
use hookrelay::ports::clock::{Clock, SystemClock};
use hookrelay::ports::random::OsRandom;
use serde_json::json;
use std::time::Instant;

/// A chat message from an order, as the README's example shapes one.
const TEMPLATE: &str = r#"{"text": "Order {{ payload.id }} paid: {{ payload.total }} {{ payload.currency }}",
 "skus": {{ payload.items | map(attribute="sku") | list }},
 "customer": {{ payload.customer }}, "big": {% if payload.total > 100 %}true{% else %}false{% endif %}}"#;

fn order() -> Event {
    let now = SystemClock.now();
    let items: Vec<_> = (0..10)
        .map(|i| json!({"sku": format!("sku-{i}"), "qty": i, "price": 9.99}))
        .collect();
    let payload = json!({"id": "A-1", "total": 150.5, "currency": "EUR", "items": items,
        "customer": {"id": "c-1", "name": "Ada", "tier": "gold", "address": {"country": "FR"}}});
    Event::new(
        EventId::generate(now, &OsRandom),
        AccountId::generate(now, &OsRandom),
        EventKind::parse_dotted("order.paid").unwrap_or_else(|| unreachable!("a valid kind")),
        JsonText::from_value(&payload),
        JsonText::from_value(&json!({"region": "eu-west-1"})),
        now,
        60,
    )
}

/// Each shape's median µs per body over `rounds` runs of `bodies` bodies.
pub(crate) fn measure(rounds: usize, bodies: usize) -> Vec<(&'static str, f64)> {
    let event = order();
    let delivery = DeliveryId::derive(event.id, None);
    let template = Transform::parse(&json!({ "template": TEMPLATE }))
        .unwrap_or_else(|e| panic!("the bench's template: {e}"));
    let shapes = [
        ("default", Transform::Default),
        ("settings", Transform::Settings),
        ("template", template),
    ];
    let mut runs: Vec<Vec<f64>> = vec![Vec::new(); shapes.len()];
    for _ in 0..rounds {
        for (i, (_, shape)) in shapes.iter().enumerate() {
            let started = Instant::now();
            for _ in 0..bodies {
                std::hint::black_box(shape.render(&event, delivery).ok());
            }
            runs[i].push(started.elapsed().as_secs_f64() * 1e6 / bodies as f64);
        }
    }
    shapes
        .iter()
        .zip(runs)
        .map(|((name, _), run)| (*name, median(run)))
        .collect()
}
