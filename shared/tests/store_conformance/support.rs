//! Fixtures every role's checks share: a fixed clock, accounts, webhooks, events,
//! deliveries and the changes made to them, and a key-ordered list reader.

use hookrelay::domain::account::Account;
use hookrelay::domain::audit::{Action, Actor, AuditNote, AuditRecord, Changes};
use hookrelay::domain::delivery::{
    Attempt, AttemptError, Change, Delivery, DeliveryStatus, KeptUrl, Outcome,
};
use hookrelay::domain::event::{Event, EventKind, EventPart, JsonText};
use hookrelay::domain::event_type::{EventType, EventTypeChanges, Example};
use hookrelay::domain::ids::{AccountId, EventId, WebhookId};
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::webhook::{EventPattern, EventPatterns, Name, Secret, Webhook};
use hookrelay::domain::webhook_url::WebhookUrl;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::{KeyPage, Store, StoreError};

pub const BASE_MS: i64 = 1_790_000_000_000;

pub fn at(offset_ms: i64) -> Timestamp {
    Timestamp::from_millis(BASE_MS + offset_ms).expect("valid time")
}

pub fn account(name: &str) -> Account {
    Account {
        id: AccountId::generate(at(0), &OsRandom),
        name: Name::parse(name).expect("name"),
        created_at: at(0),
    }
}

pub fn webhook(account: AccountId, created_ms: i64, updated_ms: i64, enabled: bool) -> Webhook {
    let created = at(created_ms);
    let mut hook = Webhook::new(
        WebhookId::generate(created, &OsRandom),
        account,
        Name::parse(&format!("hook {created_ms}")).expect("name"),
        WebhookUrl::parse("https://bob:pw@hooks.example.com/in?x=1").expect("url"),
        EventPatterns::new(vec![
            EventPattern::parse("user.*").expect("pattern"),
            EventPattern::parse("order.paid").expect("pattern"),
        ])
        .expect("patterns"),
        Secret::generate(&OsRandom),
        created,
    );
    hook.switch(enabled, created);
    // As stored at version 1, last changed at `updated_ms`.
    let mut stored = serde_json::to_value(&hook).expect("json");
    stored["updated_at"] = serde_json::to_value(at(updated_ms)).expect("json");
    serde_json::from_value(stored).expect("webhook")
}

pub fn event(account: AccountId) -> Event {
    Event {
        id: EventId::generate(at(0), &OsRandom),
        account_id: account,
        event: EventKind {
            name: EventPart::parse("user").expect("part"),
            kind: EventPart::parse("created").expect("part"),
        },
        payload: JsonText::parse(r#"{"user": {"id": 7, "big": 12345678901234567890}}"#)
            .expect("json"),
        context: JsonText::parse("{}").expect("json"),
        created_at: at(0),
        expires_at: at(0).epoch_seconds() + 60 * 86_400,
    }
}

pub fn delivery(event: &Event, webhook: Option<WebhookId>) -> Delivery {
    let url = KeptUrl::shown(&WebhookUrl::parse("https://hooks.example.com/in").expect("url"));
    let fresh = Delivery::new(event, webhook, url, at(1));
    let fields = serde_json::json!({
        "status": DeliveryStatus::Created,
        "sweep_at": null,
        "created_at": at(1),
        "updated_at": at(1),
    });
    with_fields(&fresh, fields)
}

/// `delivery` as stored with `fields` replaced: a state no change leads to directly.
/// A new account's delivery of a new event, due at `due_ms`, as ingest records it.
pub async fn recorded_due(store: &dyn Store, due_ms: i64) -> (AccountId, Delivery) {
    let owner = account("Owner").id;
    let source = event(owner);
    let url = KeptUrl::shown(&WebhookUrl::parse("https://hooks.example.com/in").expect("url"));
    let due = Delivery::new(&source, None, url, at(due_ms));
    store
        .record_event(&source, std::slice::from_ref(&due))
        .await
        .unwrap();
    (owner, due)
}

pub fn with_fields(delivery: &Delivery, fields: serde_json::Value) -> Delivery {
    let mut stored = serde_json::to_value(delivery).expect("json");
    if let (Some(stored), Some(fields)) = (stored.as_object_mut(), fields.as_object()) {
        stored.extend(fields.clone());
    }
    serde_json::from_value(stored).expect("delivery")
}

pub fn attempt(at_ms: i64, code: u16) -> Attempt {
    Attempt {
        at: at(at_ms),
        code,
        duration_ms: 12,
        error: (code >= 300).then_some(AttemptError::HttpStatus),
        response_body: format!("answer {code}"),
    }
}

pub fn attempted(made: Attempt, outcome: Outcome) -> Change {
    Change::Attempted {
        attempt: Some(made),
        outcome,
        body: None,
    }
}

pub fn claim(lease_ms: i64) -> Change {
    Change::Claimed {
        lease_until: at(lease_ms),
    }
}

pub fn kind(dotted: &str) -> EventKind {
    EventKind::parse_dotted(dotted).expect("name.type")
}

/// Every item of a key-ordered list, page by page, `limit` at a time.
pub async fn every_page<T, F>(limit: usize, mut page: impl FnMut(Option<String>) -> F) -> Vec<T>
where
    F: std::future::Future<Output = Result<KeyPage<T>, StoreError>>,
{
    let (mut all, mut after) = (Vec::new(), None);
    loop {
        let KeyPage { items, next } = page(after).await.expect("page");
        assert!(items.len() <= limit);
        all.extend(items);
        match next {
            Some(next) => after = Some(next),
            None => return all,
        }
    }
}

/// An audit record for a change a check makes (of an account of its own).
pub fn noted() -> AuditRecord {
    let by = Actor::local_runner();
    let note = AuditNote {
        account: AccountId::generate(at(0), &OsRandom),
        act: Action::WebhookUpdated.by(&by),
        resource_id: "x".into(),
        changes: Changes::new(),
    };
    AuditRecord::new(note, at(0), &OsRandom, 60)
}

/// An event type of `account`'s with `example`, made at `at_ms`.
pub fn event_type(
    account: AccountId,
    dotted: &str,
    example: Option<Example>,
    at_ms: i64,
) -> EventType {
    let changes = EventTypeChanges {
        example: Some(example),
        ..EventTypeChanges::default()
    };
    EventType::new(account, kind(dotted), changes, at(at_ms)).expect("event type")
}
