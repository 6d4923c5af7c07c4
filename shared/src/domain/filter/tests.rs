use super::*;
use serde_json::json;

fn filter(pattern: Value) -> Filter {
    Filter::parse(&pattern).unwrap_or_else(|e| panic!("{pattern}: {e:?}"))
}

/// The subject of an `order.paid` event with `payload`.
fn order(payload: Value) -> Value {
    let kind = EventKind::parse_dotted("order.paid").unwrap();
    subject(&kind, payload, json!({"region": "eu-west-1"}))
}

/// Whether `pattern` over `payload` matches each `(field value, expected)`.
fn check(leaf: Value, cases: &[(Value, bool)]) {
    let filter = filter(json!({"payload": {"x": leaf}}));
    for (value, expected) in cases {
        let matched = filter.matches(&order(json!({"x": value})));
        assert_eq!(matched, *expected, "{leaf} against {value}");
    }
}

/// The errors of `pattern`, as the API names them.
fn errors(pattern: Value) -> Vec<String> {
    let errors = Filter::parse(&pattern).expect_err("refused");
    errors.iter().map(|e| e.field("filter")).collect()
}

#[test]
fn exact_values_match_equal_scalars_and_arrays_holding_them() {
    check(
        json!(["paid", 5, true, null]),
        &[
            (json!("paid"), true),
            (json!("Paid"), false),
            (json!(5), true),
            (json!(5.0), true),
            (json!("5"), false),
            (json!(true), true),
            (json!(false), false),
            (json!(null), true),
            (json!(["late", "paid"]), true),
            (json!(["late"]), false),
            (json!({"paid": 1}), false),
        ],
    );
    let f = filter(json!({"payload": {"x": [null]}}));
    assert!(!f.matches(&order(json!({}))), "null is not absent");
}

#[test]
fn prefix_and_suffix_match_strings_with_or_without_case() {
    check(
        json!([{"prefix": "eu-"}]),
        &[
            (json!("eu-west"), true),
            (json!("EU-west"), false),
            (json!("us-east"), false),
            (json!(12), false),
        ],
    );
    check(
        json!([{"prefix": {"equals-ignore-case": "EU-"}}]),
        &[
            (json!("eu-west"), true),
            (json!("Eu-West"), true),
            (json!("us"), false),
        ],
    );
    check(
        json!([{"suffix": ".png"}]),
        &[
            (json!("a.png"), true),
            (json!("a.PNG"), false),
            (json!("a.jpg"), false),
        ],
    );
    check(
        json!([{"suffix": {"equals-ignore-case": ".PNG"}}]),
        &[
            (json!("a.png"), true),
            (json!("a.Png"), true),
            (json!("a.jpg"), false),
        ],
    );
    check(
        json!([{"equals-ignore-case": "Gold"}]),
        &[
            (json!("GOLD"), true),
            (json!("gold"), true),
            (json!("golden"), false),
        ],
    );
}

#[test]
fn anything_but_refuses_its_values_and_needs_the_field() {
    check(
        json!([{"anything-but": "test"}]),
        &[
            (json!("live"), true),
            (json!("test"), false),
            (json!(3), true),
        ],
    );
    check(
        json!([{"anything-but": [1, 2]}]),
        &[(json!(3), true), (json!(2.0), false), (json!([1, 3]), true)],
    );
    check(
        json!([{"anything-but": ["a", "b"]}]),
        &[
            (json!("c"), true),
            (json!("a"), false),
            (json!(["a", "b"]), false),
        ],
    );
    check(
        json!([{"anything-but": {"prefix": "test-"}}]),
        &[
            (json!("live-1"), true),
            (json!("test-1"), false),
            (json!(7), false),
        ],
    );
    check(
        json!([{"anything-but": {"suffix": ".tmp"}}]),
        &[(json!("a.txt"), true), (json!("a.tmp"), false)],
    );
    check(
        json!([{"anything-but": {"equals-ignore-case": ["Draft", "TEST"]}}]),
        &[
            (json!("live"), true),
            (json!("DRAFT"), false),
            (json!("test"), false),
        ],
    );
    let f = filter(json!({"payload": {"x": [{"anything-but": "test"}]}}));
    assert!(
        !f.matches(&order(json!({}))),
        "an absent field is not anything"
    );
    assert!(
        !f.matches(&order(json!({"x": {"a": 1}}))),
        "nor is an object"
    );
}

#[test]
fn numeric_compares_numbers_with_each_operator_and_ranges() {
    let cases = |low, high| {
        [
            (json!(low), false),
            (json!(high), true),
            (json!("7"), false),
        ]
    };
    check(json!([{"numeric": ["=", 7]}]), &cases(6.5, 7.0));
    check(json!([{"numeric": [">", 0]}]), &cases(0.0, 1.0));
    check(json!([{"numeric": [">=", 1]}]), &cases(0.99, 1.0));
    check(json!([{"numeric": ["<", 0]}]), &cases(0.0, -1.0));
    check(json!([{"numeric": ["<=", 5]}]), &cases(5.01, 5.0));
    check(
        json!([{"numeric": [">", 0, "<=", 5]}]),
        &[
            (json!(0), false),
            (json!(0.001), true),
            (json!(5), true),
            (json!(5.5), false),
            (json!([9, 3]), true),
        ],
    );
    check(
        json!([{"numeric": [">=", 10, "<", 20]}]),
        &[(json!(10), true), (json!(20), false), (json!(-15), false)],
    );
}

#[test]
fn exists_is_about_presence_whatever_the_value() {
    check(
        json!([{"exists": true}]),
        &[
            (json!(null), true),
            (json!({"a": 1}), true),
            (json!([]), true),
        ],
    );
    let present = filter(json!({"payload": {"coupon": [{"exists": true}]}}));
    let absent = filter(json!({"payload": {"coupon": [{"exists": false}]}}));
    let with = order(json!({"coupon": "X"}));
    let without = order(json!({"total": 1}));
    assert!(present.matches(&with) && !present.matches(&without));
    assert!(absent.matches(&without) && !absent.matches(&with));
    // No payload object at all: the field is absent too.
    assert!(absent.matches(&order(json!("text"))));
}

#[test]
fn every_field_must_match_and_any_value_of_a_list_may() {
    let f = filter(json!({
        "event": {"name": ["order"], "type": ["paid", "refunded"]},
        "payload": {"total": [{"numeric": [">", 100]}], "currency": ["EUR", "USD"]},
        "context": {"region": [{"prefix": "eu-"}]},
    }));
    assert!(f.matches(&order(json!({"total": 150, "currency": "USD"}))));
    assert!(!f.matches(&order(json!({"total": 50, "currency": "USD"}))));
    assert!(!f.matches(&order(json!({"total": 150, "currency": "GBP"}))));
    let kind = EventKind::parse_dotted("order.created").unwrap();
    let created = subject(&kind, json!({"total": 150, "currency": "USD"}), json!({}));
    assert!(!f.matches(&created));
}

#[test]
fn nested_objects_recurse_and_arrays_of_objects_match_by_element() {
    let f = filter(json!({"payload": {"customer": {"address": {"country": ["FR"]}}}}));
    let france = json!({"customer": {"address": {"country": "FR"}}});
    assert!(f.matches(&order(france)));
    assert!(!f.matches(&order(json!({"customer": {"address": {"country": "DE"}}}))));
    assert!(!f.matches(&order(json!({"customer": "FR"}))));
    let items =
        filter(json!({"payload": {"items": {"sku": ["A"], "qty": [{"numeric": [">", 1]}]}}}));
    let one_item_both = json!({"items": [{"sku": "B", "qty": 5}, {"sku": "A", "qty": 2}]});
    let split_across = json!({"items": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 5}]});
    assert!(items.matches(&order(one_item_both)));
    assert!(
        !items.matches(&order(split_across)),
        "one element must match it all"
    );
}

#[test]
fn a_pattern_is_bounded_in_size_and_depth() {
    let deep = json!({"payload": {"a": {"b": {"c": {"d": {"e": ["x"]}}}}}});
    assert!(Filter::parse(&deep).is_ok());
    let deeper = json!({"payload": {"a": {"b": {"c": {"d": {"e": {"f": ["x"]}}}}}}});
    assert_eq!(errors(deeper), ["filter.payload.a.b.c.d.e"]);
    let values: Vec<String> = (0..200).map(|i| format!("value-{i}")).collect();
    let big = json!({"payload": {"x": values}});
    assert!(big.to_string().len() > MAX_BYTES);
    let refused = Filter::parse(&big).unwrap_err();
    assert_eq!(refused[0].field("filter"), "filter");
    assert!(refused[0].message.contains("2048 bytes"), "{refused:?}");
}

#[test]
fn each_mistake_is_named_by_its_path_into_the_pattern() {
    let pattern = json!({
        "payload": {
            "total": [{"numeric": [">", "ten"]}],
            "tags": [],
            "name": "exact",
            "kind": [{"prefix": "a", "suffix": "b"}],
            "sku": [{"contains": "x"}],
            "ok": ["fine", ["nested"]],
            "$or": [],
        },
        "event": {"source": ["x"], "name": [{"anything-but": [1, "a"]}]},
        "context": {},
        "id": ["x"],
    });
    let mut named = errors(pattern);
    named.sort();
    assert_eq!(
        named,
        [
            "filter.context",
            "filter.event.name.0.anything-but",
            "filter.event.source",
            "filter.id",
            "filter.payload.$or",
            "filter.payload.kind.0",
            "filter.payload.name",
            "filter.payload.ok.1",
            "filter.payload.sku.0.contains",
            "filter.payload.tags",
            "filter.payload.total.0.numeric",
        ]
    );
    for bad in [json!([]), json!("x"), json!({})] {
        assert_eq!(errors(bad), ["filter"]);
    }
    for bad in [
        json!({"exists": "yes"}),
        json!({"numeric": ["<", 1, ">", 0]}),
        json!({"numeric": ["!=", 1]}),
        json!({"numeric": [">", 1, "<"]}),
        json!({"prefix": 1}),
        json!({"prefix": {"equals-ignore-case": 1}}),
        json!({"anything-but": []}),
        json!({"anything-but": true}),
        json!({"anything-but": {"prefix": 1}}),
        json!({"equals-ignore-case": ["a"]}),
    ] {
        assert_eq!(errors(json!({"payload": [bad]})).len(), 1, "{bad}");
    }
}

#[test]
fn it_is_stored_as_its_pattern_and_read_back_the_same() {
    let pattern = json!({"payload": {"total": [{"numeric": [">", 0.5, "<=", 5]}]}});
    let f = filter(pattern.clone());
    let stored = serde_json::to_value(&f).unwrap();
    assert_eq!(stored, json!(pattern.to_string()));
    let back: Filter = serde_json::from_value(stored).unwrap();
    assert_eq!(back, f);
    assert_eq!(back.pattern(), &pattern);
    assert!(serde_json::from_value::<Filter>(json!("{\"id\": [1]}")).is_err());
}
