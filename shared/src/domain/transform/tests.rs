use super::*;
use crate::domain::event::EventKind;
use crate::domain::ids::{AccountId, EventId};
use crate::domain::time::Timestamp;
use crate::ports::random::OsRandom;

fn event(payload: Value) -> Event {
    let at = Timestamp::parse("2026-12-04T10:00:00.000Z").unwrap();
    Event::new(
        EventId::generate(at, &OsRandom),
        AccountId::generate(at, &OsRandom),
        EventKind::parse_dotted("order.paid").unwrap(),
        JsonText::from_value(&payload),
        JsonText::from_value(&json!({"tenant": "t1"})),
        at,
        60,
    )
}

fn template(source: &str) -> Transform {
    Transform::parse(&json!({ "template": source })).unwrap()
}

fn render(transform: &Transform, payload: Value) -> Result<Value, TransformError> {
    let e = event(payload);
    let body = transform.render(&e, DeliveryId::derive(e.id, None))?;
    Ok(serde_json::from_slice(&body).unwrap())
}

#[test]
fn settings_is_the_product_documents_body() {
    let body = render(&Transform::Settings, json!({"total": 12})).unwrap();
    assert_eq!(
        body,
        json!({"event_time": "2026-12-04T10:00:00.000Z", "event_type": "order.paid",
               "current_context": {"tenant": "t1"}, "data": {"total": 12}})
    );
}

#[test]
fn a_value_is_written_as_json_for_where_it_stands() {
    let t = template(
        r#"{"text": "Order {{ payload.id }} paid: {{ payload.total }} {{ payload.tags }}",
            "total": {{ payload.total }}, "id": {{ payload.id }}, "tags": {{ payload.tags }},
            "missing": {{ payload.nope.deeper }}, "in_text": "[{{ payload.nope }}]",
            "event": {{ event.name }}, "tenant": {{ context.tenant | upper }}}"#,
    );
    let body = render(
        &t,
        json!({"id": "A\"1\n", "total": 12.5, "tags": ["x", "y"]}),
    )
    .unwrap();
    assert_eq!(
        body,
        json!({"text": "Order A\"1\n paid: 12.5 [\"x\",\"y\"]", "total": 12.5, "id": "A\"1\n",
               "tags": ["x", "y"], "missing": null, "in_text": "[]", "event": "order",
               "tenant": "T1"})
    );
}

#[test]
fn a_payload_cannot_break_out_of_its_place() {
    let t = template(r#"{"text": "{{ payload.note }}", "v": {{ payload.note }}}"#);
    let sneaky = "\", \"admin\": true, \"x\": \"\u{E001}\u{E000}";
    let body = render(&t, json!({ "note": sneaky })).unwrap();
    assert_eq!(body, json!({"text": sneaky, "v": sneaky}));
}

#[test]
fn loops_conditions_and_filters_work() {
    let t = template(
        r#"{"lines": [{% for item in payload.items %}{{ item.name | title }}{% if not loop.last %}, {% endif %}{% endfor %}],
            "big": {% if payload.total > 100 %}true{% else %}false{% endif %},
            "count": {{ payload.items | length }}, "joined": "{{ payload.items | map(attribute='name') | join(', ') }}",
            "raw": {{ payload.items | tojson }}}"#,
    );
    let body = render(
        &t,
        json!({"total": 150, "items": [{"name": "ab"}, {"name": "cd"}]}),
    )
    .unwrap();
    assert_eq!(
        body,
        json!({"lines": ["Ab", "Cd"], "big": true, "count": 2, "joined": "ab, cd",
               "raw": [{"name": "ab"}, {"name": "cd"}]})
    );
}

#[test]
fn mistakes_are_named_with_their_line() {
    let syntax = Transform::parse(&json!({"template": "{\n\"a\": {{ payload.x }\n}"})).unwrap_err();
    assert_eq!(syntax.line, Some(2), "{syntax}");
    let not_json = template("{\n\"a\": {{ payload.x }},\n}");
    let error = render(&not_json, json!({"x": 1})).unwrap_err();
    assert_eq!(error.line, Some(3), "{error}");
    let shown = error.to_string();
    assert!(
        shown.starts_with("line 3: the rendered body is not JSON"),
        "{shown}"
    );
    let unknown = template("{\"a\":\n {{ payload.x | nosuch }}}");
    let error = render(&unknown, json!({"x": 1})).unwrap_err();
    assert_eq!(error.line, Some(2), "{error}");
    assert!(error.to_string().starts_with("line 2: "), "{error}");
}

#[test]
fn a_template_that_grows_without_bound_runs_out_of_fuel() {
    let doubling = format!(
        "{{% set s = payload.s %}}{}{{{{ s | length }}}}",
        "{% set s = s ~ s %}".repeat(60)
    );
    let error = render(&template(&doubling), json!({"s": "x".repeat(1000)})).unwrap_err();
    assert!(error.message.contains("too much work"), "{error}");
    let spin = template(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}1",
    );
    assert!(render(&spin, json!({}))
        .unwrap_err()
        .message
        .contains("too much work"));
    let huge = template(r#"{"a": {{ "x" * 100000000 }}}"#);
    assert!(render(&huge, json!({})).is_err());
}

#[test]
fn a_compiled_template_gets_its_fuel_afresh_for_each_render() {
    // Each render alone spends well over half the fuel: a budget shared
    // between renders of one compiled template would stop the second.
    let heavy = template(r#"{"n": {% for i in range(70000) %}{% endfor %}1}"#);
    for _ in 0..3 {
        assert_eq!(render(&heavy, json!({})).unwrap(), json!({"n": 1}));
    }
}

#[test]
fn bounds_and_bad_shapes_are_refused() {
    let long = "x".repeat(MAX_TEMPLATE_BYTES + 1);
    assert!(Transform::parse(&json!({ "template": long })).is_err());
    for bad in [
        json!("fancy"),
        json!({"template": 1}),
        json!({"template": "{}", "x": 1}),
        json!(null),
    ] {
        assert!(Transform::parse(&bad).is_err(), "{bad}");
    }
    let reserved = Transform::parse(&json!({"template": "{\"a\": \"\u{E000}\"}"})).unwrap_err();
    assert_eq!(reserved.line, Some(1));
}

#[test]
fn stored_as_its_request_form() {
    for value in [
        json!("default"),
        json!("settings"),
        json!({"template": "{\"a\": {{ payload }}}"}),
    ] {
        let parsed = Transform::parse(&value).unwrap();
        assert_eq!(Value::from(parsed.clone()), value);
        let stored = serde_json::to_value(&parsed).unwrap();
        assert_eq!(serde_json::from_value::<Transform>(stored).unwrap(), parsed);
    }
}
