//! Fixtures every role's checks share: a fixed clock, accounts, webhooks, events,
//! deliveries and the changes made to them, and a key-ordered list reader.

use hookrelay::domain::account::Account;
use hookrelay::domain::delivery::{
    Attempt, AttemptError, Change, Delivery, DeliveryStatus, Outcome,
};
use hookrelay::domain::event::{Event, EventKind, EventPart, JsonText};
use hookrelay::domain::health::Health;
use hookrelay::domain::ids::{AccountId, DeliveryId, EventId, WebhookId};
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::webhook::{
    CustomHeaders, Disabled, DisabledReason, EventPattern, EventPatterns, Name, Secret,
    SigningSecrets, Webhook,
};
use hookrelay::domain::webhook_url::WebhookUrl;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::{KeyPage, StoreError};

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
    Webhook {
        id: WebhookId::generate(created, &OsRandom),
        account_id: account,
        name: Name::parse(&format!("hook {created_ms}")).expect("name"),
        url: WebhookUrl::parse("https://bob:pw@hooks.example.com/in?x=1").expect("url"),
        events: EventPatterns::new(vec![
            EventPattern::parse("user.*").expect("pattern"),
            EventPattern::parse("order.paid").expect("pattern"),
        ])
        .expect("patterns"),
        secrets: SigningSecrets::new(Secret::generate(&OsRandom)),
        api_key: None,
        description: None,
        headers: CustomHeaders::default(),
        enabled,
        created_at: created,
        updated_at: at(updated_ms),
        version: 1,
        rate_limit: None,
        disabled: (!enabled).then_some(Disabled {
            disabled_reason: DisabledReason::Manual,
            disabled_at: created,
        }),
        last_delivery: None,
        health: Health::default(),
    }
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
    Delivery {
        id: DeliveryId::derive(event.id, webhook),
        account_id: event.account_id,
        event_id: event.id,
        webhook_id: webhook,
        url: WebhookUrl::parse("https://hooks.example.com/in").expect("url"),
        event: event.event.clone(),
        status: DeliveryStatus::Created,
        code: 0,
        attempts: 0,
        next_attempt_at: Some(at(1)),
        lease_until: None,
        sweep_at: None,
        wake: None,
        held_slot: None,
        failure_reason: None,
        attempt_log: Vec::new(),
        created_at: at(1),
        updated_at: at(1),
        expires_at: event.expires_at,
        version: 1,
    }
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
