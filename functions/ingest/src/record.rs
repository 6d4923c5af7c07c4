//! What every ingested event goes through once it parsed, alone
//! (`POST /v1/events`) or in a batch: its Idempotency-Key claimed, the
//! event and its fan-out recorded (`hookrelay::pipeline::fanout`), and the
//! answer kept for the key.

use crate::events::{Accepted, Parsed};
use hookrelay::app::App;
use hookrelay::domain::event::Event;
use hookrelay::domain::idempotency::{Claimed, IdempotencyRecord};
use hookrelay::domain::ids::{AccountId, EventId};
use hookrelay::domain::time::Timestamp;
use hookrelay::http::field::FieldError;
use hookrelay::http::ApiError;
use hookrelay::pipeline::fanout::{self, Recipients, Subscribers};

/// What the header and a batch event's `idempotency_key` accept.
pub const KEY_RULE: &str = "must be 1 to 255 visible characters";

/// An Idempotency-Key: 1–255 visible ASCII characters (space and tab
/// inside) once blanks around it are trimmed, as a header can carry it.
pub fn key_text(text: &str) -> Result<String, String> {
    let visible = |c: char| c == '\t' || (' '..='~').contains(&c);
    Some(text.trim_matches([' ', '\t']))
        .filter(|k| !k.is_empty() && k.len() <= 255 && k.chars().all(visible))
        .map(str::to_owned)
        .ok_or_else(|| KEY_RULE.to_owned())
}

/// An event's Idempotency-Key, and the field or header that gave it (named
/// when the key was used with another event).
pub struct IdempotencyKey {
    pub text: String,
    pub field: &'static str,
}

/// What claiming an Idempotency-Key leaves this request to do.
enum Claim {
    /// The key is this request's.
    Fresh,
    /// The first request finished: answer as it did.
    Replay(Accepted),
    /// The first request died half-way: finish its event.
    Resume(IdempotencyRecord),
}

async fn claimed(
    app: &App,
    claim: &IdempotencyRecord,
    field: &str,
    now: Timestamp,
) -> Result<Claim, ApiError> {
    let Some(before) = app.store.claim_idempotency(claim, now).await? else {
        return Ok(Claim::Fresh);
    };
    match claim.against(before, now) {
        Claimed::Answered(answer) => serde_json::from_str::<Accepted>(&answer)
            .map(Claim::Replay)
            .map_err(|_| ApiError::Conflict("event with this Idempotency-Key")),
        Claimed::InProgress => Err(ApiError::Conflict(
            "event with this Idempotency-Key (a request is still being processed)",
        )),
        Claimed::OtherBody => Err(ApiError::Taken(FieldError::new(
            field,
            "was used with a different body within 24 h",
        ))),
        Claimed::Resume(first) => Ok(Claim::Resume(first)),
    }
}

/// Records `parsed` and its fan-out, under its Idempotency-Key if it has
/// one (the first answer again for a key used before), once its ingest
/// quota was taken; the 202's body. `subscribers` is the request's one read
/// of the account's webhooks, shared by all of its events.
pub async fn record(
    app: &App,
    account: AccountId,
    parsed: Parsed,
    subscribers: &Subscribers,
) -> Result<Accepted, ApiError> {
    let now = app.clock.now();
    let fresh = EventId::generate(now, &*app.random);
    let claim = parsed.key.as_ref().map(|key| {
        let claim = IdempotencyRecord::new(account, &key.text, &parsed.bytes, fresh, now);
        (claim, key.field)
    });
    let (event_id, created_at, resuming) = match &claim {
        None => (fresh, now, false),
        Some((claim, field)) => match claimed(app, claim, field, now).await? {
            Claim::Replay(first) => return Ok(first),
            Claim::Fresh => (fresh, now, false),
            Claim::Resume(first) => (first.event_id, first.created_at, true),
        },
    };
    let event = Event::new(
        event_id,
        account,
        parsed.kind,
        parsed.payload,
        parsed.context,
        created_at,
        app.settings.retention_days,
    );
    let due = now.plus_seconds(i64::try_from(parsed.delay).unwrap_or(0));
    let recipients = match parsed.ad_hoc {
        Some(url) => Recipients::AdHoc(url),
        None => Recipients::Subscribers(subscribers),
    };
    let ids = fanout::start(app, &event, recipients, due, resuming).await?;
    let accepted = Accepted {
        id: event.id.to_string(),
        deliveries: ids.map(|ids| ids.iter().map(ToString::to_string).collect()),
    };
    if let Some((claim, _)) = claim {
        let done = IdempotencyRecord {
            answer: serde_json::to_string(&accepted).ok(),
            event_id,
            created_at,
            ..claim
        };
        app.store.complete_idempotency(&done).await?;
    }
    Ok(accepted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_what_the_header_could_carry_trimmed() {
        assert_eq!(key_text(" \torder-42 ").as_deref(), Ok("order-42"));
        assert_eq!(key_text("a b\tc").as_deref(), Ok("a b\tc"));
        assert!(key_text(&"k".repeat(255)).is_ok());
        for refused in ["", " \t ", "a\nb", "clé", &"k".repeat(256)] {
            assert_eq!(key_text(refused), Err(KEY_RULE.to_owned()), "{refused:?}");
        }
    }
}
